// kubectl's describe layout for pods and pod templates (containers, probes,
// environment, mounts, volumes).
import type { KubeObject } from '@wharf/api';
import { rfc1123z } from './age.js';
import { conditions, controlledBy, header, mapString, type J } from './describe-common.js';
import type { DescribeWriter } from './tab-writer.js';

function probe(p: J | undefined): string | undefined {
  if (!p) return undefined;
  let action = 'unknown';
  if (p['httpGet']) action = `http-get ${p['httpGet'].scheme === 'HTTPS' ? 'https' : 'http'}://${p['httpGet'].host ?? ''}:${p['httpGet'].port}${p['httpGet'].path ?? ''}`;
  else if (p['tcpSocket']) action = `tcp-socket ${p['tcpSocket'].host ?? ''}:${p['tcpSocket'].port}`;
  else if (p['exec']) action = `exec [${(p['exec'].command ?? []).join(' ')}]`;
  else if (p['grpc']) action = `grpc <pod>:${p['grpc'].port} ${p['grpc'].service ?? ''}`;
  return `${action} delay=${p['initialDelaySeconds'] ?? 0}s timeout=${p['timeoutSeconds'] ?? 1}s period=${p['periodSeconds'] ?? 10}s #success=${p['successThreshold'] ?? 1} #failure=${p['failureThreshold'] ?? 3}`;
}

function ports(c: J): string {
  const list: J[] = c['ports'] ?? [];
  return list.length ? list.map((p) => `${p['containerPort']}/${p['protocol'] ?? 'TCP'}`).join(', ') : '<none>';
}

function state(w: DescribeWriter, level: number, label: string, s: J | undefined): void {
  if (!s || Object.keys(s).length === 0) return;
  if (s['running']) {
    w.line(level, `${label}:`, 'Running');
    w.line(level + 1, 'Started:', rfc1123z(s['running'].startedAt));
  } else if (s['waiting']) {
    w.line(level, `${label}:`, 'Waiting');
    if (s['waiting'].reason) w.line(level + 1, 'Reason:', s['waiting'].reason);
  } else if (s['terminated']) {
    const t = s['terminated'];
    w.line(level, `${label}:`, 'Terminated');
    if (t.reason) w.line(level + 1, 'Reason:', t.reason);
    if (t.message) w.line(level + 1, 'Message:', t.message);
    w.line(level + 1, 'Exit Code:', t.exitCode ?? 0);
    if (t.startedAt) w.line(level + 1, 'Started:', rfc1123z(t.startedAt));
    if (t.finishedAt) w.line(level + 1, 'Finished:', rfc1123z(t.finishedAt));
  }
}

function resources(w: DescribeWriter, level: number, r: J | undefined): void {
  for (const [key, label] of [['limits', 'Limits'], ['requests', 'Requests']] as const) {
    const m: Record<string, string> | undefined = r?.[key];
    if (!m || !Object.keys(m).length) continue;
    w.line(level, `${label}:`);
    for (const k of Object.keys(m).sort()) w.line(level + 1, `${k}:`, m[k]);
  }
}

function env(w: DescribeWriter, level: number, c: J): void {
  const list: J[] = c['env'] ?? [];
  const from: J[] = c['envFrom'] ?? [];
  if (from.length) {
    w.line(level, 'Environment Variables from:');
    for (const f of from) {
      const [kind, ref] = f['configMapRef'] ? ['ConfigMap', f['configMapRef']] : ['Secret', f['secretRef']];
      w.line(level + 1, ref?.name ?? '', `${kind}  Optional: ${ref?.optional ?? false}`);
    }
  }
  if (!list.length) return w.line(level, 'Environment:', '<none>');
  w.line(level, 'Environment:');
  for (const e of list) {
    const vf = e['valueFrom'];
    let value: string = e['value'] ?? '';
    if (vf?.configMapKeyRef) value = `<set to the key '${vf.configMapKeyRef.key}' of config map '${vf.configMapKeyRef.name}'>  Optional: ${vf.configMapKeyRef.optional ?? false}`;
    else if (vf?.secretKeyRef) value = `<set to the key '${vf.secretKeyRef.key}' in secret '${vf.secretKeyRef.name}'>  Optional: ${vf.secretKeyRef.optional ?? false}`;
    else if (vf?.fieldRef) value = ` (${vf.fieldRef.apiVersion ?? 'v1'}:${vf.fieldRef.fieldPath})`;
    else if (vf?.resourceFieldRef) value = `${vf.resourceFieldRef.resource}`;
    w.line(level + 1, `${e['name']}:`, value);
  }
}

