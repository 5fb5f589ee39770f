// Starts a Wharf component from its compiled package, for harnesses that
// cannot rely on the CLI's command table: `run-component.mjs runtime|node-agent …flags`.
const [, , which, ...args] = process.argv;
const repo = new URL('../../../', import.meta.url);
const mod =
  which === 'runtime'
    ? await import(new URL('runtime/dist/index.js', repo).href).then((m) => m.runRuntimeCommand)
    : which === 'node-agent'
      ? await import(new URL('node-agent/dist/index.js', repo).href).then((m) => m.runNodeAgentCommand)
      : undefined;
if (!mod) {
  process.stderr.write(`unknown component ${which}\n`);
  process.exit(2);
}
const code = await mod(args);
process.exit(code);
