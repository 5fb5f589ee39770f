// kubectl's describe layouts for workloads, services, nodes and HPAs, plus a
// generic one for every other kind.
import { formatCpu, formatMemory, parseQuantity, type KubeObject } from '@wharf/api';
import { age, rfc1123z } from './age.js';
import { conditions, controlledBy, header, mapString, selectorString, type J } from './describe-common.js';
import { podTemplate } from './describe-pod.js';
import { toYaml } from './object-printer.js';
import type { DescribeWriter } from './tab-writer.js';

export interface Related {
  replicaSets?: J[];
  pods?: J[];
  endpoints?: J;
  lease?: J | undefined;
}

function podsStatus(pods: J[] | undefined): string {
  const count = (phase: string) => (pods ?? []).filter((p) => (p['status']?.phase ?? 'Pending') === phase).length;
  return `${count('Running')} Running / ${count('Pending')} Waiting / ${count('Succeeded')} Succeeded / ${count('Failed')} Failed`;
}

function rsLine(rs: J): string {
  return `${rs['metadata'].name} (${rs['status']?.replicas ?? 0}/${rs['spec']?.replicas ?? 0} replicas created)`;
}

export function describeDeployment(w: DescribeWriter, d: KubeObject, rel: Related): void {
  const o = d as J;
  const spec: J = o['spec'] ?? {};
  const st: J = o['status'] ?? {};
  w.line(0, 'Name:', d.metadata.name);
  w.line(0, 'Namespace:', d.metadata.namespace);
  w.line(0, 'CreationTimestamp:', rfc1123z(d.metadata.creationTimestamp));
  w.map(0, 'Labels:', d.metadata.labels);
  w.map(0, 'Annotations:', d.metadata.annotations, (k) => k === 'kubectl.kubernetes.io/last-applied-configuration', ': ');
  w.line(0, 'Selector:', selectorString(spec['selector']));
  w.line(0, 'Replicas:', `${spec['replicas'] ?? 1} desired | ${st['updatedReplicas'] ?? 0} updated | ${st['replicas'] ?? 0} total | ${st['availableReplicas'] ?? 0} available | ${st['unavailableReplicas'] ?? 0} unavailable`);
  const strategy = spec['strategy'] ?? {};
  w.line(0, 'StrategyType:', strategy.type ?? '');
  w.line(0, 'MinReadySeconds:', spec['minReadySeconds'] ?? 0);
  if (strategy.rollingUpdate) w.line(0, 'RollingUpdateStrategy:', `${strategy.rollingUpdate.maxUnavailable ?? ''} max unavailable, ${strategy.rollingUpdate.maxSurge ?? ''} max surge`);
  podTemplate(w, 0, spec['template']);
  conditions(w, st['conditions'], ['Type', 'Status', 'Reason'], (c) => `${c['type']} \t${c['status']}\t${c['reason'] ?? ''}`);
  const owned = (rel.replicaSets ?? []).filter((rs) => rs['metadata'].ownerReferences?.some((r: J) => r['uid'] === d.metadata.uid && r['controller']));
  const revision = d.metadata.annotations?.['deployment.kubernetes.io/revision'];
  const newRs = owned.find((rs) => rs['metadata'].annotations?.['deployment.kubernetes.io/revision'] === revision);
  const old = owned.filter((rs) => rs !== newRs && (rs['spec']?.replicas ?? 0) > 0);
  if (owned.length === 0) return;
  w.line(0, 'OldReplicaSets:', old.length ? old.map(rsLine).join(', ') : '<none>');
  w.line(0, 'NewReplicaSet:', newRs ? rsLine(newRs) : '<none>');
}

export function describeReplicaSet(w: DescribeWriter, rs: KubeObject, rel: Related): void {
  const o = rs as J;
  w.line(0, 'Name:', rs.metadata.name);
  w.line(0, 'Namespace:', rs.metadata.namespace);
  w.line(0, 'Selector:', selectorString(o['spec']?.selector));
  w.map(0, 'Labels:', rs.metadata.labels);
  w.map(0, 'Annotations:', rs.metadata.annotations, (k) => k === 'kubectl.kubernetes.io/last-applied-configuration', ': ');
  const owner = controlledBy(rs);
  if (owner) w.line(0, 'Controlled By:', owner);
  w.line(0, 'Replicas:', `${o['status']?.replicas ?? 0} current / ${o['spec']?.replicas ?? 0} desired`);
  w.line(0, 'Pods Status:', podsStatus(rel.pods));
  podTemplate(w, 0, o['spec']?.template);
  conditions(w, o['status']?.conditions, ['Type', 'Status', 'Reason'], (c) => `${c['type']} \t${c['status']}\t${c['reason'] ?? ''}`);
}

