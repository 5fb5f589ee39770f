// Test clean-up: removes the pod cgroups a runtime made (named pod-<sandbox id>
// under every hierarchy's wharf/ parent), deepest first. Shared by the
// harnesses that run a whole cluster and then tear it down.
import { existsSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function rmTree(d: string): void {
  for (const e of readdirSync(d)) {
    const p = join(d, e);
    try {
      if (statSync(p).isDirectory()) rmTree(p);
    } catch {
      // Gone meanwhile.
    }
  }
  try {
    rmdirSync(d);
  } catch {
    // A process still being reaped: nothing more to do from here.
  }
}

export function removePodCgroups(stateDir: string): void {
  const dir = join(stateDir, 'sandboxes');
  if (!existsSync(dir)) return;
  const ids = readdirSync(dir).map((f) => f.replace(/\.json$/, ''));
  const parents = readdirSync('/sys/fs/cgroup').map((c) => join('/sys/fs/cgroup', c, 'wharf'));
  parents.push('/sys/fs/cgroup/wharf');
  for (const parent of parents) for (const id of ids) if (existsSync(join(parent, `pod-${id}`))) rmTree(join(parent, `pod-${id}`));
}
