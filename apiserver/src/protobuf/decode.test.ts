import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ApiError, BadRequestError, UnsupportedMediaTypeError } from '@wharf/api';
import { decodeEnvelope, decodeProtobufObject, isProtobufContentType, messageTypeFor, protoRoot, PROTOBUF_MAGIC, supportedProtobufKinds } from './index.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Encodes like client-go: the k8s\0 magic, then runtime.Unknown{typeMeta, raw}. */
function encodeBody(apiVersion: string, kind: string, message: Record<string, unknown>): Buffer {
  const type = messageTypeFor(apiVersion, kind);
  if (!type) throw new Error(`no message for ${apiVersion} ${kind}`);
  return envelope(apiVersion, kind, type.encode(type.fromObject(message)).finish());
}

function envelope(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const unknown = protoRoot().lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  const bytes = unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' })).finish();
  return Buffer.concat([PROTOBUF_MAGIC, bytes]);
}

const seconds = (iso: string) => ({ seconds: Date.parse(iso) / 1000 });

describe('bodies captured from kubectl 1.32', () => {
  const names = readdirSync(fixtures).filter((f) => f.endsWith('.bin')).map((f) => f.slice(0, -4));

  it('has the captured fixtures', () => {
    expect(names.length).toBeGreaterThanOrEqual(15);
  });

  // Each .json is kubectl's own --dry-run=client -o json of the same command
  // (minus `creationTimestamp: null`): decoding must give the identical object.
  it.each(names)('%s decodes to what kubectl built', (name) => {
    const body = readFileSync(`${fixtures}${name}.bin`);
    const expected = JSON.parse(readFileSync(`${fixtures}${name}.json`, 'utf8')) as unknown;
    expect(decodeProtobufObject(body)).toEqual(expected);
  });

  it('keeps Secret bytes exact and base64-encodes them', () => {
    const secret = decodeProtobufObject(readFileSync(`${fixtures}secret-generic.bin`));
    const data = secret.data as Record<string, string>;
    expect(Buffer.from(data.pass!, 'base64').toString()).toBe('s3cr3t');
    const cm = decodeProtobufObject(readFileSync(`${fixtures}configmap-binary.bin`));
    expect([...Buffer.from((cm.binaryData as Record<string, string>).bin!, 'base64')].slice(0, 3)).toEqual([0x00, 0xff, 0xfe]);
  });
});

