// The deployment rollout progress messages kubectl prints, word for word
// (kubectl/pkg/polymorphichelpers/rollout_status.go).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = Record<string, any>;

export interface RolloutState {
  message: string;
  done: boolean;
  error?: string;
}

export function deploymentRolloutStatus(d: J): RolloutState {
  const name = d['metadata']?.name;
  const spec = d['spec'] ?? {};
  const st = d['status'] ?? {};
  if ((d['metadata']?.generation ?? 0) <= (st['observedGeneration'] ?? 0)) {
    const progressing = (st['conditions'] ?? []).find((c: J) => c['type'] === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') return { message: '', done: false, error: `deployment "${name}" exceeded its progress deadline` };
    const want = spec['replicas'] ?? 1;
    const updated = st['updatedReplicas'] ?? 0;
    const replicas = st['replicas'] ?? 0;
    const available = st['availableReplicas'] ?? 0;
    if (updated < want) return { message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...`, done: false };
    if (replicas > updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${replicas - updated} old replicas are pending termination...`, done: false };
    if (available < updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`, done: false };
    return { message: `deployment "${name}" successfully rolled out`, done: true };
  }
  return { message: 'Waiting for deployment spec update to be observed...', done: false };
}
