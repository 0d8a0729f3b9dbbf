import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { AgentDefinition } from '@entente/sdk';
import type { GatewayConfig } from '../config/index.js';
import { CliError } from './errors.js';

/** The packages an agent module may import without installing them itself. */
export const SHARED_PACKAGES = ['@entente/sdk', 'zod'] as const;

let shared = false;

/**
 * Lets agent modules outside the gateway's installation import SHARED_PACKAGES: resolution
 * that fails from the agent's own directory is retried from the gateway's (Node's module
 * hooks, registered once).
 */
function shareGatewayPackages(): void {
  if (shared) return;
  shared = true;
  register(new URL('../../bin/resolve-from-gateway.mjs', import.meta.url), {
    data: { parentURL: import.meta.url, packages: SHARED_PACKAGES },
  });
}

/**
 * Loads the in-process agents a config names. Each module's default export is an agent
 * definition, or a function of the entry's `options` that returns one.
 */
export async function loadAgents(config: GatewayConfig): Promise<AgentDefinition[]> {
  if (config.agents.length > 0) shareGatewayPackages();
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