export function containers(w: DescribeWriter, level: number, title: string, list: J[] | undefined, statuses: J[] | undefined, template: boolean): void {
  if (!list?.length) {
    if (!template) return;
    w.line(level, title, '<none>');
    return;
  }
  w.line(level, title);
  for (const c of list) {
    const st = statuses?.find((s) => s['name'] === c['name']);
    // kubectl indents a template's container names by one extra space, and its fields one level less.
    if (template) w.line(level, ` ${c['name']}:`);
    else w.line(level + 1, `${c['name']}:`);
    const l = template ? level + 1 : level + 2;
    if (st?.containerID) w.line(l, 'Container ID:', st.containerID);
    w.line(l, 'Image:', c['image'] ?? '');
    if (st) w.line(l, 'Image ID:', st.imageID ?? '');
    w.line(l, 'Port:', ports(c));
    w.line(l, 'Host Port:', (c['ports'] ?? []).length ? (c['ports'] as J[]).map((p) => `${p['hostPort'] ?? 0}/${p['protocol'] ?? 'TCP'}`).join(', ') : '<none>');
    if (c['command']) {
      w.line(l, 'Command:');
      for (const a of c['command']) w.line(l + 1, String(a));
    }
    if (c['args']) {
      w.line(l, 'Args:');
      for (const a of c['args']) w.line(l + 1, String(a));
    }
    if (st) {
      state(w, l, 'State', st?.state);
      state(w, l, 'Last State', st?.lastState);
      w.line(l, 'Ready:', st?.ready ? 'True' : 'False');
      w.line(l, 'Restart Count:', st?.restartCount ?? 0);
    }
    resources(w, l, c['resources']);
    const liveness = probe(c['livenessProbe']);
    if (liveness) w.line(l, 'Liveness:', liveness);
    const readiness = probe(c['readinessProbe']);
    if (readiness) w.line(l, 'Readiness:', readiness);
    const startup = probe(c['startupProbe']);
    if (startup) w.line(l, 'Startup:', startup);
    env(w, l, c);
    const mounts: J[] = c['volumeMounts'] ?? [];
    if (!mounts.length) w.line(l, 'Mounts:', '<none>');
    else {
      w.line(l, 'Mounts:');
      for (const m of mounts) w.line(l + 1, `${m['mountPath']} from ${m['name']} (${m['readOnly'] ? 'ro' : 'rw'})`);
    }
  }
}

export function volumes(w: DescribeWriter, level: number, list: J[] | undefined): void {
  if (!list?.length) return w.line(level, 'Volumes:', '<none>');
  w.line(level, 'Volumes:');
  for (const v of list) {
    w.line(level + 1, `${v['name']}:`);
    const l = level + 2;
    if (v['emptyDir']) {
      w.line(l, 'Type:', 'EmptyDir (a temporary directory that shares a pod\'s lifetime)');
      w.line(l, 'Medium:', v['emptyDir'].medium ?? '');
    } else if (v['configMap']) {
      w.line(l, 'Type:', 'ConfigMap (a volume populated by a ConfigMap)');
      w.line(l, 'Name:', v['configMap'].name);
      w.line(l, 'Optional:', v['configMap'].optional ?? false);
    } else if (v['secret']) {
      w.line(l, 'Type:', 'Secret (a volume populated by a Secret)');
      w.line(l, 'SecretName:', v['secret'].secretName);
      w.line(l, 'Optional:', v['secret'].optional ?? false);
    } else if (v['hostPath']) {
      w.line(l, 'Type:', 'HostPath (bare host directory volume)');
      w.line(l, 'Path:', v['hostPath'].path);
    } else if (v['projected']) {
      w.line(l, 'Type:', 'Projected (a volume that contains injected data from multiple sources)');
    } else {
      w.line(l, 'Type:', Object.keys(v).filter((k) => k !== 'name')[0] ?? 'unknown');
    }
  }
}

