import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.js';
import { strategyFor } from './registry.js';

const deployments = strategyFor('apps', 'Deployment');
const replicaSets = strategyFor('apps', 'ReplicaSet');

function template(): any {
  return { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } };
}

function deployment(mutate: (d: any) => void = () => {}): KubeObject {
  const d: any = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: template() },
  };
  mutate(d);
  deployments.applyDefaults(d);
  return d;
}

function replicaSet(mutate: (d: any) => void = () => {}): KubeObject {
  const r: any = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-abc', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: template() },
  };
  mutate(r);
  replicaSets.applyDefaults(r);
  return r;
}

describe('Deployment defaults', () => {
  it('fills replicas, strategy, history, deadline and the template', () => {
    const d: any = deployment();
    expect(d.spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    expect(d.spec.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler' });
    expect(d.spec.template.spec.containers[0]).toMatchObject({ imagePullPolicy: 'Always', terminationMessagePolicy: 'File', resources: {} });
    // Pod-only admission defaults do not apply to templates.
    expect(d.spec.template.spec.serviceAccountName).toBeUndefined();
    expect(d.spec.template.spec.tolerations).toBeUndefined();
  });

  it('leaves Recreate without rollingUpdate and keeps given values', () => {
    const d: any = deployment((x) => {
      x.spec.strategy = { type: 'Recreate' };
      x.spec.replicas = 0;
    });
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(d.spec.replicas).toBe(0);
    expect(deployments.validateCreate(d)).toEqual([]);
  });
});

describe('Deployment validation', () => {
  it('accepts the valid deployment', () => {
    expect(deployments.validateCreate(deployment())).toEqual([]);
  });

  it.each<[string, (d: any) => void, string, string?]>([
    ['replicas', (d) => (d.spec.replicas = -1), 'spec.replicas', 'Invalid value: -1: must be greater than or equal to 0'],
    ['selector required', (d) => delete d.spec.selector, 'spec.selector', 'Required value'],
    ['selector empty', (d) => (d.spec.selector = {}), 'spec.selector', 'empty selector is invalid for deployment'],
    [
      'selector does not match labels',
      (d) => (d.spec.selector.matchLabels = { app: 'api' }),
      'spec.template.metadata.labels',
      'Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ],
    ['selector operator', (d) => (d.spec.selector.matchExpressions = [{ key: 'app', operator: 'Is', values: ['web'] }]), 'spec.selector.matchExpressions[0].operator', 'not a valid selector operator'],
    ['selector In without values', (d) => (d.spec.selector.matchExpressions = [{ key: 'app', operator: 'In' }]), 'spec.selector.matchExpressions[0].values'],
    ['template restartPolicy', (d) => (d.spec.template.spec.restartPolicy = 'Never'), 'spec.template.spec.restartPolicy', 'Unsupported value: "Never": supported values: "Always"'],
    ['template image', (d) => delete d.spec.template.spec.containers[0].image, 'spec.template.spec.containers[0].image', 'Required value'],
    ['template activeDeadlineSeconds', (d) => (d.spec.template.spec.activeDeadlineSeconds = 5), 'spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicaSet is not Supported'],
    ['strategy type', (d) => (d.spec.strategy = { type: 'BlueGreen' }), 'spec.strategy', 'supported values: "Recreate", "RollingUpdate"'],
    ['Recreate with rollingUpdate', (d) => (d.spec.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } }), 'spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"],
    ['both zero', (d) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } }), 'spec.strategy.rollingUpdate.maxUnavailable', 'Invalid value: 0%: may not be 0 when `maxSurge` is 0'],
    ['bad percent', (d) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25', maxUnavailable: 1 } }), 'spec.strategy.rollingUpdate.maxSurge', "a valid percent string must be a numeric string followed by an ending '%'"],
    ['negative surge', (d) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: -1, maxUnavailable: 1 } }), 'spec.strategy.rollingUpdate.maxSurge', 'must be greater than or equal to 0'],
    ['maxUnavailable over 100%', (d) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '150%' } }), 'spec.strategy.rollingUpdate.maxUnavailable', 'must not be greater than 100%'],
    ['revisionHistoryLimit', (d) => (d.spec.revisionHistoryLimit = -2), 'spec.revisionHistoryLimit'],
    ['progressDeadlineSeconds', (d) => ((d.spec.minReadySeconds = 10), (d.spec.progressDeadlineSeconds = 10)), 'spec.progressDeadlineSeconds', 'must be greater than minReadySeconds'],
  ])('%s', (_name, mutate, field, message) => {
    const errs = deployments.validateCreate(deployment(mutate));
    const hit = errs.find((e) => e.field === field);
    expect(hit, JSON.stringify(errs)).toBeDefined();
    if (message) expect(hit?.message).toContain(message);
  });

  it('makes spec.selector immutable, with Kubernetes message', () => {
    const old = deployment();
    const next: any = structuredClone(old);
    next.spec.selector = { matchLabels: { app: 'web', v: '2' } };
    next.spec.template.metadata.labels.v = '2';
    const errs = deployments.validateUpdate(next, old);
    expect(errs).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec.selector',
        message:
          'Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "v":"2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
      },
    ]);
    const scaled: any = structuredClone(old);
    scaled.spec.replicas = 5;
    expect(deployments.validateUpdate(scaled, old)).toEqual([]);
  });
});

describe('ReplicaSet', () => {
  it('defaults replicas and validates like a deployment', () => {
    const r: any = replicaSet();
    expect(r.spec.replicas).toBe(1);
    expect(replicaSets.validateCreate(r)).toEqual([]);
    expect(replicaSets.validateCreate(replicaSet((x) => (x.spec.replicas = -1))).map((e) => e.field)).toEqual(['spec.replicas']);
    expect(replicaSets.validateCreate(replicaSet((x) => (x.spec.selector = { matchLabels: { app: 'x' } }))).map((e) => e.field)).toEqual([
      'spec.template.metadata.labels',
    ]);
  });

  it('makes spec.selector immutable and exposes status.replicas', () => {
    const old: any = replicaSet();
    old.status = { replicas: 3 };
    const next: any = structuredClone(old);
    next.spec.selector.matchLabels.app = 'other';
    next.spec.template.metadata.labels.app = 'other';
    expect(replicaSets.validateUpdate(next, old).map((e) => e.field)).toEqual(['spec.selector']);
    expect(replicaSets.selectableFields(old)['status.replicas']).toBe('3');
  });
});
