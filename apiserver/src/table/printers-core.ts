// Printers for core/v1 kinds, cell for cell as pkg/printers/internalversion
// renders them.
import { AGE_COLUMN, NAME_COLUMN, col } from './columns.js';
import { timestampSince } from './duration.js';
import { asArray, asNumber, asObj, asString, formatLabels, joinHostPort, type Obj } from './format.js';
import type { Printer, PrintedRow, TableRowCondition } from './types.js';

const meta = (o: Obj) => asObj(o.metadata);
const nameOf = (o: Obj) => asString(meta(o).name);
const age = (o: Obj, now: Date) => timestampSince(meta(o).creationTimestamp, now);

function isRestartableInit(container: Obj | undefined): boolean {
  return container?.restartPolicy === 'Always';
}

function hasCondition(status: Obj, type: string): boolean {
  return asArray(status.conditions).some((c) => c.type === type && c.status === 'True');
}

/** The later of `current` and the container's last termination time, in ms (0 = none). */
function lastTermination(container: Obj, current: number): number {
  const finished = asObj(asObj(asObj(container.lastState).terminated)).finishedAt;
  const t = typeof finished === 'string' ? Date.parse(finished) : NaN;
  return !Number.isNaN(t) && t > current ? t : current;
}

function terminatedReason(terminated: Obj, prefix: string): string {
  const reason = asString(terminated.reason);
  if (reason) return prefix + reason;
  const signal = asNumber(terminated.signal);
  return signal !== 0 ? `${prefix}Signal:${signal}` : `${prefix}ExitCode:${asNumber(terminated.exitCode)}`;
}

const podSucceeded: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const podFailed: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

export const podPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE_COLUMN,
    col('IP', 'string', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
    col('Node', 'string', 'NodeName indicates in which node this pod is scheduled.', 1),
    col('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.', 1),
    col('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
  ],
  print(pod, now) {
    const spec = asObj(pod.spec);
    const status = asObj(pod.status);
    const phase = asString(status.phase);
    let restarts = 0;
    let restartableInitRestarts = 0;
    let totalContainers = asArray(spec.containers).length;
    let readyContainers = 0;
    let lastRestart = 0;
    let lastRestartableInitRestart = 0;
    let reason = asString(status.reason) || phase;
    for (const c of asArray(status.conditions)) {
      if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
    }
    const initSpecs = new Map(asArray(spec.initContainers).map((c) => [asString(c.name), c]));
    for (const c of initSpecs.values()) if (isRestartableInit(c)) totalContainers++;

    let initializing = false;
    const initStatuses = asArray(status.initContainerStatuses);
    for (let i = 0; i < initStatuses.length; i++) {
      const c = initStatuses[i]!;
      const state = asObj(c.state);
      restarts += asNumber(c.restartCount);
      lastRestart = lastTermination(c, lastRestart);
      const restartable = isRestartableInit(initSpecs.get(asString(c.name)));
      if (restartable) {
        restartableInitRestarts += asNumber(c.restartCount);
        lastRestartableInitRestart = lastTermination(c, lastRestartableInitRestart);
      }
      const terminated = state.terminated === undefined ? undefined : asObj(state.terminated);
      const waiting = state.waiting === undefined ? undefined : asObj(state.waiting);
      if (terminated && asNumber(terminated.exitCode) === 0) continue;
      if (restartable && c.started === true) {
        if (c.ready === true) readyContainers++;
        continue;
      }
      if (terminated) reason = terminatedReason(terminated, 'Init:');
      else if (waiting && asString(waiting.reason) !== '' && waiting.reason !== 'PodInitializing') reason = `Init:${asString(waiting.reason)}`;
      else reason = `Init:${i}/${initSpecs.size}`;
      initializing = true;
      break;
    }

    if (!initializing || hasCondition(status, 'Initialized')) {
      restarts = restartableInitRestarts;
      lastRestart = lastRestartableInitRestart;
      let hasRunning = false;
      const statuses = asArray(status.containerStatuses);
      for (let i = statuses.length - 1; i >= 0; i--) {
        const c = statuses[i]!;
        const state = asObj(c.state);
        restarts += asNumber(c.restartCount);
        lastRestart = lastTermination(c, lastRestart);
        const waiting = asObj(state.waiting);
        const terminated = state.terminated === undefined ? undefined : asObj(state.terminated);
        if (asString(waiting.reason) !== '') reason = asString(waiting.reason);
        else if (terminated) reason = terminatedReason(terminated, '');
        else if (c.ready === true && state.running !== undefined) {
          hasRunning = true;
          readyContainers++;
        }
      }
      // A pod whose last container completed but another still runs is not "Completed".
      if (reason === 'Completed' && hasRunning) reason = hasCondition(status, 'Ready') ? 'Running' : 'NotReady';
    }

    const deleting = asString(meta(pod).deletionTimestamp) !== '';
    if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
    else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

    const restartsCell = lastRestart !== 0 ? `${restarts} (${timestampSince(new Date(lastRestart).toISOString(), now)} ago)` : String(restarts);

    const podIPs = asArray(status.podIPs);
    const podIP = asString(podIPs[0]?.ip) || asString(status.podIP) || '<none>';
    const gates = asArray(spec.readinessGates);
    let readinessGates = '<none>';
    if (gates.length > 0) {
      const conditions = asArray(status.conditions);
      const trueCount = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
      readinessGates = `${trueCount}/${gates.length}`;
    }
    const row: PrintedRow = {
      cells: [
        nameOf(pod),
        `${readyContainers}/${totalContainers}`,
        reason,
        restartsCell,
        age(pod, now),
        podIP,
        asString(spec.nodeName) || '<none>',
        asString(status.nominatedNodeName) || '<none>',
        readinessGates,
      ],
    };
    if (phase === 'Succeeded') row.conditions = podSucceeded;
    else if (phase === 'Failed') row.conditions = podFailed;
    return row;
  },
};

