import type { TaskReceipts, TaskSummary } from '@entente/sdk';
import { loadConfig } from '../config/index.js';
import { openOffline } from '../gateway.js';
import type { TaskRecord } from '../tasks/index.js';
import { parse, UsageError } from './args.js';
import { CONNECT_OPTIONS, CONNECT_USAGE, connectControl } from './connect.js';
import { table } from './output.js';

const USAGE = [
  `entente receipts list ${CONNECT_USAGE} [--partner <org>] [--limit <n>] [--json]`,
  `       entente receipts show ${CONNECT_USAGE} <task-id> [--partner <org>] [--json]`,
  '       entente receipts list|show --offline --config <gateway.yaml> …   a stopped gateway\'s store, read-only',
].join('\n');

/** Prints the receipts the running gateway holds and whether each task's statements verify. */
export async function receipts(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'list' && sub !== 'show') {
    if (sub === '--help' || sub === '-h') {
      process.stdout.write(`usage: ${USAGE}\n`);
      return 0;
    }
    throw new UsageError(`expected list or show\nusage: ${USAGE}`);
  }
  const { values, positionals } = parse(
    rest,
    { ...CONNECT_OPTIONS, partner: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' }, offline: { type: 'boolean' } },
    USAGE,
  );
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isSafeInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive whole number');
  const taskId = positionals[0];
  if (sub === 'show' && taskId === undefined) throw new UsageError(`missing <task-id>\nusage: ${USAGE}`);
  if (values.offline) {
    if (values.config === undefined) throw new UsageError(`--offline reads the store a config names: give --config\nusage: ${USAGE}`);
    return offline(sub, values.config, { partner: values.partner, limit, taskId, json: values.json ?? false });
  }
  const client = connectControl(values);
  try {
    if (sub === 'list') {
      const tasks: TaskSummary[] = [];
      for await (const t of client.tasks({ ...(values.partner !== undefined ? { partner: values.partner } : {}), pageSize: Math.min(limit, 1000) })) {
        tasks.push(t);
        if (tasks.length >= limit) break;
      }
      printList(tasks, values.json ?? false);
      return 0;
    }
    const found = await client.receipts(taskId!, values.partner);
    printShow(found, values.json ?? false);
    return found.every((r) => r.verification.state !== 'invalid') ? 0 : 1;
  } finally {
    client.close();
  }
}

function printList(tasks: readonly TaskSummary[], json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(tasks.map((t) => ({ ...summary(t), receipts: t.receipts })), null, 2) + '\n');
    return;
  }
  process.stdout.write(
    table([
      ['TASK', 'ROLE', 'PARTNER', 'CAPABILITY', 'PURPOSE', 'STATUS', 'RECEIPTS'],
      ...tasks.map((t) => [t.taskId, t.role, t.partner, t.capability, t.purpose, t.status + (t.reason ? ` (${t.reason})` : ''), t.receipts]),
    ]),
  );
}

function printShow(found: readonly TaskReceipts[], json: boolean): void {
  if (json) {
    const shown = found.map((r) => ({ ...summary(r.task), verification: r.verification, statements: r.statements.map((s) => ({ kind: s.kind, signer: s.signerOrg, kid: s.kid, digest: s.digest, payload: s.payload, jws: s.jws })) }));
    process.stdout.write(JSON.stringify(shown, null, 2) + '\n');
    return;
  }
  for (const r of found) {
    const t = r.task;
    process.stdout.write(`task ${t.taskId}  ${t.role} with ${t.partner}  ${t.capability} for ${t.purpose}: ${t.status}${t.reason ? ` (${t.reason})` : ''}\n`);
    for (const s of r.statements) {
      process.stdout.write(`  ${s.kind.padEnd(7)} signed by ${s.signerOrg} (kid ${s.kid.slice(0, 12)}…)  ${s.digest}\n    ${JSON.stringify(s.payload)}\n`);
    }
    const problems = r.verification.problems;
    process.stdout.write(`  verification: ${r.verification.state}${problems.length ? ' — ' + problems.join('; ') : ''}\n`);
  }
}

function summary(t: TaskSummary) {
  return { task_id: t.taskId, role: t.role, partner: t.partner, capability: t.capability, purpose: t.purpose, status: t.status, ...(t.reason ? { reason: t.reason } : {}), created_at: t.createdAt.toISOString() };
}

/** The same listing and verification, from a stopped gateway's store opened read-only. */
async function offline(
  sub: 'list' | 'show',
  configPath: string,
  opts: { partner: string | undefined; limit: number; taskId: string | undefined; json: boolean },
): Promise<number> {
  const store = openOffline(loadConfig(configPath));
  try {
    if (sub === 'list') {
      const tasks = await store.listTasks({ ...(opts.partner !== undefined ? { peerOrg: opts.partner } : {}), limit: opts.limit });
      const summaries = await Promise.all(
        tasks.map(async (t) => summaryOf(t, (await store.receipts(t.taskId, t.peerOrg)).find((r) => r.task.role === t.role)?.verification.state ?? 'incomplete')),
      );
      printList(summaries, opts.json);
      return 0;
    }
    const found = await store.receipts(opts.taskId!, opts.partner);
    if (found.length === 0) throw new UsageError(`this gateway's store holds no task ${JSON.stringify(opts.taskId)}`);
    printShow(
      found.map((r) => ({
        task: summaryOf(r.task, r.verification.state),
        statements: r.statements.map((st) => ({ kind: st.kind, signerOrg: st.signerOrg, kid: st.kid, digest: st.digest, payload: JSON.parse(Buffer.from(st.jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown, jws: st.jws })),
        verification: r.verification,
      })),
      opts.json,
    );
    return found.every((r) => r.verification.state !== 'invalid') ? 0 : 1;
  } finally {
    await store.close();
  }
}

/** A stored task in the shape the control API lists it. */
function summaryOf(t: TaskRecord, receiptsState: string): TaskSummary {
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
  };
}
