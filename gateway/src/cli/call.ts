import { timeOrderedId } from '../lib/index.js';
import { ControlCallError } from '@entente/sdk';
import { positiveInteger, required } from './args.js';
import { defineCommand } from './command.js';
import { CONNECT_OPTIONS, CONNECT_USAGE, withGateway } from './connect.js';
import { CliError } from './errors.js';
import { EXIT, exitCodeOfCall } from './exit-codes.js';
import { jsonOption } from './json-option.js';

/** Asks the running gateway to call one capability at a partner; prints the outcome as JSON. */
export const call = defineCommand(
  {
    name: 'call',
    summary: "ask the running gateway to call one capability at a partner, through both sides' policies",
    usage: [`${CONNECT_USAGE} --partner <org> --capability <name> --purpose <purpose> --input <json>|@<file.json> [--task-id <id>] [--timeout-ms <ms>]`],
    description: [
      'The gateway applies its outbound policy (only what it allows leaves), sends the request to the',
      "partner, verifies the partner's signed result and acknowledges it. The outcome is printed as JSON",
      '(taskId, status, result or reason); its receipts are in `entente receipts show <taskId>`.',
    ],
    options: {
      partner: { type: 'string', arg: '<org>', help: "the partner's org id, as in the config's partners" },
      capability: { type: 'string', arg: '<name>', help: "the capability to call, as the partner's card lists it" },
      purpose: { type: 'string', arg: '<purpose>', help: 'why you ask; policies on both sides allow or deny by purpose' },
      input: { type: 'string', arg: '<json>|@<file.json>', help: 'the input, as JSON text or @ and a file holding it' },
      'task-id': { type: 'string', arg: '<id>', help: 'reuse an id to retry a call idempotently (a new UUID by default)' },
      'timeout-ms': { type: 'string', arg: '<ms>', help: "give up after this long (the gateway's limits.callTimeout by default)" },
      ...CONNECT_OPTIONS,
    },
    examples: [
      [
        'ask hospital-b how many of its patients have diabetes, for research',
        `entente call --config entente.yaml --partner hospital-b --capability patients.count --purpose research --input '{"condition":"diabetes"}'`,
      ],
      ['the same with the input in a file, through an explicit socket', 'entente call --socket data/control.sock --partner hospital-b --capability patients.count --purpose research --input @cohort.json'],
    ],
    exits: [
      [EXIT.ok, 'completed: the result that left the partner is in the output'],
      [EXIT.error, 'the gateway is not running, refused the client, or knows no such partner (see the message)'],
      [EXIT.usage, 'a missing or malformed option, including a name the gateway finds malformed'],
      [EXIT.denied, "denied by our outbound policy or the partner's inbound or disclosure policy"],
      [EXIT.failed, 'failed, cancelled or timed out, or the partner could not be reached'],
    ],
  },
  async ({ values }) => {
    const inputText = required(values.input, '--input', "the capability's input as JSON, or @file.json");
    const input = jsonOption('--input', inputText);
    const timeout = positiveInteger(values['timeout-ms'], '--timeout-ms', ' of milliseconds');
    // Chosen here, not by the gateway, so that a call that times out can still be looked up and retried.
    const taskId = values['task-id'] ?? timeOrderedId();
    const request = {
      partner: required(values.partner, '--partner', "the partner's org id"),
      capability: required(values.capability, '--capability', 'the capability to call'),
      purpose: required(values.purpose, '--purpose', 'why you ask'),
      input,
      taskId,
      ...(timeout !== undefined ? { timeoutMs: timeout } : {}),
    };
    const outcome = await withGateway(values, (client) =>
      client.call(request).catch((err: unknown) => {
        if (err instanceof ControlCallError && err.code === 'DEADLINE_EXCEEDED') {
          throw new CliError(
            'CLI_CALL_UNFINISHED',
            `the call did not finish in time; task ${taskId} may still complete: see entente receipts show ${taskId}, or retry with --task-id ${taskId}`,
            { cause: err, exitCode: EXIT.failed },
          );
        }
        throw err;
      }),
    );
    const { receipts: _receipts, ...shown } = outcome;
    process.stdout.write(JSON.stringify(shown, null, 2) + '\n');
    if (shown.status !== 'completed') {
      const why = [shown.reason, ...shown.policyReasons].filter((r) => r !== undefined && r !== '').join(', ');
      process.stderr.write(`entente: ${shown.status}${why === '' ? '' : ` (${why})`}${shown.message ? `: ${shown.message}` : ''}\n`);
    }
    return exitCodeOfCall(shown.status);
  },
);
