import { loadConfig } from '../config/index.js';
import { Gateway } from '../gateway.js';
import { parse, required, UsageError } from './args.js';
import { stderrLogger, table } from './output.js';

const USAGE = 'entente receipts list --config <gateway.yaml> [--partner <org>] [--limit <n>] [--json]\n       entente receipts show --config <gateway.yaml> <task-id> [--json]';

/** Prints the receipts this gateway holds and whether each task's statements verify. */
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
    {
      config: { type: 'string', short: 'c' },
      partner: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    },
    USAGE,
  );
  const config = loadConfig(required(values.config, '--config', USAGE));
  const gateway = Gateway.create({ config, logger: stderrLogger(config.org) });
  try {
    if (sub === 'list') {
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      const tasks = gateway.listTasks({ ...(values.partner !== undefined ? { peerOrg: values.partner } : {}), limit });
      const rows = tasks.map((t) => {
        const [r] = gateway.receipts(t.taskId, t.peerOrg);
        return { task: t, state: r?.verification.state ?? 'incomplete' };
      });
      if (values.json) {
        process.stdout.write(JSON.stringify(rows.map(({ task, state }) => ({ ...summary(task), receipts: state })), null, 2) + '\n');
      } else {
        process.stdout.write(
          table([
            ['TASK', 'ROLE', 'PARTNER', 'CAPABILITY', 'PURPOSE', 'STATUS', 'RECEIPTS'],
            ...rows.map(({ task, state }) => [task.taskId, task.role, task.peerOrg, task.capability, task.purpose, task.status + (task.reason ? ` (${task.reason})` : ''), state]),
          ]),
        );
      }
      return 0;
    }
    const taskId = positionals[0];
    if (taskId === undefined) throw new UsageError(`missing <task-id>\nusage: ${USAGE}`);
    const found = gateway.receipts(taskId, values.partner);
    if (found.length === 0) {
      process.stderr.write(`entente: no task ${taskId} in ${config.org}'s store\n`);
      return 1;
    }
    if (values.json) {
      process.stdout.write(JSON.stringify(found.map((r) => ({ ...summary(r.task), verification: r.verification, statements: r.statements.map((s) => ({ kind: s.kind, signer: s.signerOrg, kid: s.kid, digest: s.digest, payload: decodePayload(s.jws), jws: s.jws })) })), null, 2) + '\n');
    } else {
      for (const r of found) {
        process.stdout.write(`task ${r.task.taskId}  ${r.task.role} with ${r.task.peerOrg}  ${r.task.capability} for ${r.task.purpose}: ${r.task.status}${r.task.reason ? ` (${r.task.reason})` : ''}\n`);
        for (const s of r.statements) {
          process.stdout.write(`  ${s.kind.padEnd(7)} signed by ${s.signerOrg} (kid ${s.kid.slice(0, 12)}…)  ${s.digest}\n    ${JSON.stringify(decodePayload(s.jws))}\n`);
        }
        process.stdout.write(`  verification: ${r.verification.state}${r.verification.problems.length ? ' — ' + r.verification.problems.join('; ') : ''}\n`);
      }
    }
    return found.every((r) => r.verification.state !== 'invalid') ? 0 : 1;
  } finally {
    await gateway.stop(0);
  }
}

function summary(t: { taskId: string; role: string; peerOrg: string; capability: string; purpose: string; status: string; reason?: string; createdAt: number }) {
  return { task_id: t.taskId, role: t.role, partner: t.peerOrg, capability: t.capability, purpose: t.purpose, status: t.status, ...(t.reason ? { reason: t.reason } : {}), created_at: new Date(t.createdAt).toISOString() };
}

function decodePayload(jws: string): unknown {
  const part = jws.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
}
