// Runs the compiled runtime as its own process, as `wharf runtime` would.
import { runRuntimeCommand } from '../../runtime/dist/index.js';

const code = await runRuntimeCommand(process.argv.slice(2));
process.exit(code);
