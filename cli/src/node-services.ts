// The node half of a machine — the runtime and the node agent — laid out the
// same way by `wharf server` and `wharf agent`: images and volumes under the
// data dir, the runtime's socket and records under the state dir.
import { join } from 'node:path';
import { startNodeAgent, type NodeAgentOptions } from '@wharf/node-agent';
import { startRuntime } from '@wharf/runtime';
import type { Stoppable } from './signals.js';

export interface NodeServicesOptions extends Omit<NodeAgentOptions, 'runtimeEndpoint' | 'rootDir'> {
  dataDir: string;
  stateDir: string;
  podCidr: string;
}

/** Starts the runtime, then the agent; the parts come back in start order, named. */
export async function startNodeServices(o: NodeServicesOptions): Promise<Array<[string, Stoppable]>> {
  const { dataDir, stateDir, podCidr, ...agentOptions } = o;
  const runtime = await startRuntime({ root: dataDir, state: stateDir, podCIDR: podCidr });
  const parts: Array<[string, Stoppable]> = [['runtime', { stop: () => runtime.stop() }]];
  try {
    const agent = await startNodeAgent({ ...agentOptions, runtimeEndpoint: `unix://${join(stateDir, 'runtime.sock')}`, rootDir: join(dataDir, 'agent') });
    parts.push(['node-agent', agent]);
  } catch (err) {
    await runtime.stop();
    throw err;
  }
  return parts;
}
