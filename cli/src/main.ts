// The command table: component subcommands start long-running processes;
// everything else is a kubectl-like verb. Each entry loads its module lazily so
// `wharf get pods` does not pay for loading the runtime or the apiserver.
import { FlagError } from './flags.js';
import { VERB_COMMANDS } from './verbs/verb-table.js';

type Command = { summary: string; run: (args: string[]) => Promise<number | void> };

const commands: Record<string, Command> = {
  ...VERB_COMMANDS,
  apiserver: {
    summary: 'run the API server',
    run: async (args) => (await import('./commands/apiserver.js')).run(args),
  },
  server: {
    summary: 'run the whole cluster on this machine (apiserver, controllers, runtime, node agent)',
    run: async (args) => (await import('./commands/server.js')).run(args),
  },
  agent: {
    summary: 'join this machine to a cluster as a node (runtime + node agent)',
    run: async (args) => (await import('./commands/agent.js')).run(args),
  },
  'controller-manager': {
    summary: 'run the scheduler and controllers',
    run: async (args) => (await import('@wharf/controller-manager')).runControllerManagerCommand(args),
  },
  'node-agent': {
    summary: "run this machine's node agent",
    run: async (args) => (await import('@wharf/node-agent')).runNodeAgentCommand(args),
  },
  runtime: {
    summary: 'run the container runtime (CRI-like gRPC on a unix socket)',
    run: async (args) => (await import('@wharf/runtime')).runRuntimeCommand(args),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: wharf <command> [flags]\n\nCommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name === undefined ? 1 : 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`error: unknown command "${name}" for "wharf"\n\n${usage()}`);
    return 1;
  }
  try {
    const code = await command.run(rest);
    return typeof code === 'number' ? code : 0;
  } catch (err) {
    if (err instanceof FlagError) {
      process.stderr.write(`error: ${err.message}\nSee 'wharf ${name} --help' for usage.\n`);
      return 1;
    }
    throw err;
  }
}
