import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/index.js';
import { Gateway } from '../gateway.js';
import { stderrLogger } from './output.js';
import { parse, required, UsageError } from './args.js';

const USAGE =
  "entente call --config <gateway.yaml> --partner <org> --capability <name> --purpose <purpose> --input '<json>'|@file.json [--task-id <id>] [--timeout-ms <ms>]";

/** Makes one call with this gateway's identity, policies and store; prints the outcome as JSON. */
export async function call(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    {
      config: { type: 'string', short: 'c' },
      partner: { type: 'string' },
      capability: { type: 'string' },
      purpose: { type: 'string' },
      input: { type: 'string' },
      'task-id': { type: 'string' },
      'timeout-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help) {
    process.stdout.write(`usage: ${USAGE}\n`);
    return 0;
  }
  const config = loadConfig(required(values.config, '--config', USAGE));
  const inputText = required(values.input, '--input', USAGE);
  let input: unknown;
  try {
    input = JSON.parse(inputText.startsWith('@') ? readFileSync(inputText.slice(1), 'utf8') : inputText);
  } catch (err) {
    throw new UsageError(`--input is not valid JSON: ${(err as Error).message}`);
  }
  const timeout = values['timeout-ms'] === undefined ? undefined : Number(values['timeout-ms']);
  if (timeout !== undefined && !(timeout > 0)) throw new UsageError('--timeout-ms must be a positive number of milliseconds');
  const gateway = Gateway.create({ config, logger: stderrLogger(config.org) });
  try {
    const outcome = await gateway.call({
      partner: required(values.partner, '--partner', USAGE),
      capability: required(values.capability, '--capability', USAGE),
      purpose: required(values.purpose, '--purpose', USAGE),
      input,
      ...(values['task-id'] !== undefined ? { taskId: values['task-id'] } : {}),
      ...(timeout !== undefined ? { timeoutMs: timeout } : {}),
    });
    const { receipts: _receipts, ...shown } = outcome;
    process.stdout.write(JSON.stringify(shown, null, 2) + '\n');
    return outcome.status === 'completed' ? 0 : 1;
  } finally {
    await gateway.stop(0);
  }
}
