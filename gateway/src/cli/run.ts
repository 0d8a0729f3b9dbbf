import { readFileSync } from 'node:fs';
import { ControlCallError, type EntenteClient, type RunView } from '@entente/sdk';
import { positiveInteger, required, UsageError } from './args.js';
import { defineCommand } from './command.js';
import { CONNECT_OPTIONS, CONNECT_USAGE, withGateway } from './connect.js';
import { CliError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { jsonOption } from './json-option.js';
import { writeLines } from './output.js';
import { changes, outcomeLines, redraw, renderRun, report } from './run-view.js';

const WAIT_MS = 600_000;

/** Starts a workflow run at the running gateway; with --wait follows it to the end, with --watch live. */
export const run = defineCommand(
  {
    name: 'run',
    summary: 'start a workflow run at the running gateway (and with --wait or --watch, follow it to its outcome)',
    usage: [`<workflow.yaml> ${CONNECT_USAGE} [--input '<json>'|@file.json] [--wait|--watch] [--timeout-ms <ms>] [--json]`],
    description: [
      'The gateway checks the workflow against its agents and partners first and refuses it with every',
      'problem listed; then the run is durable: it survives a restart of the gateway. Prints the run',
      "id, or with --wait each step's state and the run's output.",
      '',
      '--watch shows the steps as they go (state, attempt, where each runs, for how long), redrawn in',
      'place on a terminal; written to a pipe or a file it prints one line per change instead',
      '(HH:MM:SS step state attempt org). Stopping the watch (Ctrl-C) leaves the run going: entente',
      'runs show <run-id> tells how it is doing, entente runs cancel <run-id> stops it. A step waiting',
      'for a person names its approval: entente approvals approve <approval-id> --reason ….',
    ],
    options: {
      input: { type: 'string', arg: "'<json>'|@file.json", help: "the run's input ({} by default)" },
      wait: { type: 'boolean', help: 'wait until the run has finished, and print its steps and output' },
      watch: { type: 'boolean', help: 'show the steps live until the run has finished, then its output' },
      'timeout-ms': { type: 'string', arg: '<ms>', help: 'how long --wait waits (10 minutes by default) or --watch watches (no limit by default)' },
      json: { type: 'boolean', help: 'print the run as JSON (not with --watch)' },
      ...CONNECT_OPTIONS,
    },
    maxArgs: 1,
    examples: [
      ['run the cohort study and wait for its total', 'entente run cohort-study.yaml --config entente.yaml --input @cohort.json --wait'],
      ['run it and watch its steps as they go', 'entente run cohort-study.yaml --config entente.yaml --input @cohort.json --watch'],
    ],
    exits: [
      [EXIT.ok, 'the run started (or, with --wait or --watch, completed)'],
      [EXIT.error, 'the gateway refused the workflow or the client, or is not running'],
      [EXIT.usage, 'a missing or malformed argument, or --watch with --json'],
      [EXIT.failed, 'with --wait or --watch: the run failed or was cancelled, or had not finished within --timeout-ms'],
    ],
  },
  async ({ values, positionals }) => {
    const file = required(positionals[0], '<workflow.yaml>', 'the workflow file, e.g. entente run order.yaml --config entente.yaml');
    if (values.watch && values.json) throw new UsageError('--watch shows a live view; for the run as JSON use --wait --json');
    let workflow: string;
    try {
      workflow = readFileSync(file, 'utf8');
    } catch (err) {
      throw new CliError('CLI_INPUT', `${file}: cannot read it: ${(err as Error).message}`);
    }
    const input = values.input === undefined ? {} : jsonOption('--input', values.input);
    const timeout = positiveInteger(values['timeout-ms'], '--timeout-ms', ' of milliseconds');
    return withGateway(values, async (client) => {
      const started = await client.startRun(workflow, input);
      if (!values.wait && !values.watch) {
        process.stdout.write(values.json ? JSON.stringify(started, null, 2) + '\n' : `run ${started.runId} of ${started.workflow} started\n`);
        return EXIT.ok;
      }
      const finished = await untilFinished(started.runId, () =>
        values.watch ? watch(client, started.runId, timeout) : client.getRun(started.runId, { wait: true, timeoutMs: timeout ?? WAIT_MS }),
      );
      if (values.json) process.stdout.write(JSON.stringify(finished, null, 2) + '\n');
      else writeLines(values.watch ? outcomeLines(finished) : report(finished, Date.now()));
      // A run that failed or was cancelled did not complete, as a call that failed (4).
      return finished.status === 'completed' ? EXIT.ok : EXIT.failed;
    });
  },
);

/** Follows a run to its end; a deadline that passes first is an unfinished run, not a failed one. */
async function untilFinished(runId: string, follow: () => Promise<RunView>): Promise<RunView> {
  try {
    return await follow();
  } catch (err) {
    if (err instanceof ControlCallError && err.code === 'DEADLINE_EXCEEDED') {
      throw new CliError('CLI_CALL_UNFINISHED', `run ${runId} had not finished within --timeout-ms; it goes on: see entente runs show ${runId}`, {
        cause: err,
        exitCode: EXIT.failed,
      });
    }
    throw err;
  }
}

/**
 * Watches a run to its end. On a terminal the view is redrawn in place, on every event and
 * each second (for the running times); anywhere else each change is a line of its own.
 */
async function watch(client: EntenteClient, runId: string, timeoutMs: number | undefined): Promise<RunView> {
  const out = process.stdout;
  let last: RunView | undefined;
  let height = 0;
  const draw = (view: RunView) => {
    const frame = renderRun(view, Date.now());
    out.write(redraw(frame, height, out.columns ?? 80));
    height = frame.length;
  };
  const tick = out.isTTY ? setInterval(() => last !== undefined && draw(last), 1000) : undefined;
  try {
    for await (const { event, run: view } of client.watchRun(runId, timeoutMs !== undefined ? { timeoutMs } : {})) {
      if (out.isTTY) draw(view);
      else writeLines(changes(last, view, new Date(typeof event['at'] === 'number' ? event['at'] : Date.now())));
      last = view;
    }
  } finally {
    clearInterval(tick);
  }
  // The gateway ends a watch after run_finished; one that ends before (the gateway stopping) leaves the run going.
  if (last === undefined || last.status === 'running') {
    throw new CliError('CLI_CALL_UNFINISHED', `the gateway ended the watch before run ${runId} finished (is it stopping?); the run goes on: see entente runs show ${runId}`, {
      exitCode: EXIT.failed,
    });
  }
  if (!out.isTTY) writeLines(renderRun(last, Date.now()).slice(0, 1));
  return last;
}
