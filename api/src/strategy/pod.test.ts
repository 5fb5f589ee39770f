import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.js';
import { strategyFor } from './registry.js';

const pods = strategyFor('', 'Pod');

function pod(mutate: (p: any) => void = () => {}): KubeObject {
  const p: any = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'nginx:1.27',
          ports: [{ containerPort: 80, name: 'http' }],
          env: [{ name: 'MODE', value: 'prod' }],
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
          volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg' }],
          livenessProbe: { httpGet: { port: 80 } },
        },
      ],
      volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }],
    },
  };
  mutate(p);
  pods.applyDefaults(p);
  return p;
}

function fields(o: KubeObject): string[] {
  return pods.validateCreate(o).map((e) => e.field);
}

describe('Pod defaults', () => {
  it('fills what the Kubernetes apiserver fills', () => {
    const p: any = pod();
    expect(p.spec).toMatchObject({
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      securityContext: {},
      enableServiceLinks: true,
      serviceAccountName: 'default',
      serviceAccount: 'default',
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
    });
    expect(p.spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    const c = p.spec.containers[0];
    expect(c).toMatchObject({ imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' });
    expect(c.ports[0].protocol).toBe('TCP');
    expect(c.livenessProbe).toEqual({ httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(p.spec.volumes[0].configMap.defaultMode).toBe(420);
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'Burstable' });
  });

  it.each<[string, string]>([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['registry:5000/nginx', 'Always'],
    ['registry:5000/nginx:1.2', 'IfNotPresent'],
    ['nginx@sha256:abc', 'IfNotPresent'],
    ['nginx:1.27', 'IfNotPresent'],
  ])('imagePullPolicy for %s is %s', (image, policy) => {
    expect((pod((p) => (p.spec.containers[0].image = image)) as any).spec.containers[0].imagePullPolicy).toBe(policy);
  });

  it('keeps explicit values and copies limits into missing requests', () => {
    const p: any = pod((x) => {
      x.spec.restartPolicy = 'Never';
      x.spec.containers[0].imagePullPolicy = 'Never';
      x.spec.containers[0].resources = { limits: { cpu: '500m', memory: '1Gi' } };
      x.spec.tolerations = [{ operator: 'Exists' }];
    });
    expect(p.spec.restartPolicy).toBe('Never');
    expect(p.spec.containers[0].imagePullPolicy).toBe('Never');
    expect(p.spec.containers[0].resources.requests).toEqual({ cpu: '500m', memory: '1Gi' });
    expect(p.status.qosClass).toBe('Guaranteed');
    // A toleration of everything already covers the not-ready/unreachable taints.
    expect(p.spec.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  it('classifies BestEffort and gives volumes without a source an emptyDir', () => {
    const p: any = pod((x) => {
      delete x.spec.containers[0].resources;
      x.spec.volumes = [{ name: 'cfg' }, { name: 's', secret: { secretName: 's' } }];
    });
    expect(p.status.qosClass).toBe('BestEffort');
    expect(p.spec.volumes[0].emptyDir).toEqual({});
    expect(p.spec.volumes[1].secret.defaultMode).toBe(420);
  });
});

describe('Pod validation', () => {
  it('accepts the valid pod', () => {
    expect(pods.validateCreate(pod())).toEqual([]);
  });

  it.each<[string, (p: any) => void, string, string?]>([
    ['name required', (p) => delete p.metadata.name, 'metadata.name', 'Required value: name or generateName is required'],
    ['name syntax', (p) => (p.metadata.name = 'Web_1'), 'metadata.name', 'a lowercase RFC 1123 subdomain must consist of'],
    ['generateName syntax', (p) => (p.metadata.generateName = 'Web-'), 'metadata.generateName'],
    ['namespace required', (p) => delete p.metadata.namespace, 'metadata.namespace', 'Required value'],
    ['label key', (p) => (p.metadata.labels = { 'a/b/c': 'x' }), 'metadata.labels'],
    ['label value', (p) => (p.metadata.labels = { app: '-bad' }), 'metadata.labels'],
    ['annotation key', (p) => (p.metadata.annotations = { 'bad key': 'x' }), 'metadata.annotations'],
    ['annotation size', (p) => (p.metadata.annotations = { big: 'x'.repeat(262145) }), 'metadata.annotations', 'Too long: must have at most 262144 bytes'],
    ['ownerReference uid', (p) => (p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs' }]), 'metadata.ownerReferences.uid', 'uid must not be empty'],
    ['finalizer', (p) => (p.metadata.finalizers = ['custom']), 'metadata.finalizers[0]', 'name is neither a standard finalizer name nor is it fully qualified'],
    ['containers required', (p) => (p.spec.containers = []), 'spec.containers', 'Required value'],
    ['container name required', (p) => delete p.spec.containers[0].name, 'spec.containers[0].name'],
    ['container name syntax', (p) => (p.spec.containers[0].name = 'App'), 'spec.containers[0].name'],
    ['duplicate container', (p) => p.spec.containers.push({ ...p.spec.containers[0], ports: [] }), 'spec.containers[1].name', 'Duplicate value: "app"'],
    ['init container clashes', (p) => (p.spec.initContainers = [{ name: 'app', image: 'busybox' }]), 'spec.initContainers[0].name', 'Duplicate value: "app"'],
    ['image required', (p) => delete p.spec.containers[0].image, 'spec.containers[0].image', 'Required value'],
    ['containerPort range', (p) => (p.spec.containers[0].ports[0].containerPort = 70000), 'spec.containers[0].ports[0].containerPort', 'must be between 1 and 65535, inclusive'],
    ['hostPort range', (p) => (p.spec.containers[0].ports[0].hostPort = -1), 'spec.containers[0].ports[0].hostPort'],
    ['port protocol', (p) => (p.spec.containers[0].ports[0].protocol = 'tcp'), 'spec.containers[0].ports[0].protocol', 'Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"'],
    ['port name', (p) => (p.spec.containers[0].ports[0].name = 'HTTP'), 'spec.containers[0].ports[0].name'],
    ['restartPolicy', (p) => (p.spec.restartPolicy = 'Sometimes'), 'spec.restartPolicy', 'supported values: "Always", "OnFailure", "Never"'],
    ['dnsPolicy', (p) => (p.spec.dnsPolicy = 'Custom'), 'spec.dnsPolicy'],
    ['imagePullPolicy', (p) => (p.spec.containers[0].imagePullPolicy = 'Sometimes'), 'spec.containers[0].imagePullPolicy'],
    ['resource quantity', (p) => (p.spec.containers[0].resources.limits.cpu = 'lots'), 'spec.containers[0].resources.limits[cpu]'],
    ['negative request', (p) => (p.spec.containers[0].resources.requests.memory = '-1Mi'), 'spec.containers[0].resources.requests[memory]', 'must be greater than or equal to 0'],
    ['request above limit', (p) => (p.spec.containers[0].resources.requests.cpu = '2'), 'spec.containers[0].resources.requests[cpu]', 'Invalid value: "2": must be less than or equal to cpu limit of 1'],
    ['resource name', (p) => (p.spec.containers[0].resources.limits.gpus = '1'), 'spec.containers[0].resources.limits[gpus]', 'must be a standard resource for containers'],
    ['probe without handler', (p) => (p.spec.containers[0].livenessProbe = { periodSeconds: 5 }), 'spec.containers[0].livenessProbe', 'Required value: must specify a handler type'],
    ['probe with two handlers', (p) => (p.spec.containers[0].livenessProbe = { httpGet: { port: 80 }, tcpSocket: { port: 80 } }), 'spec.containers[0].livenessProbe.tcpSocket', 'may not specify more than 1 handler type'],
    ['liveness successThreshold', (p) => (p.spec.containers[0].livenessProbe.successThreshold = 2), 'spec.containers[0].livenessProbe.successThreshold', 'must be 1'],
    ['probe port', (p) => (p.spec.containers[0].readinessProbe = { tcpSocket: { port: 0 } }), 'spec.containers[0].readinessProbe.tcpSocket.port'],
    ['probe exec command', (p) => (p.spec.containers[0].readinessProbe = { exec: {} }), 'spec.containers[0].readinessProbe.exec.command'],
    ['duplicate volume', (p) => p.spec.volumes.push({ name: 'cfg', emptyDir: {} }), 'spec.volumes[1].name', 'Duplicate value: "cfg"'],
    ['volume with two sources', (p) => (p.spec.volumes[0].emptyDir = {}), 'spec.volumes[0].configMap', 'may not specify more than 1 volume type'],
    ['configMap volume name', (p) => delete p.spec.volumes[0].configMap.name, 'spec.volumes[0].configMap.name'],
    ['volume defaultMode', (p) => (p.spec.volumes[0].configMap.defaultMode = 1000), 'spec.volumes[0].configMap.defaultMode'],
    ['volumeMount to missing volume', (p) => (p.spec.containers[0].volumeMounts[0].name = 'nope'), 'spec.containers[0].volumeMounts[0].name', 'Not found: "nope"'],
    ['volumeMount path required', (p) => delete p.spec.containers[0].volumeMounts[0].mountPath, 'spec.containers[0].volumeMounts[0].mountPath'],
    ['env name', (p) => (p.spec.containers[0].env[0].name = 'A=B'), 'spec.containers[0].env[0].name'],
    ['env valueFrom with value', (p) => (p.spec.containers[0].env[0].valueFrom = { fieldRef: { fieldPath: 'metadata.name' } }), 'spec.containers[0].env[0].valueFrom'],
    ['env fieldRef path', (p) => (p.spec.containers[0].env = [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.bogus' } } }]), 'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath'],
    ['env secretKeyRef key', (p) => (p.spec.containers[0].env = [{ name: 'X', valueFrom: { secretKeyRef: { name: 's' } } }]), 'spec.containers[0].env[0].valueFrom.secretKeyRef.key'],
    ['activeDeadlineSeconds', (p) => (p.spec.activeDeadlineSeconds = 0), 'spec.activeDeadlineSeconds'],
    ['toleration operator', (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Maybe' }]), 'spec.tolerations[0].operator'],
    ['nodeSelector', (p) => (p.spec.nodeSelector = { 'bad key': 'x' }), 'spec.nodeSelector'],
  ])('%s', (_name, mutate, field, message) => {
    const errs = pods.validateCreate(pod(mutate));
    const hit = errs.find((e) => e.field === field);
    expect(hit, `errors: ${JSON.stringify(errs)}`).toBeDefined();
    if (message) expect(hit?.message).toContain(message);
  });

  it('accepts named probe ports, init containers and fieldRef label paths', () => {
    expect(
      fields(
        pod((p) => {
          p.spec.containers[0].readinessProbe = { httpGet: { port: 'http' } };
          p.spec.initContainers = [{ name: 'init', image: 'busybox' }];
          p.spec.containers[0].env.push({ name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } });
        }),
      ),
    ).toEqual([]);
  });

  it('survives malformed input without throwing', () => {
    const bad: any = { metadata: { name: 'x', namespace: 'd' }, spec: { containers: 'nope', volumes: [null, 3], restartPolicy: 5 } };
    pods.applyDefaults(bad);
    expect(pods.validateCreate(bad).length).toBeGreaterThan(0);
    const worse: any = { metadata: { name: 'x', namespace: 'd' }, spec: { containers: [null, 'x', { name: 1, ports: 'p', env: [null] }] } };
    pods.applyDefaults(worse);
    expect(() => pods.validateCreate(worse)).not.toThrow();
  });
});

describe('Pod update', () => {
  it('allows changing images, labels, activeDeadlineSeconds and adding tolerations', () => {
    const old = pod();
    const next: any = structuredClone(old);
    next.spec.containers[0].image = 'nginx:1.28';
    next.metadata.labels.tier = 'fe';
    next.spec.activeDeadlineSeconds = 30;
    next.spec.tolerations.push({ key: 'x', operator: 'Exists' });
    expect(pods.validateUpdate(next, old)).toEqual([]);
  });

  it.each<[string, (p: any) => void, string, string]>([
    ['changing a port', (p) => (p.spec.containers[0].ports[0].containerPort = 81), 'spec', 'pod updates may not change fields other than `spec.containers[*].image`'],
    ['removing a toleration', (p) => p.spec.tolerations.pop(), 'spec', 'Forbidden: pod updates may not change fields other than'],
    ['changing the name', (p) => (p.metadata.name = 'other'), 'metadata.name', 'field is immutable'],
    ['changing the namespace', (p) => (p.metadata.namespace = 'other'), 'metadata.namespace', 'field is immutable'],
    ['changing the uid', (p) => (p.metadata.uid = 'u2'), 'metadata.uid', 'field is immutable'],
  ])('rejects %s', (_name, mutate, field, message) => {
    const old: any = pod();
    old.metadata.uid = 'u1';
    const next: any = structuredClone(old);
    mutate(next);
    const hit = pods.validateUpdate(next, old).find((e) => e.field === field);
    expect(hit).toBeDefined();
    expect(hit?.message).toContain(message);
  });

  it('allows shortening but not lengthening activeDeadlineSeconds', () => {
    const old: any = pod((p) => (p.spec.activeDeadlineSeconds = 60));
    const shorter: any = structuredClone(old);
    shorter.spec.activeDeadlineSeconds = 30;
    expect(pods.validateUpdate(shorter, old)).toEqual([]);
    const longer: any = structuredClone(old);
    longer.spec.activeDeadlineSeconds = 90;
    expect(pods.validateUpdate(longer, old).map((e) => e.field)).toEqual(['spec.activeDeadlineSeconds']);
  });
});

describe('Pod selectable fields', () => {
  it('exposes the fields kubectl and the node agent select on', () => {
    const p: any = pod();
    p.spec.nodeName = 'node-1';
    p.status.podIP = '10.244.0.5';
    expect(pods.selectableFields(p)).toMatchObject({
      'metadata.name': 'web',
      'metadata.namespace': 'default',
      'spec.nodeName': 'node-1',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': 'default',
      'status.phase': 'Pending',
      'status.podIP': '10.244.0.5',
    });
    expect(pods.fieldLabels).toContain('spec.nodeName');
    expect(pods.fieldLabels).not.toContain('spec.unschedulable');
  });
});
