import { describe, it, expect } from 'vitest';
import type { KubeObject } from '@wharf/api';
import { acceptsTable, renderTable, tableRowForWatch } from './index.js';

const now = new Date('2026-03-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const MIN = 60_000;
const core = (kind: string) => ({ group: '', kind });

function pod(name: string, extra: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', creationTimestamp: ago(5 * MIN), resourceVersion: '7', managedFields: [{ manager: 'x' }], ...metadata },
    spec: { containers: [{ name: 'app', image: 'nginx' }], nodeName: 'node-1' },
    ...extra,
  };
}

const running = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  ready: true,
  restartCount: 0,
  image: 'nginx',
  imageID: '',
  state: { running: { startedAt: ago(MIN) } },
  ...extra,
});

function cells(kind: { group: string; kind: string }, obj: KubeObject) {
  return renderTable(kind, [obj], { now }).rows[0]!.cells;
}

describe('pod table', () => {
  it('has the columns kubectl shows, wide ones at priority 1', () => {
    const t = renderTable(core('Pod'), [], { now, listResourceVersion: '42' });
    expect(t.kind).toBe('Table');
    expect(t.apiVersion).toBe('meta.k8s.io/v1');
    expect(t.metadata).toEqual({ resourceVersion: '42' });
    expect(t.columnDefinitions.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Ready', 0],
      ['Status', 0],
      ['Restarts', 0],
      ['Age', 0],
      ['IP', 1],
      ['Node', 1],
      ['Nominated Node', 1],
      ['Readiness Gates', 1],
    ]);
    expect(t.columnDefinitions[0]!.format).toBe('name');
  });

  it('prints a running pod with PartialObjectMetadata rows by default', () => {
    const p = pod('web', { status: { phase: 'Running', podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }], containerStatuses: [running('app')] } });
    const t = renderTable(core('Pod'), [p], { now });
    expect(t.rows[0]!.cells).toEqual(['web', '1/1', 'Running', '0', '5m', '10.0.0.5', 'node-1', '<none>', '<none>']);
    expect(t.rows[0]!.object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(5 * MIN), resourceVersion: '7' },
    });
    expect(renderTable(core('Pod'), [p], { now, includeObject: 'None' }).rows[0]!.object).toBeUndefined();
    expect(renderTable(core('Pod'), [p], { now, includeObject: 'Object' }).rows[0]!.object).toBe(p);
  });

  it('shows waiting reasons, restarts with the last restart age, and CrashLoopBackOff', () => {
    const p = pod('crash', {
      status: {
        phase: 'Running',
        containerStatuses: [
          running('app', {
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, finishedAt: ago(5 * MIN) } },
          }),
        ],
      },
    });
    expect(cells(core('Pod'), p).slice(1, 4)).toEqual(['0/1', 'CrashLoopBackOff', '4 (5m ago)']);
    const creating = pod('c', { status: { phase: 'Pending', containerStatuses: [running('app', { ready: false, state: { waiting: { reason: 'ContainerCreating' } } })] } });
    expect(cells(core('Pod'), creating)[2]).toBe('ContainerCreating');
    expect(cells(core('Pod'), pod('p', { status: { phase: 'Pending' } }))[2]).toBe('Pending');
    expect(cells(core('Pod'), pod('p', { status: { phase: 'Pending' } }))[5]).toBe('<none>');
  });

  it('shows Completed, exit codes, Init progress and Terminating', () => {
    const done = pod('job', {
      status: { phase: 'Succeeded', containerStatuses: [running('app', { ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } })] },
    });
    const t = renderTable(core('Pod'), [done], { now });
    expect(t.rows[0]!.cells[2]).toBe('Completed');
    expect(t.rows[0]!.conditions).toEqual([{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
    const killed = pod('k', { status: { phase: 'Running', containerStatuses: [running('app', { ready: false, state: { terminated: { exitCode: 137, signal: 9 } } })] } });
    expect(cells(core('Pod'), killed)[2]).toBe('Signal:9');
    const failed = pod('f', { status: { phase: 'Running', containerStatuses: [running('app', { ready: false, state: { terminated: { exitCode: 3 } } })] } });
    expect(cells(core('Pod'), failed)[2]).toBe('ExitCode:3');

    const init = pod('i', {
      spec: { initContainers: [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'app' }] },
      status: {
        phase: 'Pending',
        initContainerStatuses: [
          running('a', { ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }),
          running('b', { ready: false, state: { running: {} } }),
        ],
        containerStatuses: [running('app', { ready: false, state: { waiting: { reason: 'PodInitializing' } } })],
      },
    });
    expect(cells(core('Pod'), init).slice(1, 3)).toEqual(['0/1', 'Init:1/2']);
    const initCrash = pod('ic', {
      spec: { initContainers: [{ name: 'a' }], containers: [{ name: 'app' }] },
      status: { phase: 'Pending', initContainerStatuses: [running('a', { ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } } })] },
    });
    expect(cells(core('Pod'), initCrash)[2]).toBe('Init:CrashLoopBackOff');

    const deleting = pod('d', { status: { phase: 'Running', containerStatuses: [running('app')] } }, { deletionTimestamp: ago(0) });
    expect(cells(core('Pod'), deleting)[2]).toBe('Terminating');
    const deletedDone = pod('dd', { status: { phase: 'Succeeded' } }, { deletionTimestamp: ago(0) });
    expect(cells(core('Pod'), deletedDone)[2]).toBe('Succeeded');
  });

  it('counts readiness gates', () => {
    const p = pod('g', {
      spec: { containers: [{ name: 'app' }], readinessGates: [{ conditionType: 'x/ready' }, { conditionType: 'y/ready' }] },
      status: { phase: 'Running', nominatedNodeName: 'n2', conditions: [{ type: 'x/ready', status: 'True' }] },
    });
    expect(cells(core('Pod'), p).slice(6)).toEqual(['<none>', 'n2', '1/2']);
  });
});

