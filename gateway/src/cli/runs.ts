import type { RunStatus } from '@entente/sdk';
import { required } from './args.js';
import { defineCommand, defineGroup } from './command.js';
import { CONNECT_OPTIONS, CONNECT_USAGE, withGateway } from './connect.js';
import { EXIT } from './exit-codes.js';
import { limitOf, limitOption, take } from './listing.js';
import { table, writeLines } from './output.js';
import { renderRun, report } from './run-view.js';

const GATEWAY_REFUSED = [EXIT.error, 'the gateway is not running, refused the client, or holds no such run'] as const;

const list = defineCommand(
  {
    name: 'runs list',
    summary: 'the workflow runs the running gateway holds, newest first',
    usage: [`${CONNECT_USAGE} [--status running|completed|failed|cancelled] [--limit <n>] [--json]`],
    options: {
      status: { type: 'string', arg: 'running|completed|failed|cancelled', help: 'only runs with this status' },
      limit: limitOption('runs'),
      json: { type: 'boolean', help: 'print JSON instead of a table' },
      ...CONNECT_OPTIONS,
    },
    examples: [
      ['the runs still going', 'entente runs list --config entente.yaml --status running'],
      ['the last five runs as JSON', 'entente runs list --config entente.yaml --limit 5 --json'],
    ],
    exits: [[EXIT.ok, 'listed'], [EXIT.error, 'the gateway is not running or refused the client'], [EXIT.usage, 'an unknown --status, or a malformed --limit']],
  },
  async ({ values }) => {
    const { limit, pageSize } = limitOf(values.limit);
    const filter = { pageSize, ...(values.status !== undefined ? { status: values.status as RunStatus } : {}) };
    const runs = await withGateway(values, (client) => take(client.runs(filter), limit));
    if (values.json) process.stdout.write(JSON.stringify(runs, null, 2) + '\n');
    else {
      const iso = (d: Date) => d.toISOString();
      process.stdout.write(table([['RUN', 'WORKFLOW', 'STATUS', 'STARTED', 'UPDATED'], ...runs.map((r) => [r.runId, r.workflow, r.status, iso(r.startedAt), iso(r.updatedAt)])]));
    }
    return EXIT.ok;
  },
);

const show = defineCommand(
  {
    name: 'runs show',
    summary: "one run's steps (state, attempt, where, how long, task), its output and why it failed",
    usage: [`<run-id> ${CONNECT_USAGE} [--json]`],
    description: [
      'Lists every node of the run: its steps, each foreach item (counts[2]) and each step of an',
      'accepted plan (consult.cardiology) under its parent; a step waiting for a person names its',
      'approval. Then the output (steps that failed and were continued past make it partial) and,',
      'for a cancelled run, the reason given.',
    ],
    options: {
      json: { type: 'boolean', help: 'print the run as JSON' },
      ...CONNECT_OPTIONS,
    },
    maxArgs: 1,
    examples: [['how the run started earlier is doing', 'entente runs show 5f0c2a9e-8d4b-4c1a-9e27-3b6d1f0a7c44 --config entente.yaml']],
    exits: [[EXIT.ok, 'shown, whatever the run\'s status'], GATEWAY_REFUSED],
  },
  async ({ values, positionals }) => {
    const runId = required(positionals[0], '<run-id>', 'the run id entente run printed, or one from entente runs list');
    const view = await withGateway(values, (client) => client.getRun(runId));
    if (values.json) process.stdout.write(JSON.stringify(view, null, 2) + '\n');
    else writeLines(report(view, Date.now()));
    return EXIT.ok;
  },
);

const cancel = defineCommand(
  {
    name: 'runs cancel',
    summary: 'ask a run to stop: steps in flight are cancelled, completed ones compensated',
    usage: [`<run-id> --reason <why> ${CONNECT_USAGE}`],
    description: [
      'The gateway cancels the steps in flight (at partners too) and undoes the completed steps that',
      'have a compensate, newest first; then the run finishes as cancelled. This returns once the',
      'request is durable: entente runs show <run-id> follows what is left. The reason is kept in',
      "the run's events with who asked.",
    ],
    options: {
      reason: { type: 'string', arg: '<why>', help: 'why the run is stopped (required): kept with who asked' },
      ...CONNECT_OPTIONS,
    },
    maxArgs: 1,
    examples: [['stop a run started by mistake', "entente runs cancel 5f0c2a9e-8d4b-4c1a-9e27-3b6d1f0a7c44 --config entente.yaml --reason 'wrong cohort'"]],
    exits: [[EXIT.ok, 'the cancel request is recorded (or the run had already finished)'], GATEWAY_REFUSED, [EXIT.usage, 'no <run-id> or no --reason']],
  },
  async ({ values, positionals }) => {
    const runId = required(positionals[0], '<run-id>', 'the run to stop, from entente runs list');
    const reason = required(values.reason, '--reason', 'say why the run is stopped; it is kept with who asked');
    const view = await withGateway(values, (client) => client.cancelRun(runId, reason));
    const next = view.status === 'running' ? `cancel requested: entente runs show ${runId} follows it to the end` : 'it had already finished: nothing to cancel';
    writeLines([...renderRun(view, Date.now()).slice(0, 1), next]);
    return EXIT.ok;
  },
);

/** Lists, shows and cancels the running gateway's workflow runs. */
export const runs = defineGroup({ name: 'runs', summary: "the running gateway's workflow runs; cancel one" }, [list, show, cancel]);
