import { describe, expect, it } from 'vitest';
import { deploymentRolloutStatus } from './rollout-status.js';

const d = (status: Record<string, unknown>, generation = 2) => ({ metadata: { name: 'web', generation }, spec: { replicas: 3 }, status: { observedGeneration: 2, ...status } });

describe('deploymentRolloutStatus', () => {
  it('walks kubectl’s messages in order', () => {
    expect(deploymentRolloutStatus(d({}, 3)).message).toBe('Waiting for deployment spec update to be observed...');
    expect(deploymentRolloutStatus(d({ updatedReplicas: 1, replicas: 3 })).message).toBe('Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...');
    expect(deploymentRolloutStatus(d({ updatedReplicas: 3, replicas: 4 })).message).toBe('Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...');
    expect(deploymentRolloutStatus(d({ updatedReplicas: 3, replicas: 3, availableReplicas: 2 })).message).toBe('Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...');
    const done = deploymentRolloutStatus(d({ updatedReplicas: 3, replicas: 3, availableReplicas: 3 }));
    expect(done).toEqual({ message: 'deployment "web" successfully rolled out', done: true });
  });
  it('fails on a missed progress deadline', () => {
    expect(deploymentRolloutStatus(d({ conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded' }] })).error).toBe('deployment "web" exceeded its progress deadline');
  });
});
