// `wharf completion bash|zsh`: a shell script completing verbs, resource
// types and, for verbs that take them, object names fetched from the cluster.
import { RESOURCES } from '@wharf/api';
import { parseFlags } from '../flags.js';
import { GLOBAL_FLAGS } from '../verbs/context.js';
import { VERB_COMMANDS } from '../verbs/verb-table.js';

export async function run(args: string[]): Promise<number> {
  // Global flags are accepted (and ignored) as with every verb.
  const shell = parseFlags(args, GLOBAL_FLAGS).positional[0];
  if (shell !== 'bash' && shell !== 'zsh') {
    process.stderr.write(`error: ${shell ? `Unsupported shell type "${shell}".` : 'Shell not specified.'}\nSee 'wharf completion -h' for help and examples\n`);
    return 1;
  }
  const verbs = [...Object.keys(VERB_COMMANDS).filter((v) => !v.startsWith('-')), 'server', 'apiserver', 'controller-manager', 'node-agent', 'runtime'].sort().join(' ');
  const types = [...new Set(RESOURCES.filter((r) => !r.virtual).flatMap((r) => [r.plural, ...r.shortNames]))].sort().join(' ');
  const bash = `# wharf completion for bash. Load with: source <(wharf completion bash)
_wharf() {
  local cur prev words cword
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local verbs="${verbs}"
  local types="${types}"
  if [[ \${COMP_CWORD} -eq 1 ]]; then
    COMPREPLY=( $(compgen -W "\${verbs}" -- "\${cur}") )
    return 0
  fi
  case "\${prev}" in
    -n|--namespace)
      COMPREPLY=( $(compgen -W "$(wharf get namespaces -o jsonpath='{.items[*].metadata.name}' 2>/dev/null)" -- "\${cur}") ); return 0 ;;
    -f|--filename|--kubeconfig)
      COMPREPLY=( $(compgen -f -- "\${cur}") ); return 0 ;;
    -o|--output)
      COMPREPLY=( $(compgen -W "wide yaml json name jsonpath= custom-columns=" -- "\${cur}") ); return 0 ;;
  esac
  local verb="\${COMP_WORDS[1]}"
  case "\${verb}" in
    get|describe|delete|edit|label|annotate|patch|scale|wait|autoscale|rollout)
      if [[ \${COMP_CWORD} -eq 2 && "\${verb}" != rollout ]] || [[ \${COMP_CWORD} -eq 3 && "\${verb}" == rollout ]]; then
        COMPREPLY=( $(compgen -W "\${types} all" -- "\${cur}") )
      else
        local type="\${COMP_WORDS[COMP_CWORD-1]}"
        [[ "\${verb}" == rollout ]] && COMPREPLY=( $(compgen -W "status history undo restart pause resume" -- "\${cur}") ) && [[ \${COMP_CWORD} -eq 2 ]] && return 0
        COMPREPLY=( $(compgen -W "$(wharf get "\${type}" -o jsonpath='{.items[*].metadata.name}' 2>/dev/null)" -- "\${cur}") )
      fi ;;
    logs|exec|port-forward)
      COMPREPLY=( $(compgen -W "$(wharf get pods -o jsonpath='{.items[*].metadata.name}' 2>/dev/null)" -- "\${cur}") ) ;;
    config)
      COMPREPLY=( $(compgen -W "view get-contexts current-context use-context set-context" -- "\${cur}") ) ;;
    image)
      COMPREPLY=( $(compgen -W "build import pull push ls rm" -- "\${cur}") ) ;;
    completion)
      COMPREPLY=( $(compgen -W "bash zsh" -- "\${cur}") ) ;;
  esac
}
complete -o default -F _wharf wharf
`;
  const zsh = `#compdef wharf
# wharf completion for zsh. Load with: source <(wharf completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash}`;
  process.stdout.write(shell === 'bash' ? bash : zsh);
  return 0;
}
