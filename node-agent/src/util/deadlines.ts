// Deadlines for runtime calls. A runtime that hangs must not hang a pod's
// sync (and its slot) forever: the call fails, the next sync lists the runtime
// again and carries on from whatever the call did or did not do.
export const QUICK = { timeoutMs: 15_000 };
export const SLOW = { timeoutMs: 120_000 };
export const PULL = { timeoutMs: 15 * 60_000 };
