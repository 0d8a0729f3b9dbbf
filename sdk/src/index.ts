export { defineAgent } from './agent.js';
export type { AgentContext, AgentDefinition, AgentLogger } from './agent.js';