describe('messages encoded from the same definitions', () => {
  it('decodes a full pod: probes, env sources, volumes, security, affinity, status', () => {
    const body = encodeBody('v1', 'Pod', {
      metadata: {
        name: 'p',
        namespace: 'ns',
        generateName: '',
        generation: 0,
        creationTimestamp: {},
        deletionTimestamp: seconds('2026-01-02T03:04:05Z'),
        labels: { a: 'b' },
        ownerReferences: [{ kind: 'ReplicaSet', name: 'rs', uid: 'u', apiVersion: 'apps/v1', controller: true, blockOwnerDeletion: false }],
        finalizers: ['f'],
      },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'nginx',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '', valueFrom: { configMapKeyRef: { localObjectReference: { name: 'cm' }, key: 'k', optional: false } } },
              { name: 'C', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
            ],
            envFrom: [{ prefix: 'X_', secretRef: { localObjectReference: { name: 's' } } }],
            resources: { limits: { cpu: { string: '500m' }, memory: { string: '64Mi' } }, requests: { cpu: { string: '100m' } } },
            livenessProbe: { handler: { httpGet: { path: '/healthz', port: { type: 1, strVal: 'http' }, scheme: 'HTTP' } }, initialDelaySeconds: 3, periodSeconds: 0, failureThreshold: 3 },
            readinessProbe: { handler: { tcpSocket: { port: { type: 0, intVal: 8080 } } } },
            startupProbe: { handler: { exec: { command: ['true'] } } },
            volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
            securityContext: { runAsUser: 0, runAsNonRoot: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            restartPolicy: 'Always',
          },
        ],
        volumes: [
          { name: 'data', volumeSource: { emptyDir: { sizeLimit: { string: '1Gi' } } } },
          { name: 'cfg', volumeSource: { configMap: { localObjectReference: { name: 'cm' }, defaultMode: 420 } } },
          { name: 'sec', volumeSource: { secret: { secretName: 's', items: [{ key: 'k', path: 'p' }] } } },
          { name: 'tok', volumeSource: { projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } } },
        ],
        terminationGracePeriodSeconds: 0,
        nodeSelector: { disk: 'ssd' },
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 30 }],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] },
          },
        },
        hostNetwork: false,
        priority: 0,
      },
      status: {
        phase: 'Running',
        podIPs: [{ ip: '10.0.0.1' }],
        startTime: seconds('2026-01-02T03:00:00Z'),
        containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', finishedAt: seconds('2026-01-02T03:01:00Z') } } }],
      },
    });
    const pod = decodeProtobufObject(body);
    expect(pod).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'p',
        namespace: 'ns',
        deletionTimestamp: '2026-01-02T03:04:05Z',
        labels: { a: 'b' },
        ownerReferences: [{ kind: 'ReplicaSet', name: 'rs', uid: 'u', apiVersion: 'apps/v1', controller: true, blockOwnerDeletion: false }],
        finalizers: ['f'],
      },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'nginx',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k', optional: false } } },
              { name: 'C', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
            ],
            envFrom: [{ prefix: 'X_', secretRef: { name: 's' } }],
            resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '100m' } },
            livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, initialDelaySeconds: 3, failureThreshold: 3 },
            readinessProbe: { tcpSocket: { port: 8080 } },
            startupProbe: { exec: { command: ['true'] } },
            volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
            securityContext: { runAsUser: 0, runAsNonRoot: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            restartPolicy: 'Always',
          },
        ],
        volumes: [
          { name: 'data', emptyDir: { sizeLimit: '1Gi' } },
          { name: 'cfg', configMap: { name: 'cm', defaultMode: 420 } },
          { name: 'sec', secret: { secretName: 's', items: [{ key: 'k', path: 'p' }] } },
          { name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } },
        ],
        terminationGracePeriodSeconds: 0,
        nodeSelector: { disk: 'ssd' },
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 30 }],
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } },
        priority: 0,
      },
      status: {
        phase: 'Running',
        podIPs: [{ ip: '10.0.0.1' }],
        startTime: '2026-01-02T03:00:00Z',
        containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', finishedAt: '2026-01-02T03:01:00Z' } } }],
      },
    });
  });

  it('decodes a deployment with a rolling update strategy and zero replicas', () => {
    const d = decodeProtobufObject(
      encodeBody('apps/v1', 'Deployment', {
        metadata: { name: 'd' },
        spec: {
          replicas: 0,
          selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['d'] }] },
          template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: { type: 1, strVal: '25%' }, maxUnavailable: { type: 0, intVal: 0 } } },
          revisionHistoryLimit: 2,
          paused: false,
        },
      }),
    );
    expect(d.spec).toEqual({
      replicas: 0,
      selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['d'] }] },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      revisionHistoryLimit: 2,
    });
  });

  it('decodes autoscaling/v2 HPAs, leases with MicroTime, events and evictions', () => {
    const hpa = decodeProtobufObject(
      encodeBody('autoscaling/v2', 'HorizontalPodAutoscaler', {
        metadata: { name: 'h' },
        spec: {
          scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
          minReplicas: 1,
          maxReplicas: 10,
          metrics: [
            { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
            { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: { string: '10' } } } },
          ],
          behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } },
        },
      }),
    );
    expect(hpa.spec).toEqual({
      scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
        { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } },
    });

    const lease = decodeProtobufObject(
      encodeBody('coordination.k8s.io/v1', 'Lease', {
        metadata: { name: 'node-1', namespace: 'kube-node-lease' },
        spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: { seconds: Date.parse('2026-01-02T03:04:05Z') / 1000, nanos: 123456789 } },
      }),
    );
    expect(lease.spec).toEqual({ holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2026-01-02T03:04:05.123456Z' });

    const ev = decodeProtobufObject(
      encodeBody('v1', 'Event', {
        metadata: { name: 'e1', namespace: 'default' },
        involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' },
        reason: 'Started',
        message: 'Started container',
        source: { component: 'kubelet', host: 'n1' },
        firstTimestamp: seconds('2026-01-02T03:04:05Z'),
        lastTimestamp: seconds('2026-01-02T03:04:06Z'),
        count: 2,
        type: 'Normal',
        eventTime: {},
      }),
    );
    expect(ev).toMatchObject({
      involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' },
      firstTimestamp: '2026-01-02T03:04:05Z',
      lastTimestamp: '2026-01-02T03:04:06Z',
      count: 2,
    });
    expect(ev.eventTime).toBeUndefined();

    const eviction = decodeProtobufObject(
      encodeBody('policy/v1', 'Eviction', { metadata: { name: 'p', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 0, dryRun: ['All'] } }),
    );
    expect(eviction).toEqual({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 0, dryRun: ['All'] } });
  });

  it('serves every kind it lists', () => {
    for (const key of supportedProtobufKinds()) {
      const i = key.lastIndexOf('/');
      const obj = decodeProtobufObject(encodeBody(key.slice(0, i), key.slice(i + 1), { metadata: { name: 'x' } }));
      expect(obj.metadata.name).toBe('x');
      expect(obj.kind).toBe(key.slice(i + 1));
    }
  });
});

describe('rejections', () => {
  it('answers unsupported kinds with 415 UnsupportedMediaType', () => {
    const body = envelope('policy/v1', 'PodDisruptionBudget', new Uint8Array([0x0a, 0x00]));
    let err: unknown;
    try {
      decodeProtobufObject(body);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnsupportedMediaTypeError);
    expect((err as ApiError).code).toBe(415);
    expect((err as ApiError).toStatus().reason).toBe('UnsupportedMediaType');
    expect((err as Error).message).toContain('policy/v1, Kind=PodDisruptionBudget');
    expect((err as Error).message).toContain('application/json');
  });

  it('answers bodies without the magic or with broken bytes with 400', () => {
    expect(() => decodeProtobufObject(Buffer.from('{"kind":"Pod"}'))).toThrow(BadRequestError);
    const truncated = readFileSync(`${fixtures}deployment-web.bin`).subarray(0, 40);
    expect(() => decodeProtobufObject(truncated)).toThrow(BadRequestError);
  });

  it('reads the envelope and recognises the content type', () => {
    const env = decodeEnvelope(readFileSync(`${fixtures}hpa-v1.bin`));
    expect([env.apiVersion, env.kind]).toEqual(['autoscaling/v1', 'HorizontalPodAutoscaler']);
    expect(isProtobufContentType('application/vnd.kubernetes.protobuf')).toBe(true);
    expect(isProtobufContentType('application/vnd.kubernetes.protobuf; charset=utf-8')).toBe(true);
    expect(isProtobufContentType('application/json')).toBe(false);
  });
});
