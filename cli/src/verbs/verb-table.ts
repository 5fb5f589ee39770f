// The kubectl-like verbs, spread into main.ts's command table. Each loads its
// module lazily so one verb never pays for loading another.
type Command = { summary: string; run: (args: string[]) => Promise<number | void> };

function verb(summary: string, load: () => Promise<{ run: (args: string[]) => Promise<number> }>): Command {
  return { summary, run: async (args) => (await load()).run(args) };
}

export const VERB_COMMANDS: Record<string, Command> = {
  get: verb('display one or many resources', () => import('../commands/get.js')),
  apply: verb('apply a configuration to a resource by file name or stdin', () => import('../commands/apply.js')),
  create: verb('create a resource from a file or stdin, or a namespace, configmap, secret or deployment', () => import('../commands/create.js')),
  delete: verb('delete resources by file names, stdin, resources and names, or by resources and label selector', () => import('../commands/delete.js')),
  label: verb('update the labels on a resource', () => import('../commands/label.js')),
  annotate: verb('update the annotations on a resource', () => import('../commands/annotate.js')),
  scale: verb('set a new size for a deployment or replica set', () => import('../commands/scale.js')),
  describe: verb('show details of a specific resource or group of resources', () => import('../commands/describe.js')),
  rollout: verb('manage the rollout of a deployment', () => import('../commands/rollout.js')),
  version: verb('print the client and server version information', () => import('../commands/version.js')),
  'cluster-info': verb('display cluster information', () => import('../commands/cluster-info.js')),
  'api-resources': verb('print the supported API resources on the server', () => import('../commands/api-resources.js')),
  config: verb('modify kubeconfig files', () => import('../commands/config.js')),
  wait: verb('wait for a specific condition on one or many resources', () => import('../commands/wait.js')),
  autoscale: verb('auto-scale a deployment or replica set', () => import('../commands/autoscale.js')),
  edit: verb('edit a resource on the server', () => import('../commands/edit.js')),
  completion: verb('output shell completion code for bash or zsh', () => import('../commands/completion.js')),
  logs: verb('print the logs for a container in a pod', () => import('../commands/logs.js')),
  exec: verb('execute a command in a container', () => import('../commands/exec.js')),
  'port-forward': verb('forward one or more local ports to a pod', () => import('../commands/port-forward.js')),
  top: verb('display resource (CPU/memory) usage', () => import('../commands/top.js')),
  image: verb('build, import, pull, push, list and remove images in the node image store', () => import('../commands/image.js')),
  run: verb('run a particular image in a pod', () => import('../commands/run.js')),
  expose: verb('expose a deployment, replica set, pod or service as a new Service', () => import('../commands/expose.js')),
  patch: verb('update fields of a resource', () => import('../commands/patch.js')),
};

/**
 * kubectl takes global flags before the verb too (`kubectl -n kube-system get
 * pods`). main.ts dispatches on the first word, so each such flag is an entry
 * that collects the leading flags, moves them behind the verb, and dispatches.
 */
function globalFlagFirst(flag: string): Command {
  return {
    summary: `(global flag) ${flag} VALUE <verb> …`,
    run: async (args) => {
      let remaining = [flag, ...args];
      const flags: string[] = [];
      while (remaining[0] !== undefined && remaining[0] in GLOBAL_FLAG_COMMANDS) {
        if (remaining[1] === undefined) break;
        flags.push(remaining[0], remaining[1]);
        remaining = remaining.slice(2);
      }
      const [verbName, ...rest] = remaining;
      const next = verbName === undefined || verbName in GLOBAL_FLAG_COMMANDS ? undefined : VERB_COMMANDS[verbName];
      if (!next) {
        process.stderr.write(`error: ${verbName === undefined || verbName in GLOBAL_FLAG_COMMANDS ? `flag ${flag} needs a value and a verb` : `unknown command "${verbName}" for "wharf"`}\n`);
        return 1;
      }
      return next.run([...flags, ...rest]);
    },
  };
}

export const GLOBAL_FLAG_COMMANDS: Record<string, Command> = {
  '-n': globalFlagFirst('-n'),
  '--namespace': globalFlagFirst('--namespace'),
  '--kubeconfig': globalFlagFirst('--kubeconfig'),
  '--context': globalFlagFirst('--context'),
};

// Listed after the verbs, so `wharf help` shows verbs first.
Object.assign(VERB_COMMANDS, GLOBAL_FLAG_COMMANDS);
