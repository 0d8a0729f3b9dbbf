import { pathToFileURL } from 'node:url';
import type { AgentDefinition } from '@entente/sdk';
import type { GatewayConfig } from '../config/index.js';
import { CliError } from './errors.js';

/**
 * Loads the in-process agents a config names. Each module's default export is an agent
 * definition, or a function of the entry's `options` that returns one.
 */
export async function loadAgents(config: GatewayConfig): Promise<AgentDefinition[]> {
  const agents: AgentDefinition[] = [];
  for (const [i, entry] of config.agents.entries()) {
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(entry.module).href)) as { default?: unknown };
    } catch (err) {
      throw new CliError('CLI_AGENT_MODULE', `agents[${i}].module: cannot load ${entry.module}: ${(err as Error).message}`, { cause: err });
    }
    const exported = mod.default;
    const agent = typeof exported === 'function' ? (exported as (o: unknown) => unknown)(entry.options ?? {}) : exported;
    if (agent === null || typeof agent !== 'object' || !('handler' in agent) || !('capabilities' in agent)) {
      throw new CliError('CLI_AGENT_MODULE', `agents[${i}].module: ${entry.module} must export default an agent from defineAgent() or a function returning one`);
    }
    agents.push(agent as AgentDefinition);
  }
  return agents;
}
