import { readFileSync } from 'node:fs';
import { parse, required, UsageError } from './args.js';
import { CONNECT_OPTIONS, CONNECT_USAGE, connectControl } from './connect.js';

const USAGE =
  `entente call ${CONNECT_USAGE} --partner <org> --capability <name> --purpose <purpose> --input '<json>'|@file.json [--task-id <id>] [--timeout-ms <ms>]`;

/** Asks the running gateway to call one capability at a partner; prints the outcome as JSON. */
export async function call(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    {
      ...CONNECT_OPTIONS,
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
  const inputText = required(values.input, '--input', USAGE);
  let input: unknown;
  try {
    input = JSON.parse(inputText.startsWith('@') ? readFileSync(inputText.slice(1), 'utf8') : inputText);
  } catch (err) {
    throw new UsageError(`--input is not valid JSON: ${(err as Error).message}`);
  }
  const timeout = values['timeout-ms'] === undefined ? undefined : Number(values['timeout-ms']);
  if (timeout !== undefined && !(Number.isSafeInteger(timeout) && timeout > 0)) throw new UsageError('--timeout-ms must be a positive whole number of milliseconds');
  const request = {
    partner: required(values.partner, '--partner', USAGE),
    capability: required(values.capability, '--capability', USAGE),
    purpose: required(values.purpose, '--purpose', USAGE),
    input,
    ...(values['task-id'] !== undefined ? { taskId: values['task-id'] } : {}),
    ...(timeout !== undefined ? { timeoutMs: timeout } : {}),
  };
  const client = connectControl(values);
  try {
    const { receipts: _receipts, ...shown } = await client.call(request);
    process.stdout.write(JSON.stringify(shown, null, 2) + '\n');
    return shown.status === 'completed' ? 0 : 1;
  } finally {
    client.close();
  }
}
