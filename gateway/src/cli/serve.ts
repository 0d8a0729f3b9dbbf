import { loadConfig } from '../config/index.js';
import { Gateway } from '../gateway.js';
import { loadAgents } from './agents.js';
import { parse, required } from './args.js';

const USAGE = 'entente serve --config <gateway.yaml>';

/** Runs until SIGINT/SIGTERM; SIGHUP reloads the configuration (partners, policies, revocations), whole or not at all. */
export async function serve(argv: string[]): Promise<number> {
  const { values } = parse(argv, { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } }, USAGE);
  if (values.help) {
    process.stdout.write(`usage: ${USAGE}\n`);
    return 0;
  }
  const configPath = required(values.config, '--config', USAGE);
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
  return 0;
}