describe('workload tables', () => {
  const deploy: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', creationTimestamp: ago(3 * 60 * MIN + 5 * MIN) },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web', tier: 'fe' } },
      template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'side', image: 'busybox' }] } },
    },
    status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  };

  it('prints deployments as READY UP-TO-DATE AVAILABLE AGE + wide', () => {
    const t = renderTable({ group: 'apps', kind: 'Deployment' }, [deploy], { now });
    expect(t.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
    expect(t.rows[0]!.cells).toEqual(['web', '2/3', 3, 2, '3h5m', 'nginx,side', 'nginx:1.25,busybox', 'app=web,tier=fe']);
  });

  it('prints replicasets with DESIRED CURRENT READY', () => {
    const rs = { ...deploy, kind: 'ReplicaSet', spec: { ...(deploy.spec as object), selector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['b', 'a'] }] } }, status: { replicas: 3, readyReplicas: 1 } };
    expect(cells({ group: 'apps', kind: 'ReplicaSet' }, rs)).toEqual(['web', 3, 3, 1, '3h5m', 'nginx,side', 'nginx:1.25,busybox', 'env in (a,b)']);
  });

  it('prints HPA targets as Kubernetes does', () => {
    const hpa: KubeObject = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', creationTimestamp: ago(30_000) },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      },
      status: { currentReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 30 } } }] },
    };
    expect(cells({ group: 'autoscaling', kind: 'HorizontalPodAutoscaler' }, hpa)).toEqual(['web', 'Deployment/web', 'cpu: 30%/50%', '1', 5, 2, '30s']);
    const noStatus = { ...hpa, status: {} };
    expect(cells({ group: 'autoscaling', kind: 'HorizontalPodAutoscaler' }, noStatus)[2]).toBe('cpu: <unknown>/50%');
    const v1: KubeObject = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'old' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 4, targetCPUUtilizationPercentage: 70 },
      status: { currentReplicas: 1, currentCPUUtilizationPercentage: 12 },
    };
    expect(cells({ group: 'autoscaling', kind: 'HorizontalPodAutoscaler' }, v1)).toEqual(['old', 'Deployment/web', 'cpu: 12%/70%', '<unset>', 4, 1, '<unknown>']);
    const many = {
      ...hpa,
      spec: {
        ...(hpa.spec as object),
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
          { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } },
        ],
      },
      status: {},
    };
    expect(cells({ group: 'autoscaling', kind: 'HorizontalPodAutoscaler' }, many)[2]).toBe('cpu: <unknown>/50%, memory: <unknown>/100Mi + 1 more...');
  });
});

