export { AgentRegistry } from './registry.js';
export type { CapabilityInfo, RunRequest } from './registry.js';
export { AGENT_ERROR_CODES, AgentError } from './errors.js';
export type { AgentErrorCode } from './errors.js';
