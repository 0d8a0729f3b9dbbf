import { loadConfig } from '../config/index.js';
import { Gateway } from '../gateway.js';
import { loadAgents } from './agents.js';
import { required } from './args.js';
import { defineCommand } from './command.js';
import { EXIT } from './exit-codes.js';

/** Runs until SIGINT/SIGTERM; SIGHUP reloads policies and revocation lists. */
export const serve = defineCommand(
  {
    name: 'serve',
    summary: 'run a gateway from its config file',
    usage: ['--config <gateway.yaml>'],
    description: [
      'Serves partners on listen (mutual TLS) and operators on the control socket; logs one line per',
      'event on stdout. SIGHUP reloads policies, partners\' revocations and control.revoked without',
      'dropping connections; SIGINT or SIGTERM drains in-flight tasks and stops.',
    ],
    options: {
      config: { type: 'string', short: 'c', arg: '<gateway.yaml>', help: 'the config file (entente init writes one)' },
    },
    examples: [['run the gateway set up by entente init in this directory (kill -HUP its pid after editing policies)', 'entente serve --config entente.yaml']],
    exits: [
      [EXIT.ok, 'stopped by SIGINT or SIGTERM after draining'],
      [EXIT.error, 'could not start: the message names the config field, the file and the fix'],
    ],
  },
  async ({ values }) => {
    const configPath = required(values.config, '--config', 'the gateway config file, e.g. --config entente.yaml');
    const config = loadConfig(configPath);
    const gateway = Gateway.create({ config, agents: await loadAgents(config) });
    await gateway.start();
    process.on('SIGHUP', () => {
      try {
        gateway.reload(loadConfig(configPath));
      } catch (err) {
        gateway.log.error({ err }, 'reload failed; keeping the running configuration');
      }
    });
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await gateway.stop();
    return EXIT.ok;
  },
);