function nodeRoles(labels: Obj): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && typeof v === 'string' && v !== '') roles.add(v);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function nodeAddress(status: Obj, type: string): string {
  return asString(asArray(status.addresses).find((a) => a.type === type)?.address) || '<none>';
}

export const nodePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    AGE_COLUMN,
    col('Version', 'string', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'string', 'List of addresses reachable to the node.', 1),
    col('External-IP', 'string', 'List of addresses reachable to the node.', 1),
    col('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
    col('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
    col('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
  ],
  print(node, now) {
    const status = asObj(node.status);
    const ready = asArray(status.conditions).find((c) => c.type === 'Ready');
    const states = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
    if (asObj(node.spec).unschedulable === true) states.push('SchedulingDisabled');
    const info = asObj(status.nodeInfo);
    return {
      cells: [
        nameOf(node),
        states.join(','),
        nodeRoles(asObj(meta(node).labels)),
        age(node, now),
        asString(info.kubeletVersion),
        nodeAddress(status, 'InternalIP'),
        nodeAddress(status, 'ExternalIP'),
        asString(info.osImage) || '<unknown>',
        asString(info.kernelVersion) || '<unknown>',
        asString(info.containerRuntimeVersion) || '<unknown>',
      ],
    };
  },
};

function loadBalancerIngress(status: Obj): string {
  const set = new Set<string>();
  for (const i of asArray(asObj(status.loadBalancer).ingress)) {
    if (asString(i.ip)) set.add(asString(i.ip));
    else if (asString(i.hostname)) set.add(asString(i.hostname));
  }
  // The apiserver renders wide tables, so the 16-character clipping never applies.
  return [...set].sort().join(',');
}

function serviceExternalIP(svc: Obj): string {
  const spec = asObj(svc.spec);
  const externalIPs = Array.isArray(spec.externalIPs) ? (spec.externalIPs as string[]) : [];
  switch (asString(spec.type) || 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(asObj(svc.status));
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return asString(spec.externalName);
    default:
      return '<unknown>';
  }
}

function servicePorts(ports: unknown): string {
  const pieces = asArray(ports).map((p) => {
    const protocol = asString(p.protocol) || 'TCP';
    const nodePort = asNumber(p.nodePort);
    return nodePort > 0 ? `${asNumber(p.port)}:${nodePort}/${protocol}` : `${asNumber(p.port)}/${protocol}`;
  });
  return pieces.length === 0 ? '<none>' : pieces.join(',');
}

export const servicePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Type', 'string', 'type determines how the Service is exposed.'),
    col('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    AGE_COLUMN,
    col('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  print(svc, now) {
    const spec = asObj(svc.spec);
    const clusterIPs = Array.isArray(spec.clusterIPs) ? (spec.clusterIPs as string[]) : [];
    return {
      cells: [
        nameOf(svc),
        asString(spec.type) || 'ClusterIP',
        clusterIPs[0] ?? (asString(spec.clusterIP) || '<none>'),
        serviceExternalIP(svc),
        servicePorts(spec.ports),
        age(svc, now),
        formatLabels(spec.selector),
      ],
    };
  },
};

function formatEndpoints(endpoints: Obj): string {
  const subsets = asArray(endpoints.subsets);
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addresses = asArray(ss.addresses);
    const ports = asArray(ss.ports);
    if (ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) if (list.length < 3) list.push(asString(a.ip));
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) if (list.length < 3) list.push(joinHostPort(asString(a.ip), asNumber(port.port)));
    }
  }
  const ret = list.join(',');
  return count > 3 ? `${ret} + ${count - 3} more...` : ret;
}