export function describeService(w: DescribeWriter, svc: KubeObject, rel: Related): void {
  const spec: J = (svc as J)['spec'] ?? {};
  header(w, svc);
  w.line(0, 'Selector:', mapString(spec['selector']));
  w.line(0, 'Type:', spec['type'] ?? 'ClusterIP');
  w.line(0, 'IP Family Policy:', spec['ipFamilyPolicy'] ?? '');
  w.line(0, 'IP Families:', (spec['ipFamilies'] ?? []).join(',') || '<none>');
  w.line(0, 'IP:', spec['clusterIP'] ?? '');
  w.line(0, 'IPs:', (spec['clusterIPs'] ?? []).join(',') || '<none>');
  const addresses = (rel.endpoints?.['subsets'] ?? []) as J[];
  for (const p of (spec['ports'] ?? []) as J[]) {
    const name = p['name'] || '<unset>';
    w.line(0, 'Port:', `${name}  ${p['port']}/${p['protocol'] ?? 'TCP'}`);
    w.line(0, 'TargetPort:', `${p['targetPort'] ?? p['port']}/${p['protocol'] ?? 'TCP'}`);
    if (p['nodePort']) w.line(0, 'NodePort:', `${name}  ${p['nodePort']}/${p['protocol'] ?? 'TCP'}`);
    const eps: string[] = [];
    for (const s of addresses) for (const a of (s['addresses'] ?? []) as J[]) for (const sp of (s['ports'] ?? []) as J[]) if (!p['name'] || sp['name'] === p['name']) eps.push(`${a['ip']}:${sp['port']}`);
    w.line(0, 'Endpoints:', eps.join(',') || '<none>');
  }
  w.line(0, 'Session Affinity:', spec['sessionAffinity'] ?? 'None');
  if (spec['externalTrafficPolicy']) w.line(0, 'External Traffic Policy:', spec['externalTrafficPolicy']);
  w.line(0, 'Internal Traffic Policy:', spec['internalTrafficPolicy'] ?? 'Cluster');
}

