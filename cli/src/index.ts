// @wharf/cli: `bin/wharf` dispatches here.
export { main } from './main.js';