export function podTemplate(w: DescribeWriter, level: number, tpl: J | undefined): void {
  w.line(level, 'Pod Template:');
  const l = level + 1;
  w.map(l, 'Labels:', tpl?.['metadata']?.labels);
  const ann = tpl?.['metadata']?.annotations;
  if (ann && Object.keys(ann).length) w.map(l, 'Annotations:', ann, undefined, ': ');
  const spec: J = tpl?.['spec'] ?? {};
  if (spec['serviceAccountName']) w.line(l, 'Service Account:', spec['serviceAccountName']);
  if (spec['initContainers']?.length) containers(w, l, 'Init Containers:', spec['initContainers'], undefined, true);
  containers(w, l, 'Containers:', spec['containers'], undefined, true);
  volumes(w, l, spec['volumes']);
  w.line(l, 'Node-Selectors:', mapString(spec['nodeSelector']));
  w.line(l, 'Tolerations:', tolerations(spec['tolerations']));
}

function tolerations(list: J[] | undefined): string {
  if (!list?.length) return '<none>';
  return list
    .map((t) => {
      let out: string = t['key'] ?? '';
      if (t['value']) out += `=${t['value']}`;
      if (t['effect']) out += `:${t['effect']}`;
      if (t['operator'] === 'Exists' && !t['value']) out += t['key'] ? ' op=Exists' : 'op=Exists';
      if (t['tolerationSeconds'] !== undefined) out += ` for ${t['tolerationSeconds']}s`;
      return out;
    })
    .join('\n');
}

function qosClass(pod: J): string {
  return pod['status']?.qosClass ?? 'BestEffort';
}

export function describePod(w: DescribeWriter, pod: KubeObject): void {
  const p = pod as J;
  const spec: J = p['spec'] ?? {};
  const status: J = p['status'] ?? {};
  w.line(0, 'Name:', pod.metadata.name);
  w.line(0, 'Namespace:', pod.metadata.namespace);
  w.line(0, 'Priority:', spec['priority'] ?? 0);
  if (spec['priorityClassName']) w.line(0, 'Priority Class Name:', spec['priorityClassName']);
  w.line(0, 'Service Account:', spec['serviceAccountName'] ?? 'default');
  w.line(0, 'Node:', spec['nodeName'] ? `${spec['nodeName']}/${status['hostIP'] ?? ''}` : '<none>');
  if (status['startTime']) w.line(0, 'Start Time:', rfc1123z(status['startTime']));
  w.map(0, 'Labels:', pod.metadata.labels);
  w.map(0, 'Annotations:', pod.metadata.annotations, (k) => k === 'kubectl.kubernetes.io/last-applied-configuration', ': ');
  if (pod.metadata.deletionTimestamp) w.line(0, 'Status:', `Terminating (lasts ${pod.metadata.deletionGracePeriodSeconds ?? 0}s)`);
  else w.line(0, 'Status:', status['phase'] ?? 'Pending');
  if (status['reason']) w.line(0, 'Reason:', status['reason']);
  if (status['message']) w.line(0, 'Message:', status['message']);
  w.line(0, 'IP:', status['podIP'] ?? '');
  const ips: J[] = status['podIPs'] ?? [];
  if (ips.length) {
    w.line(0, 'IPs:');
    for (const ip of ips) w.line(1, 'IP:', ip['ip']);
  } else w.line(0, 'IPs:', '<none>');
  const owner = controlledBy(pod);
  if (owner) w.line(0, 'Controlled By:', owner);
  if (spec['initContainers']?.length) containers(w, 0, 'Init Containers:', spec['initContainers'], status['initContainerStatuses'], false);
  containers(w, 0, 'Containers:', spec['containers'], status['containerStatuses'], false);
  conditions(w, status['conditions'], ['Type', 'Status'], (c) => `${c['type']} \t${c['status']} `, { rule: false });
  volumes(w, 0, spec['volumes']);
  w.line(0, 'QoS Class:', qosClass(p));
  w.line(0, 'Node-Selectors:', mapString(spec['nodeSelector']));
  w.line(0, 'Tolerations:', tolerations(spec['tolerations']));
}

export { header };