export function describeNode(w: DescribeWriter, node: KubeObject, rel: Related): void {
  const o = node as J;
  const st: J = o['status'] ?? {};
  w.line(0, 'Name:', node.metadata.name);
  w.line(0, 'Roles:', roles(node.metadata.labels));
  w.map(0, 'Labels:', node.metadata.labels);
  w.map(0, 'Annotations:', node.metadata.annotations, undefined, ': ');
  w.line(0, 'CreationTimestamp:', rfc1123z(node.metadata.creationTimestamp));
  const taints: J[] = o['spec']?.taints ?? [];
  w.line(0, 'Taints:', taints.length ? taints.map((t) => `${t['key']}${t['value'] ? `=${t['value']}` : ''}:${t['effect']}`).join('\n') : '<none>');
  w.line(0, 'Unschedulable:', o['spec']?.unschedulable ?? false);
  if (rel.lease) {
    const spec: J = rel.lease['spec'] ?? {};
    w.line(0, 'Lease:');
    w.line(1, 'HolderIdentity:', spec['holderIdentity'] ?? '<unset>');
    w.line(1, 'AcquireTime:', spec['acquireTime'] ? rfc1123z(spec['acquireTime']) : '<unset>');
    w.line(1, 'RenewTime:', spec['renewTime'] ? rfc1123z(spec['renewTime']) : '<unset>');
  }
  conditions(
    w,
    st['conditions'],
    ['Type', 'Status', 'LastHeartbeatTime', 'LastTransitionTime', 'Reason', 'Message'],
    (c) => `${c['type']} \t${c['status']} \t${rfc1123z(c['lastHeartbeatTime'])} \t${rfc1123z(c['lastTransitionTime'])} \t${c['reason'] ?? ''} \t${c['message'] ?? ''}`,
  );
  w.line(0, 'Addresses:');
  for (const a of (st['addresses'] ?? []) as J[]) w.line(1, `${a['type']}:`, a['address']);
  for (const [key, label] of [['capacity', 'Capacity'], ['allocatable', 'Allocatable']] as const) {
    const m: Record<string, string> = st[key] ?? {};
    if (!Object.keys(m).length) continue;
    w.line(0, `${label}:`);
    for (const k of Object.keys(m).sort()) w.line(1, `${k}:`, m[k]);
  }
  const info: J = st['nodeInfo'] ?? {};
  w.line(0, 'System Info:');
  for (const [k, label] of [['machineID', 'Machine ID'], ['systemUUID', 'System UUID'], ['bootID', 'Boot ID'], ['kernelVersion', 'Kernel Version'], ['osImage', 'OS Image'], ['operatingSystem', 'Operating System'], ['architecture', 'Architecture'], ['containerRuntimeVersion', 'Container Runtime Version'], ['kubeletVersion', 'Kubelet Version']] as const) {
    w.line(1, `${label}:`, info[k] ?? '');
  }
  if (info['kubeProxyVersion']) w.line(1, 'Kube-Proxy Version:', info['kubeProxyVersion']);
  if (o['spec']?.podCIDR) w.line(0, 'PodCIDR:', o['spec'].podCIDR);
  if (o['spec']?.podCIDRs?.length) w.line(0, 'PodCIDRs:', o['spec'].podCIDRs.join(','));
  if (o['spec']?.providerID) w.line(0, 'ProviderID:', o['spec'].providerID);
  const pods = (rel.pods ?? []).filter((p) => !['Succeeded', 'Failed'].includes(p['status']?.phase));
  const alloc: Record<string, string> = st['allocatable'] ?? {};
  const pct = (resource: string, amount: number) => {
    const total = alloc[resource] ? parseQuantity(alloc[resource]!) : 0;
    return total > 0 ? Math.trunc((amount / total) * 100) : 0;
  };
  const fmt = (resource: string, amount: number) => {
    const text = amount === 0 ? '0' : resource === 'cpu' ? formatCpu(amount) : formatMemory(amount);
    return `${text} (${pct(resource, amount)}%)`;
  };
  const sum = (p: J, kind: 'requests' | 'limits', r: string) => ((p['spec']?.containers ?? []) as J[]).reduce((acc, c) => acc + (c['resources']?.[kind]?.[r] ? parseQuantity(c['resources'][kind][r]) : 0), 0);
  w.line(0, 'Non-terminated Pods:', `(${pods.length} in total)`);
  w.raw(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge');
  w.raw(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---');
  for (const p of pods) {
    w.raw(1, `${p['metadata'].namespace}\t${p['metadata'].name}\t\t${fmt('cpu', sum(p, 'requests', 'cpu'))}\t${fmt('cpu', sum(p, 'limits', 'cpu'))}\t${fmt('memory', sum(p, 'requests', 'memory'))}\t${fmt('memory', sum(p, 'limits', 'memory'))}\t${age(p['metadata'].creationTimestamp)}`);
  }
  w.line(0, 'Allocated resources:');
  w.raw(1, '(Total limits may be over 100 percent, i.e., overcommitted.)');
  w.raw(1, 'Resource\tRequests\tLimits');
  w.raw(1, '--------\t--------\t------');
  const total = (kind: 'requests' | 'limits', r: string) => pods.reduce((acc, p) => acc + sum(p, kind, r), 0);
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    const f = (n: number) => (r === 'ephemeral-storage' ? `${n === 0 ? '0' : formatMemory(n)} (${pct(r, n)}%)` : fmt(r, n));
    w.raw(1, `${r}\t${f(total('requests', r))}\t${f(total('limits', r))}`);
  }
  for (const r of Object.keys(alloc).filter((k) => k.startsWith('hugepages-')).sort()) w.raw(1, `${r}\t0 (0%)\t0 (0%)`);
}

function roles(labels: Record<string, string> | undefined): string {
  const r = Object.keys(labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length));
  return r.length ? r.sort().join(',') : '<none>';
}

