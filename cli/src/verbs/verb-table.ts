// The kubectl-like verbs, spread into main.ts's command table. Each loads its
// module lazily so one verb never pays for loading another.
type Command = { summary: string; run: (args: string[]) => Promise<number | void> };

function verb(summary: string, load: () => Promise<{ run: (args: string[]) => Promise<number> }>): Command {
  return { summary, run: async (args) => (await load()).run(args) };
}

export const VERB_COMMANDS: Record<string, Command> = {
  get: verb('display one or many resources', () => import('../commands/get.js')),
  apply: verb('apply a configuration to a resource by file name or stdin', () => import('../commands/apply.js')),
};