export const endpointsPrinter: Printer = {
  columns: [NAME_COLUMN, col('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'), AGE_COLUMN],
  print: (ep, now) => ({ cells: [nameOf(ep), formatEndpoints(ep), age(ep, now)] }),
};

export const namespacePrinter: Printer = {
  columns: [NAME_COLUMN, col('Status', 'string', 'The status of the namespace'), AGE_COLUMN],
  print: (ns, now) => ({ cells: [nameOf(ns), asString(asObj(ns.status).phase), age(ns, now)] }),
};

export const configMapPrinter: Printer = {
  columns: [NAME_COLUMN, col('Data', 'string', 'Data contains the configuration data.'), AGE_COLUMN],
  print: (cm, now) => ({ cells: [nameOf(cm), Object.keys(asObj(cm.data)).length + Object.keys(asObj(cm.binaryData)).length, age(cm, now)] }),
};

export const secretPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    col('Data', 'string', 'Data contains the secret data.'),
    AGE_COLUMN,
  ],
  // stringData is folded into data on write, so only data is counted.
  print: (s, now) => ({ cells: [nameOf(s), asString(s.type), Object.keys(asObj(s.data)).length, age(s, now)] }),
};

export const serviceAccountPrinter: Printer = {
  columns: [NAME_COLUMN, col('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), AGE_COLUMN],
  print: (sa, now) => ({ cells: [nameOf(sa), asArray(sa.secrets).length, age(sa, now)] }),
};

function eventSource(ev: Obj): string {
  const source = asObj(ev.source);
  const component = asString(source.component) || asString(ev.reportingComponent);
  const instance = asString(source.host) || asString(ev.reportingInstance);
  return instance ? `${component}, ${instance}` : component;
}

export const eventPrinter: Printer = {
  columns: [
    col('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    col('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    col('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    col('Object', 'string', 'The object that this event is about.'),
    col('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.', 1),
    col('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
    col('Message', 'string', 'A human-readable description of the status of this operation.'),
    col('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 1),
    col('Count', 'string', 'The number of times this event has occurred.', 1),
    { ...NAME_COLUMN, priority: 1 },
  ],
  print(ev, now) {
    const eventTime = asString(ev.eventTime);
    const first = asString(ev.firstTimestamp) ? timestampSince(ev.firstTimestamp, now) : timestampSince(eventTime, now);
    let last = asString(ev.lastTimestamp) ? timestampSince(ev.lastTimestamp, now) : first;
    let count = asNumber(ev.count);
    const series = ev.series === undefined || ev.series === null ? undefined : asObj(ev.series);
    if (series) {
      last = timestampSince(series.lastObservedTime, now);
      count = asNumber(series.count);
    } else if (count === 0) {
      // Events written through events.k8s.io leave count unset for singletons.
      count = 1;
    }
    const involved = asObj(ev.involvedObject);
    const kind = asString(involved.kind).toLowerCase();
    const target = asString(involved.name) ? `${kind}/${asString(involved.name)}` : kind;
    return {
      cells: [last, asString(ev.type), asString(ev.reason), target, asString(involved.fieldPath), eventSource(ev), asString(ev.message).trim(), first, count, nameOf(ev)],
    };
  },
};