export function describeHpa(w: DescribeWriter, hpa: KubeObject): void {
  const o = hpa as J;
  const spec: J = o['spec'] ?? {};
  const st: J = o['status'] ?? {};
  header(w, hpa);
  w.line(0, 'CreationTimestamp:', rfc1123z(hpa.metadata.creationTimestamp));
  const ref: J = spec['scaleTargetRef'] ?? {};
  w.line(0, 'Reference:', `${ref['kind']}/${ref['name']}`);
  w.line(0, 'Metrics:', '( current / target )');
  for (const m of (spec['metrics'] ?? []) as J[]) {
    if (m['type'] !== 'Resource') continue;
    const name = m['resource'].name;
    const cur = ((st['currentMetrics'] ?? []) as J[]).find((c) => c['type'] === 'Resource' && c['resource']?.name === name)?.['resource']?.current;
    const target = m['resource'].target ?? {};
    if (target.averageUtilization !== undefined) {
      const current = cur?.averageUtilization !== undefined ? `${cur.averageUtilization}% (${cur.averageValue ?? ''})` : '<unknown>';
      w.line(1, `resource ${name} on pods  (as a percentage of request):`, `${current} / ${target.averageUtilization}%`);
    } else {
      w.line(1, `resource ${name} on pods:`, `${cur?.averageValue ?? '<unknown>'} / ${target.averageValue ?? target.value ?? ''}`);
    }
  }
  w.line(0, 'Min replicas:', spec['minReplicas'] ?? 1);
  w.line(0, 'Max replicas:', spec['maxReplicas']);
  w.line(0, `${ref['kind']} pods:`, `${st['currentReplicas'] ?? 0} current / ${st['desiredReplicas'] ?? 0} desired`);
  conditions(w, st['conditions'], ['Type', 'Status', 'Reason', 'Message'], (c) => `${c['type']}\t${c['status']}\t${c['reason'] ?? ''}\t${c['message'] ?? ''}`);
}

/** Any other kind: the metadata header, then the rest of the object as YAML-ish sections. */
export function describeGeneric(w: DescribeWriter, obj: KubeObject): void {
  header(w, obj);
  const { metadata: _m, apiVersion, kind, ...rest } = obj;
  w.line(0, 'API Version:', apiVersion ?? '');
  w.line(0, 'Kind:', kind ?? '');
  for (const [k, v] of Object.entries(rest)) {
    if (v !== null && typeof v === 'object') {
      w.line(0, `${k[0]!.toUpperCase()}${k.slice(1)}:`);
      for (const line of toYaml(v).trimEnd().split('\n')) w.line(1, line.replace(/\t/g, ' '));
    } else {
      w.line(0, `${k[0]!.toUpperCase()}${k.slice(1)}:`, v);
    }
  }
}

export function describeNamespace(w: DescribeWriter, ns: KubeObject): void {
  header(w, ns, { namespace: false });
  w.line(0, 'Status:', (ns as J)['status']?.phase ?? 'Active');
}

export function describeConfigMap(w: DescribeWriter, cm: KubeObject): void {
  header(w, cm);
  w.raw(0, '\nData\n====');
  const data: Record<string, string> = (cm as J)['data'] ?? {};
  for (const k of Object.keys(data).sort()) w.raw(0, `${k}:\n----\n${data[k]}\n`);
  w.raw(0, '\nBinaryData\n====');
  const bin: Record<string, string> = (cm as J)['binaryData'] ?? {};
  for (const k of Object.keys(bin).sort()) w.raw(0, `${k}: ${Buffer.from(bin[k]!, 'base64').length} bytes`);
  w.raw(0, '');
}

export function describeSecret(w: DescribeWriter, s: KubeObject): void {
  header(w, s);
  w.raw(0, '');
  w.line(0, 'Type:', (s as J)['type'] ?? 'Opaque');
  w.raw(0, '\nData\n====');
  const data: Record<string, string> = (s as J)['data'] ?? {};
  for (const k of Object.keys(data).sort()) w.line(0, `${k}:`, `${Buffer.from(data[k]!, 'base64').length} bytes`);
}

export function describeEndpoints(w: DescribeWriter, ep: KubeObject): void {
  header(w, ep);
  w.line(0, 'Subsets:');
  for (const s of ((ep as J)['subsets'] ?? []) as J[]) {
    const ips = (list: J[] | undefined) => (list?.length ? list.map((a) => a['ip']).join(',') : '<none>');
    w.line(1, 'Addresses:', ips(s['addresses']));
    w.line(1, 'NotReadyAddresses:', ips(s['notReadyAddresses']));
    const ports: J[] = s['ports'] ?? [];
    if (ports.length) {
      w.line(1, 'Ports:');
      w.raw(2, 'Name\tPort\tProtocol');
      w.raw(2, '----\t----\t--------');
      for (const p of ports) w.raw(2, `${p['name'] || '<unset>'}\t${p['port']}\t${p['protocol'] ?? 'TCP'}`);
    }
    w.raw(0, '');
  }
}

export function describeServiceAccount(w: DescribeWriter, sa: KubeObject): void {
  header(w, sa);
  const names = (list: J[] | undefined) => (list?.length ? list.map((x) => x['name']).join('\n') : '<none>');
  w.line(0, 'Image pull secrets:', names((sa as J)['imagePullSecrets']));
  w.line(0, 'Mountable secrets:', names((sa as J)['secrets']));
  w.line(0, 'Tokens:', '<none>');
}
