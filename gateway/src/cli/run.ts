import { readFileSync } from 'node:fs';
import { required, UsageError } from './args.js';
import { defineCommand } from './command.js';
import { CONNECT_OPTIONS, CONNECT_USAGE, withGateway } from './connect.js';
import { CliError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { table } from './output.js';

/** Starts a workflow run at the running gateway, and with --wait follows it to the end. */
export const run = defineCommand(
  {
    name: 'run',
    summary: 'start a workflow run at the running gateway (and with --wait, wait for its outcome)',
    usage: [`<workflow.yaml> ${CONNECT_USAGE} [--input '<json>'|@file.json] [--wait] [--timeout-ms <ms>] [--json]`],
    description: [
      'The gateway checks the workflow against its agents and partners first and refuses it with every',
      'problem listed; then the run is durable: it survives a restart of the gateway. Prints the run',
      "id, or with --wait each step's state and the run's output.",
    ],
    options: {
      input: { type: 'string', arg: "'<json>'|@file.json", help: "the run's input ({} by default)" },
      wait: { type: 'boolean', help: 'wait until the run has finished, and print its steps and output' },
      'timeout-ms': { type: 'string', arg: '<ms>', help: 'how long --wait waits (10 minutes by default)' },
      json: { type: 'boolean', help: 'print the run as JSON' },
      ...CONNECT_OPTIONS,
    },
    maxArgs: 1,
    examples: [['run the cohort study and wait for its total', "entente run cohort-study.yaml --config entente.yaml --input @cohort.json --wait"]],
    exits: [
      [EXIT.ok, 'the run started (or, with --wait, completed)'],
      [EXIT.error, 'the gateway refused the workflow or the client, or is not running'],
      [EXIT.failed, 'with --wait: the run failed'],
    ],
  },
  async ({ values, positionals }) => {
    const file = required(positionals[0], '<workflow.yaml>', 'the workflow file, e.g. entente run order.yaml --config entente.yaml');
    let workflow: string;
    try {
      workflow = readFileSync(file, 'utf8');
    } catch (err) {
      throw new CliError('CLI_INPUT', `${file}: cannot read it: ${(err as Error).message}`);
    }
    let input: unknown = {};
    if (values.input !== undefined) {
      try {
        input = JSON.parse(values.input.startsWith('@') ? readFileSync(values.input.slice(1), 'utf8') : values.input);
      } catch (err) {
        throw new UsageError(`--input is not valid JSON: ${(err as Error).message}`);
      }
    }
    const timeout = values['timeout-ms'] === undefined ? 600_000 : Number(values['timeout-ms']);
    if (!(Number.isSafeInteger(timeout) && timeout > 0)) throw new UsageError('--timeout-ms must be a positive whole number of milliseconds');
    const result = await withGateway(values, async (client) => {
      const started = await client.startRun(workflow, input);
      return values.wait ? client.getRun(started.runId, { wait: true, timeoutMs: timeout }) : started;
    });
    if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else if (!values.wait) process.stdout.write(`run ${result.runId} of ${result.workflow} started\n`);
    else {
      process.stdout.write(
        `run ${result.runId} of ${result.workflow}: ${result.status}${result.reason ? ` (${result.reason})` : ''}\n` +
          table([['STEP', 'STATUS', 'ATTEMPT', 'TASK'], ...result.steps.map((s) => [s.id, s.status + (s.reason ? ` (${s.reason})` : ''), String(s.attempt), s.taskId ?? ''])]) +
          (result.output !== undefined ? `output: ${JSON.stringify(result.output)}\n` : ''),
      );
    }
    return !values.wait || result.status === 'completed' ? EXIT.ok : EXIT.failed;
  },
);
