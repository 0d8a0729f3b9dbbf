import { loadConfig } from '../config/index.js';
import { Gateway } from '../gateway.js';
import { loadAgents } from './agents.js';
import { required, UsageError } from './args.js';
import { defineCommand } from './command.js';
import { EXIT } from './exit-codes.js';

const FORMATS = ['pretty', 'json'] as const;
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Runs until SIGINT/SIGTERM; SIGHUP reloads the configuration (partners, policies, revocations), whole or not at all. */
export const serve = defineCommand(
  {
    name: 'serve',
    summary: 'run a gateway from its config file',
    usage: ['--config <gateway.yaml> [--log-format pretty|json] [--log-level <level>]'],
    description: [
      'Serves partners on listen (mutual TLS) and operators on the control socket. Logs go to stdout,',
      'one line per event: readable lines at a terminal, JSON otherwise (log.format in the config).',
      'SIGHUP reloads partners (added, removed, new CA, address or keys), policies and revocations',
      'without dropping connections, whole or not at all; SIGINT or SIGTERM drains in-flight tasks and stops.',
    ],
    options: {
      config: { type: 'string', short: 'c', arg: '<gateway.yaml>', help: 'the config file (entente init writes one)' },
      'log-format': { type: 'string', arg: 'pretty|json', help: "overrides log.format (auto: pretty on a terminal, json otherwise)" },
      'log-level': { type: 'string', arg: '<level>', help: `overrides log.level: ${LEVELS.join(', ')}` },
    },
    examples: [
      ['run the gateway set up by entente init in this directory (kill -HUP its pid after editing policies)', 'entente serve --config entente.yaml'],
      ['JSON logs for a collector even at a terminal, with debug detail', 'entente serve --config entente.yaml --log-format json --log-level debug'],
    ],
    exits: [
      [EXIT.ok, 'stopped by SIGINT or SIGTERM after draining'],
      [EXIT.error, 'could not start: the message names the config field, the file and the fix'],
    ],
  },
  async ({ values }) => {
    const configPath = required(values.config, '--config', 'the gateway config file, e.g. --config entente.yaml');
    const format = oneOf(values['log-format'], '--log-format', FORMATS);
    const level = oneOf(values['log-level'], '--log-level', LEVELS);
    // The command line's log settings win over the file's, at start and on every reload.
    const load = () => {
      const loaded = loadConfig(configPath);
      return { ...loaded, log: { level: level ?? loaded.log.level, format: format ?? loaded.log.format } };
    };
    const config = load();
    const gateway = Gateway.create({ config, agents: await loadAgents(config) });
    // Handlers before start: "gateway serving" tells supervisors they may signal us, so a
    // SIGTERM right after it must drain, not kill.
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    process.on('SIGHUP', () => {
      try {
        gateway.reload(load());
      } catch (err) {
        gateway.log.error({ err }, 'reload failed; keeping the running configuration');
      }
    });
    await gateway.start();
    await stopped;
    await gateway.stop();
    return EXIT.ok;
  },
);

function oneOf<const T extends string>(value: string | undefined, flag: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} ${value}: expected ${allowed.join(', ')}`);
  return value as T;
}
