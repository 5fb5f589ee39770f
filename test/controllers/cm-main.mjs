// Runs the compiled controller-manager as its own process, exactly as
// `wharf controller-manager` would, so tests can SIGKILL and restart it.
import { runControllerManagerCommand } from '../../controller-manager/dist/index.js';

runControllerManagerCommand(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
