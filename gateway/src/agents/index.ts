export { AgentRegistry } from './registry.js';
export type { CapabilityInfo, RunRequest } from './registry.js';
export { AgentError } from './errors.js';
export type { AgentErrorCode } from './errors.js';
