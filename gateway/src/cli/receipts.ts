import type { TaskReceipts, TaskSummary } from '@entente/sdk';
import { loadConfig } from '../config/index.js';
import { inspectCompactJws } from '../crypto/index.js';
import { openOffline } from '../gateway.js';
import type { AckStatus, TaskRecord } from '../tasks/index.js';
import { UsageError } from './args.js';
import { CliError } from './errors.js';
import { defineCommand, defineGroup } from './command.js';
import { CONNECT_OPTIONS, CONNECT_USAGE, withGateway } from './connect.js';
import { EXIT } from './exit-codes.js';
import { limitOf, limitOption, take } from './listing.js';
import { table } from './output.js';

const EXITS = [
  [EXIT.ok, 'every receipt shown verified (or is incomplete: an ack still on its way, or a task not final)'],
  [EXIT.error, 'the gateway is not running or refused the client, or holds no such task'],
  [EXIT.unverified, 'a receipt statement did not verify: its state is invalid and the problem is printed'],
] as const;

const list = defineCommand(
  {
    name: 'receipts list',
    summary: 'the tasks the running gateway holds, newest first, with the state of their receipts',
    usage: [`${CONNECT_USAGE} [--partner <org>] [--limit <n>] [--json]`],
    description: [
      'The receipt state of each task: verified (request, result and ack, all signed and chained),',
      'verified_local_denial (our outbound policy refused it: our request and our denial), incomplete',
      '(the ack has not arrived yet) or invalid (a statement does not verify).',
      'ACK says where its ack stands. As requester: delivered (the partner has it), pending (stored;',
      'the outbox retries it until the partner has it), failed (the partner refused it: see receipts',
      'show), missing (not final yet) or none (our outbound policy refused the request). As',
      'responder: delivered, or missing (the requester has not acknowledged the result).',
    ],
    options: {
      partner: { type: 'string', arg: '<org>', help: 'only tasks with this partner' },
      limit: limitOption('tasks'),
      json: { type: 'boolean', help: 'print JSON instead of a table' },
      offline: { type: 'boolean', help: "read a stopped gateway's store (named by --config) directly, read-only" },
      ...CONNECT_OPTIONS,
    },
    examples: [
      ['the last ten tasks with hospital-b', 'entente receipts list --config entente.yaml --partner hospital-b --limit 10'],
      ["a stopped gateway's receipts, from its store, read-only", 'entente receipts list --config entente.yaml --offline'],
    ],
    exits: EXITS,
  },
  async ({ values }) => {
    const { limit, pageSize } = limitOf(values.limit);
    const tasks = values.offline
      ? await offlineList(offlineConfig(values.config), values.partner, limit)
      : await withGateway(values, (client) => take(client.tasks({ ...(values.partner !== undefined ? { partner: values.partner } : {}), pageSize }), limit));
    printList(tasks, values.json ?? false);
    return tasks.some((t) => t.receipts === 'invalid') ? EXIT.unverified : EXIT.ok;
  },
);

const show = defineCommand(
  {
    name: 'receipts show',
    summary: "one task's signed statements as the running gateway holds them, each verified against its signer's keys",
    usage: [`${CONNECT_USAGE} <task-id> [--partner <org>] [--json]`],
    description: [
      'Prints each statement (request, result, ack): who signed it, with which key, its digest and its',
      'payload (digests and metadata, never the input or the result), then the verification.',
    ],
    options: {
      partner: { type: 'string', arg: '<org>', help: 'the partner of the task, when the same task id exists with several' },
      json: { type: 'boolean', help: 'print JSON, with each statement as its compact JWS' },
      offline: { type: 'boolean', help: "read a stopped gateway's store (named by --config) directly, read-only" },
      ...CONNECT_OPTIONS,
    },
    maxArgs: 1,
    examples: [['the receipts of the task a call printed', 'entente receipts show --config entente.yaml 0b6f7c1e-5d1a-4a3e-9c61-2f4d8e0a9b11']],
    exits: EXITS,
  },
  async ({ values, positionals }) => {
    const taskId = positionals[0];
    if (taskId === undefined) throw new UsageError('missing <task-id>: the taskId a call printed, or one from entente receipts list');
    const found = values.offline ? await offlineShow(offlineConfig(values.config), taskId, values.partner) : await withGateway(values, (client) => client.receipts(taskId, values.partner));
    printShow(found, values.json ?? false);
    return found.some((r) => r.verification.state === 'invalid') ? EXIT.unverified : EXIT.ok;
  },
);

/** Prints the receipts the running gateway holds and whether each task's statements verify. */
export const receipts = defineGroup(
  { name: 'receipts', summary: 'the signed receipts the running gateway holds, verified' },
  [list, show],
);

function printList(tasks: readonly TaskSummary[], json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(tasks.map((t) => ({ ...summary(t), receipts: t.receipts, ack: t.ack })), null, 2) + '\n');
    return;
  }
  process.stdout.write(
    table([
      ['TASK', 'ROLE', 'PARTNER', 'CAPABILITY', 'PURPOSE', 'STATUS', 'RECEIPTS', 'ACK'],
      ...tasks.map((t) => [t.taskId, t.role, t.partner, t.capability, t.purpose, t.status + (t.reason ? ` (${t.reason})` : ''), t.receipts, t.ack]),
    ]),
  );
}

