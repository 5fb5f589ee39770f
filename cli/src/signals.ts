// Long-running components: on SIGTERM or SIGINT drain, then exit 0. A second
// signal exits at once.
export function runUntilSignal(stop: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (sig: NodeJS.Signals) => {
      if (stopping) process.exit(130);
      stopping = true;
      process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: `received ${sig}, draining` })}\n`);
      stop().then(
        () => resolve(0),
        (err: unknown) => {
          process.stderr.write(`shutdown failed: ${String(err)}\n`);
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
