// Long-running components: on SIGTERM or SIGINT drain, then exit 0. A second
// signal exits at once. Handlers are installed before the component starts, so
// a signal that arrives during start-up still gets a clean drain.
export interface Stoppable {
  stop(): Promise<void>;
}

export async function runComponent(start: () => Promise<Stoppable>): Promise<number> {
  let signalled: NodeJS.Signals | undefined;
  let wake: (() => void) | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (signalled) process.exit(130);
    signalled = sig;
    wake?.();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const component = await start();
  if (!signalled) await new Promise<void>((resolve) => (wake = resolve));
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: `received ${signalled}, draining` })}\n`);
  try {
    await component.stop();
    return 0;
  } catch (err) {
    process.stderr.write(`shutdown failed: ${String(err)}\n`);
    return 1;
  }
}
