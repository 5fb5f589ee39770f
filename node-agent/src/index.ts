// @wharf/node-agent public entry point.
export { startNodeAgent } from './agent.js';
export type { NodeAgent } from './agent.js';
export { runNodeAgentCommand, parseNodeAgentFlags, parseDurationMs, NODE_AGENT_USAGE, NodeAgentFlagError } from './command.js';
export { compileOptions, NodeAgentOptionsError } from './options.js';
export type { NodeAgentOptions, CompiledOptions as CompiledNodeAgentOptions } from './options.js';
export { registerNodeProxy, nodeEndpointFromNode } from './apiserver-proxy.js';
export type { NodeProxyOptions, NodeEndpoint, NodeProxyContext } from './apiserver-proxy.js';
export type { Summary as StatsSummary, PodSummary, ContainerSummary } from './stats.js';