describe('core tables', () => {
  it('prints services with ports, external IPs and selector', () => {
    const svc: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', creationTimestamp: ago(2 * MIN + 3000) },
      spec: { type: 'NodePort', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }], selector: { app: 'web' } },
    };
    expect(cells(core('Service'), svc)).toEqual(['web', 'NodePort', '10.96.0.10', '<none>', '80:30080/TCP,53/UDP', '2m3s', 'app=web']);
    const lb = { ...svc, spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.11'], ports: [] } };
    expect(cells(core('Service'), lb).slice(1, 5)).toEqual(['LoadBalancer', '10.96.0.11', '<pending>', '<none>']);
    const headless = { ...svc, spec: { clusterIP: 'None', ports: [{ port: 80 }] } };
    expect(cells(core('Service'), headless).slice(1, 7)).toEqual(['ClusterIP', 'None', '<none>', '80/TCP', '2m3s', '<none>']);
  });

  it('prints node status, roles and wide columns', () => {
    const node: KubeObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', creationTimestamp: ago(2 * 24 * 60 * MIN + 5 * 60 * MIN), labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'worker' } },
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: 'Ready', status: 'False' }],
        addresses: [{ type: 'InternalIP', address: '10.1.0.2' }],
        nodeInfo: { kubeletVersion: 'v1.32.0-wharf', osImage: 'Debian', kernelVersion: '6.1', containerRuntimeVersion: 'runc://1.1' },
      },
    };
    expect(cells(core('Node'), node)).toEqual(['n1', 'NotReady,SchedulingDisabled', 'control-plane,worker', '2d5h', 'v1.32.0-wharf', '10.1.0.2', '<none>', 'Debian', '6.1', 'runc://1.1']);
    const bare: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' } };
    expect(cells(core('Node'), bare).slice(1, 3)).toEqual(['Unknown', '<none>']);
  });

  it('prints events as LAST SEEN TYPE REASON OBJECT MESSAGE (+ wide)', () => {
    const ev: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web.1' },
      involvedObject: { kind: 'Deployment', name: 'web' },
      reason: 'ScalingReplicaSet',
      message: ' Scaled up replica set web-abc to 2 ',
      type: 'Normal',
      source: { component: 'deployment-controller' },
      firstTimestamp: ago(10 * MIN),
      lastTimestamp: ago(MIN),
      count: 3,
    };
    const t = renderTable(core('Event'), [ev], { now });
    expect(t.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name)).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
    expect(t.rows[0]!.cells).toEqual(['60s', 'Normal', 'ScalingReplicaSet', 'deployment/web', '', 'deployment-controller', 'Scaled up replica set web-abc to 2', '10m', 3, 'web.1']);
  });

  it('prints data counts, namespaces, leases, service accounts', () => {
    const base = { metadata: { name: 'x', creationTimestamp: ago(45_000) } };
    expect(cells(core('ConfigMap'), { ...base, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } })).toEqual(['x', 3, '45s']);
    expect(cells(core('Secret'), { ...base, type: 'Opaque', data: { a: 'MQ==' } })).toEqual(['x', 'Opaque', 1, '45s']);
    expect(cells(core('Namespace'), { ...base, status: { phase: 'Active' } })).toEqual(['x', 'Active', '45s']);
    expect(cells(core('ServiceAccount'), base)).toEqual(['x', 0, '45s']);
    expect(cells({ group: 'coordination.k8s.io', kind: 'Lease' }, { ...base, spec: { holderIdentity: 'cm-1' } })).toEqual(['x', 'cm-1', '45s']);
  });

  it('prints endpoints and endpoint slices, eliding beyond three', () => {
    const ep = {
      metadata: { name: 'web' },
      subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }, { ip: '10.0.0.3' }, { ip: 'fd00::4' }], ports: [{ port: 80 }] }],
    };
    expect(cells(core('Endpoints'), ep)[1]).toBe('10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...');
    expect(cells(core('Endpoints'), { metadata: { name: 'e' } })[1]).toBe('<none>');
    const slice = { metadata: { name: 'web-x' }, addressType: 'IPv4', ports: [{ port: 80 }, { name: 'dns' }], endpoints: [{ addresses: ['10.0.0.1'] }] };
    expect(cells({ group: 'discovery.k8s.io', kind: 'EndpointSlice' }, slice).slice(0, 4)).toEqual(['web-x', 'IPv4', '80,dns', '10.0.0.1']);
    expect(cells({ group: 'discovery.k8s.io', kind: 'EndpointSlice' }, { metadata: { name: 's' }, addressType: 'IPv4' }).slice(2, 4)).toEqual(['<unset>', '<unset>']);
  });
});

describe('watch tables', () => {
  it('sends column definitions only when asked (the first event)', () => {
    const p = pod('web', { status: { phase: 'Running' } });
    const first = tableRowForWatch(core('Pod'), p, { now, withColumnDefinitions: true });
    expect(first.columnDefinitions).toHaveLength(9);
    expect(first.rows).toHaveLength(1);
    expect(first.metadata).toEqual({ resourceVersion: '7' });
    const later = tableRowForWatch(core('Pod'), p, { now, withColumnDefinitions: false });
    expect(later.columnDefinitions).toEqual([]);
    expect(later.rows[0]!.cells[0]).toBe('web');
  });

  it('recognises the Table Accept header kubectl sends', () => {
    expect(acceptsTable('application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json')).toBe(true);
    expect(acceptsTable('application/json')).toBe(false);
  });
});

describe('metrics tables', () => {
  it('sums container usage per resource like metrics-server', () => {
    const pm: KubeObject = {
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'PodMetrics',
      metadata: { name: 'web-1', namespace: 'default' },
      timestamp: now.toISOString(),
      window: '10.5s',
      containers: [
        { name: 'a', usage: { cpu: '1500000n', memory: '10240Ki' } },
        { name: 'b', usage: { cpu: '500000n', memory: '6Mi' } },
      ],
    };
    const t = renderTable({ group: 'metrics.k8s.io', kind: 'PodMetrics' }, [pm], { now });
    expect(t.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'cpu', 'memory', 'Window']);
    expect(t.rows[0]!.cells).toEqual(['web-1', '2m', '16Mi', '10.5s']);
    const nm: KubeObject = { apiVersion: 'metrics.k8s.io/v1beta1', kind: 'NodeMetrics', metadata: { name: 'n1' }, window: '20s', usage: { cpu: '250m', memory: '1Gi' } };
    expect(renderTable({ group: 'metrics.k8s.io', kind: 'NodeMetrics' }, [nm], { now }).rows[0]!.cells).toEqual(['n1', '250m', '1Gi', '20s']);
    expect(renderTable({ group: 'metrics.k8s.io', kind: 'NodeMetrics' }, [], { now }).columnDefinitions).toEqual([]);
  });
});
