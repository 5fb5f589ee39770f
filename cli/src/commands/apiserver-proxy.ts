// The apiserver reaches node agents for pods/log and pods/exec with its proxy
// token; the proxy code lives with the node agent, which owns that protocol.
import { connectHandlers } from '@wharf/apiserver';
import { registerNodeProxy } from '@wharf/node-agent';

export function enableNodeProxy(token: string): void {
  registerNodeProxy(connectHandlers as never, { token });
}
