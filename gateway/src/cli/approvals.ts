import type { ApprovalDecision, ApprovalView, DecideRequest } from '@entente/sdk';
import { required } from './args.js';
import { defineCommand, defineGroup, type Command } from './command.js';
import { CONNECT_OPTIONS, CONNECT_USAGE, withGateway } from './connect.js';
import { EXIT } from './exit-codes.js';
import { jsonOption } from './json-option.js';
import { table, writeLines } from './output.js';

const DETAILS_WIDTH = 60;

const list = defineCommand(
  {
    name: 'approvals list',
    summary: 'the decisions waiting for a person: approval steps, escalations, partners\' tasks held for approval',
    usage: [`${CONNECT_USAGE} [--run <run-id>] [--json]`],
    description: [
      'Each approval says what it is for (a run\'s step, or a partner\'s task), what to decide on (the',
      "step's input, or the failure of an escalated step; --json shows it whole), the decisions it",
      'takes and when it expires. Needs the approver or auditor role over TCP.',
    ],
    options: {
      run: { type: 'string', arg: '<run-id>', help: "only this run's approvals" },
      json: { type: 'boolean', help: 'print JSON, with the details whole' },
      ...CONNECT_OPTIONS,
    },
    examples: [
      ['what waits for a decision', 'entente approvals list --config entente.yaml'],
      ["one run's approvals, with their details", 'entente approvals list --config entente.yaml --run 5f0c2a9e-8d4b-4c1a-9e27-3b6d1f0a7c44 --json'],
    ],
    exits: [[EXIT.ok, 'listed (also when nothing waits)'], [EXIT.error, 'the gateway is not running or refused the client']],
  },
  async ({ values }) => {
    const approvals = await withGateway(values, (client) => client.listApprovals(values.run !== undefined ? { runId: values.run } : {}));
    if (values.json) process.stdout.write(JSON.stringify(approvals, null, 2) + '\n');
    else {
      process.stdout.write(
        table([
          ['APPROVAL', 'KIND', 'FOR', 'DECISIONS', 'EXPIRES', 'DETAILS'],
          ...approvals.map((a) => [a.approvalId, a.kind, subjectOf(a), a.decisions.join('|'), a.expiresAt?.toISOString() ?? '-', detailsOf(a)]),
        ]),
      );
    }
    return EXIT.ok;
  },
);

/** What an approval is about: a run's step, or a partner's task. */
function subjectOf(a: ApprovalView): string {
  if (a.task !== undefined) return `task ${a.task.taskId} from ${a.task.partner} (${a.task.capability} for ${a.task.purpose})`;
  return `run ${a.runId ?? '?'} (${a.workflow ?? '?'}) step ${a.step ?? '?'}`;
}

function detailsOf(a: ApprovalView): string {
  const text = a.details === undefined ? '' : JSON.stringify(a.details);
  return text.length > DETAILS_WIDTH ? `${text.slice(0, DETAILS_WIDTH - 1)}…` : text;
}

const REASON = { type: 'string', arg: '<why>', help: 'why you decide so (required): kept with the decision and your name' } as const;
const DECIDE_EXITS = [
  [EXIT.ok, 'decided: the run (or the partner\'s task) goes on'],
  [EXIT.error, 'the gateway is not running or refused the client, or the approval is unknown or already decided'],
  [EXIT.usage, 'no <approval-id> or --reason, or a decision this approval does not take'],
] as const;
const ID = 'the approval id, from entente approvals list or from the step that waits (entente runs show)';
const WHY = 'say why; it is kept with your decision and your name';

/** `approvals approve` and `approvals reject`: one decision, a reason, nothing else. */
function decideAs(decision: 'approve' | 'reject', summary: string, example: readonly [string, string]): Command {
  return defineCommand(
    {
      name: `approvals ${decision}`,
      summary,
      usage: [`<approval-id> --reason <why> ${CONNECT_USAGE}`],
      description: ['The gateway records you as the one who decided: your client certificate\'s name, or local on the socket.'],
      options: { reason: REASON, ...CONNECT_OPTIONS },
      maxArgs: 1,
      examples: [example],
      exits: DECIDE_EXITS,
    },
    async ({ values, positionals }) => decide(values, positionals[0], { decision, reason: required(values.reason, '--reason', WHY) }),
  );
}

const decideCommand = defineCommand(
  {
    name: 'approvals decide',
    summary: 'decide an escalation (a step that failed asks what to do): retry, skip or fail',
    usage: [`<approval-id> --decision retry|skip|fail --reason <why> [--output '<json>'|@file.json] ${CONNECT_USAGE}`],
    description: [
      'retry starts the step over from its first provider; skip lets the run go on as if the step had',
      'returned --output (null when absent); fail fails the step, and the run with it unless the step',
      'continues on failure. approve and reject work here too, as with entente approvals approve.',
    ],
    options: {
      decision: { type: 'string', arg: 'retry|skip|fail', help: 'what to do about the failed step' },
      reason: REASON,
      output: { type: 'string', arg: "'<json>'|@file.json", help: 'with skip: the output the step gets, as JSON text or @ and a file' },
      ...CONNECT_OPTIONS,
    },
    maxArgs: 1,
    examples: [
      ['try the failed step again', "entente approvals decide 9b1e4c7a --config entente.yaml --decision retry --reason 'partner back up'"],
      ['go on without it, with a count of zero', `entente approvals decide 9b1e4c7a --config entente.yaml --decision skip --output '{"count":0}' --reason 'counted by hand'`],
    ],
    exits: DECIDE_EXITS,
  },
  async ({ values, positionals }) =>
    decide(values, positionals[0], {
      decision: required(values.decision, '--decision', 'retry, skip or fail') as ApprovalDecision,
      reason: required(values.reason, '--reason', WHY),
      ...(values.output !== undefined ? { output: jsonOption('--output', values.output) } : {}),
    }),
);

async function decide(values: Parameters<typeof withGateway>[0], id: string | undefined, req: DecideRequest) {
  const approvalId = required(id, '<approval-id>', ID);
  const decided = await withGateway(values, (client) => client.decideApproval(approvalId, req));
  const by = decided.decided !== undefined ? ` by ${decided.decided.by}` : '';
  writeLines([`approval ${decided.approvalId} (${subjectOf(decided)}): ${req.decision}${by}`]);
  return EXIT.ok;
}

/** Lists and decides what waits for a person at the running gateway. */
export const approvals = defineGroup(
  { name: 'approvals', summary: 'decisions waiting for a person: approval steps, escalations, partners\' held tasks' },
  [
    list,
    decideAs('approve', 'approve an approval step (or a partner\'s task held for approval): the run goes on', [
      'approve the step the run waits on',
      "entente approvals approve 9b1e4c7a --config entente.yaml --reason 'checked the cohort definition'",
    ]),
    decideAs('reject', 'reject an approval step (the step fails) or a partner\'s task held for approval (denied)', [
      'refuse it, saying why',
      "entente approvals reject 9b1e4c7a --config entente.yaml --reason 'cohort too small to share'",
    ]),
    decideCommand,
  ],
);