function printShow(found: readonly TaskReceipts[], json: boolean): void {
  if (json) {
    const shown = found.map((r) => ({
      ...summary(r.task),
      verification: r.verification,
      ack: { ...r.ack, ...isoFields(r.ack) },
      statements: r.statements.map((s) => ({ kind: s.kind, signer: s.signerOrg, kid: s.kid, digest: s.digest, log_index: s.logIndex, payload: s.payload, jws: s.jws })),
    }));
    process.stdout.write(JSON.stringify(shown, null, 2) + '\n');
    return;
  }
  for (const r of found) {
    const t = r.task;
    process.stdout.write(`task ${t.taskId}  ${t.role} with ${t.partner}  ${t.capability} for ${t.purpose}: ${t.status}${t.reason ? ` (${t.reason})` : ''}\n`);
    for (const s of r.statements) {
      process.stdout.write(`  ${s.kind.padEnd(7)} signed by ${s.signerOrg} (kid ${s.kid.slice(0, 12)}…)  ${s.digest}  log index ${s.logIndex}\n    ${JSON.stringify(s.payload)}\n`);
    }
    const problems = r.verification.problems;
    process.stdout.write(`  verification: ${r.verification.state}${problems.length ? ' — ' + problems.join('; ') : ''}\n`);
    process.stdout.write(`  ack: ${ackLine(r.ack)}\n`);
  }
}

/** Where an ack stands, with the outbox's record: `pending — 3 attempts, next at …, last error: …`. */
function ackLine(a: TaskReceipts['ack']): string {
  const details = [
    ...(a.attempts > 0 ? [`${a.attempts} attempt${a.attempts === 1 ? '' : 's'}`] : []),
    ...(a.deliveredAt !== undefined ? [`delivered at ${a.deliveredAt.toISOString()}`] : []),
    ...(a.failedAt !== undefined ? [`refused at ${a.failedAt.toISOString()}`] : []),
    ...(a.nextAttemptAt !== undefined ? [`next at ${a.nextAttemptAt.toISOString()}`] : []),
    ...(a.lastError !== undefined ? [`last error: ${a.lastError}`] : []),
  ];
  return a.state + (details.length > 0 ? ` — ${details.join(', ')}` : '');
}

/** The ack's times as RFC 3339 text, for --json. */
function isoFields(a: TaskReceipts['ack']) {
  const at = (d: Date | undefined) => d?.toISOString();
  return { nextAttemptAt: at(a.nextAttemptAt), deliveredAt: at(a.deliveredAt), failedAt: at(a.failedAt) };
}

function summary(t: TaskSummary) {
  return { task_id: t.taskId, role: t.role, partner: t.partner, capability: t.capability, purpose: t.purpose, status: t.status, ...(t.reason ? { reason: t.reason } : {}), created_at: t.createdAt.toISOString() };
}

function offlineConfig(configPath: string | undefined): string {
  if (configPath === undefined) throw new UsageError('--offline reads the store a config names: give --config');
  return configPath;
}

/** The listing from a stopped gateway's store, opened read-only. */
async function offlineList(configPath: string, partner: string | undefined, limit: number): Promise<TaskSummary[]> {
  const store = openOffline(loadConfig(configPath));
  try {
    const tasks = await store.listTasks({ ...(partner !== undefined ? { peerOrg: partner } : {}), limit });
    return await Promise.all(
      tasks.map(async (t) => {
        const held = (await store.receipts(t.taskId, t.peerOrg)).find((r) => r.task.role === t.role);
        return summaryOf(t, held?.verification.state ?? 'incomplete', held?.ack.state ?? 'missing');
      }),
    );
  } finally {
    await store.close();
  }
}

/** A task's receipts from a stopped gateway's store, opened read-only. */
async function offlineShow(configPath: string, taskId: string, partner: string | undefined): Promise<TaskReceipts[]> {
  const store = openOffline(loadConfig(configPath));
  try {
    const found = await store.receipts(taskId, partner);
    if (found.length === 0) throw new CliError('CLI_INPUT', `this gateway's store holds no task ${JSON.stringify(taskId)}`);
    return found.map((r) => ({
      task: summaryOf(r.task, r.verification.state, r.ack.state),
      statements: r.statements.map((st) => ({
        kind: st.kind,
        signerOrg: st.signerOrg,
        kid: st.kid,
        digest: st.digest,
        payload: JSON.parse(inspectCompactJws(st.jws).payloadText) as unknown,
        jws: st.jws,
        logIndex: st.index ?? 0,
      })),
      verification: r.verification,
      ack: ackOf(r.ack),
    }));
  } finally {
    await store.close();
  }
}

/** An ack's status in the shape the control API gives it. */
function ackOf(a: AckStatus): TaskReceipts['ack'] {
  const date = <K extends string>(key: K, ms: number | undefined) => (ms === undefined ? {} : { [key]: new Date(ms) });
  return {
    state: a.state,
    attempts: a.attempts ?? 0,
    ...date('nextAttemptAt', a.nextAt),
    ...(a.lastError !== undefined ? { lastError: a.lastError } : {}),
    ...date('deliveredAt', a.deliveredAt),
    ...date('failedAt', a.failedAt),
  };
}

/** A stored task in the shape the control API lists it. */
function summaryOf(t: TaskRecord, receiptsState: string, ack: string): TaskSummary {
  return {
    taskId: t.taskId,
    role: t.role,
    partner: t.peerOrg,
    capability: t.capability,
    purpose: t.purpose,
    status: t.status === 'received' ? 'running' : t.status,
    ...(t.reason !== undefined ? { reason: t.reason } : {}),
    createdAt: new Date(t.createdAt),
    updatedAt: new Date(t.updatedAt),
    receipts: receiptsState,
    ack,
  };
}
