import { withSignatures, type AuditLog } from '../log/index.js';
import type { LogStore, StatementLog, StatementRecord } from '../ports.js';
import { BUNDLE_FORMAT, type AuditBundle, type BundleKeys } from './format.js';

/** What is exported: a time window (of the tasks' statements) and/or one partner. */
export interface ExportSelection {
  readonly since?: Date;
  readonly until?: Date;
  readonly partner?: string;
}

/** A task as the exporting gateway knows it (tasks/ holds these; handed in as plain data). */
export interface ExportTask {
  readonly taskId: string;
  readonly role: 'requester' | 'responder';
  readonly peerOrg: string;
  readonly capability: string;
  readonly purpose: string;
  readonly status: string;
  readonly reason?: string;
  /** Where its ack stands (tasks/ knows: the outbox for ours, the log for the partner's). */
  readonly ack?: AuditBundle['tasks'][number]['ack'];
}

export interface ExportDeps {
  readonly org: string;
  readonly store: StatementLog & LogStore;
  readonly log: AuditLog;
  /** Our keys and our partners' keys, with validity periods. */
  readonly keys: Readonly<Record<string, BundleKeys>>;
  readonly tasks: (taskIds: ReadonlySet<string>) => Promise<readonly ExportTask[]>;
  /** A cited policy revision's files (or bundle), as JSON, when the exporter kept it. */
  readonly revision?: (revision: string) => Promise<unknown>;
  readonly now: () => number;
}

const PAGE = 10_000;

/**
 * Builds an audit bundle (docs/audit.md §4): the selected tasks' statements with inclusion
 * proofs to a fresh head checkpoint, our earlier checkpoints with their cosignatures and
 * consistency proofs to the head, keys, the partners' checkpoints we witnessed, alarms.
 */
export async function exportBundle(deps: ExportDeps, selection: ExportSelection = {}): Promise<AuditBundle> {
  const head = await deps.log.checkpoint();
  const headSize = Number(head.size);
  const selected = await selectStatements(deps.store, selection, headSize);
  const taskIds = new Set(selected.map((s) => s.taskId));
  const tasks = await deps.tasks(taskIds);
  const checkpoints = await deps.store.listCheckpoints({ toSize: headSize });
  const cosigned = (size: number, note: string) => withSignatures(note, (checkpoints.find((c) => c.size === size)?.cosignatures ?? []).map((c) => c.line));
  const witnessed = await deps.store.heldCheckpoints(selection.partner);
  const alarms = (await deps.store.listAlarms()).filter((a) => selection.partner === undefined || a.partner === selection.partner);
  const revisions = new Set<string>();
  for (const s of selected) for (const r of policyRevisionsOf(s.jws)) revisions.add(r);
  return {
    format: BUNDLE_FORMAT,
    org: deps.org,
    exported_at: new Date(deps.now()).toISOString(),
    selection: {
      ...(selection.since !== undefined ? { since: selection.since.toISOString() } : {}),
      ...(selection.until !== undefined ? { until: selection.until.toISOString() } : {}),
      ...(selection.partner !== undefined ? { partner: selection.partner } : {}),
    },
    log: {
      origin: deps.log.origin,
      head: cosigned(headSize, head.note),
      checkpoints: checkpoints
        .filter((c) => c.size > 0 && c.size < headSize)
        .map((c) => ({ note: cosigned(c.size, c.note), consistency: deps.log.consistencyProof(c.size, headSize).map(b64) })),
    },
    keys: { ...deps.keys },
    statements: selected.map((s) => ({
      index: String(s.index),
      task_id: s.taskId,
      kind: s.kind,
      signer: s.signerOrg,
      peer: s.peerOrg,
      jws: s.jws,
      inclusion: deps.log.inclusionProof(s.index!, headSize).map(b64),
    })),
    tasks: tasks.map((t) => ({
      task_id: t.taskId,
      role: t.role,
      peer: t.peerOrg,
      capability: t.capability,
      purpose: t.purpose,
      status: t.status,
      ...(t.reason !== undefined ? { reason: t.reason } : {}),
      ack: t.ack ?? (selected.some((s) => s.taskId === t.taskId && s.peerOrg === t.peerOrg && s.kind === 'ack') ? 'delivered' : 'missing'),
    })),
    witnessed: witnessed.map((w) => ({ partner: w.partner, note: w.note })),
    alarms: alarms.map((a) => ({
      partner: a.partner,
      at: new Date(a.at).toISOString(),
      code: a.code,
      message: a.message,
      ...(a.held !== undefined ? { held: a.held } : {}),
      offending: a.offending,
    })),
    policy_revisions: await Promise.all(
      [...revisions].sort().map(async (revision) => {
        const content = await deps.revision?.(revision);
        return content === undefined ? { revision } : { revision, content };
      }),
    ),
  };
}

/**
 * The statements of every task that has a statement in the selection (whole triples: a task
 * whose request is before `since` and result after it is exported whole), within the head.
 */
async function selectStatements(store: StatementLog, selection: ExportSelection, headSize: number): Promise<StatementRecord[]> {
  const all: StatementRecord[] = [];
  for (let after: number | undefined = undefined; ; ) {
    const page = await store.listStatements({ ...(selection.partner !== undefined ? { peerOrg: selection.partner } : {}), ...(after !== undefined ? { afterIndex: after } : {}), limit: PAGE });
    all.push(...page.filter((s) => s.index! < headSize));
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.index!;
  }
  const since = selection.since?.getTime() ?? -Infinity;
  const until = selection.until?.getTime() ?? Infinity;
  const key = (s: StatementRecord) => `${s.peerOrg}\n${s.taskId}`;
  const chosen = new Set(all.filter((s) => s.storedAt >= since && s.storedAt <= until).map(key));
  return all.filter((s) => chosen.has(key(s)));
}

/** The policy revisions a statement cites (outbound, inbound, disclosure), read without verifying. */
function policyRevisionsOf(jws: string): string[] {
  try {
    const payload = JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, { policy_revision?: unknown } | null>;
    return ['outbound', 'inbound', 'disclosure'].map((k) => payload[k]?.policy_revision).filter((r): r is string => typeof r === 'string');
  } catch {
    return [];
  }
}

const b64 = (h: Buffer): string => h.toString('base64');
