import { leafHash } from '../merkle.js';
import { MerkleTree } from '../merkle.js';
import { readCheckpoint, type Checkpoint } from '../log/index.js';
import type { Finding } from './findings.js';
import { bundleSchema, type AuditBundle, type BundleStatement } from './format.js';
import { verifyBundle, type VerifyReport } from './verify.js';

export interface ReconcileReport {
  readonly ok: boolean;
  readonly orgs: readonly [string, string];
  /** Each bundle's own verification. */
  readonly verified: readonly [VerifyReport, VerifyReport];
  /** Tasks between the two organizations: in both bundles, in the first only, in the second only. */
  readonly tasks: { readonly matched: number; readonly onlyFirst: number; readonly onlySecond: number };
  readonly findings: readonly Finding[];
}

/**
 * Matches two organizations' bundles (docs/audit.md §6): each verified on its own first; then
 * the tasks between them, task by task and statement by statement; then each side's witnessed
 * checkpoints of the other against the other's log.
 */
export function reconcileBundles(first: unknown, second: unknown): ReconcileReport {
  const verified = [verifyBundle(first), verifyBundle(second)] as const;
  const parsed = [bundleSchema.safeParse(first), bundleSchema.safeParse(second)] as const;
  const orgs = [verified[0].org ?? '?', verified[1].org ?? '?'] as const;
  const findings: Finding[] = [];
  for (const [i, r] of verified.entries()) {
    for (const f of r.findings) findings.push({ ...f, message: `${orgs[i]}'s bundle: ${f.message}` });
  }
  if (!parsed[0].success || !parsed[1].success) {
    return { ok: false, orgs, verified, tasks: { matched: 0, onlyFirst: 0, onlySecond: 0 }, findings };
  }
  const [a, b] = [parsed[0].data, parsed[1].data];
  const tasks = matchTasks(a, b, findings);
  checkWitnessedAgainst(a, b, findings);
  checkWitnessedAgainst(b, a, findings);
  return { ok: findings.length === 0, orgs, verified, tasks, findings };
}

/** The statements each bundle holds of tasks between the two organizations, by task. */
function tasksBetween(bundle: AuditBundle, other: string): Map<string, BundleStatement[]> {
  const tasks = new Map<string, BundleStatement[]>();
  for (const s of bundle.statements) {
    if (s.peer !== other && s.signer !== other) continue;
    const list = tasks.get(s.task_id) ?? [];
    list.push(s);
    tasks.set(s.task_id, list);
  }
  return tasks;
}

function matchTasks(a: AuditBundle, b: AuditBundle, findings: Finding[]): ReconcileReport['tasks'] {
  const [ta, tb] = [tasksBetween(a, b.org), tasksBetween(b, a.org)];
  const counts = { matched: 0, onlyFirst: 0, onlySecond: 0 };
  for (const [taskId, sa] of ta) {
    const sb = tb.get(taskId);
    if (sb === undefined) {
      if (neverLeft(a, taskId, sa)) continue;
      counts.onlyFirst++;
      if (selects(b, a.org)) findings.push({ code: 'TASK_ONE_SIDED', taskId, message: `${a.org} holds the task, ${b.org}'s bundle does not` });
      continue;
    }
    counts.matched++;
    for (const kind of ['request', 'result', 'ack'] as const) {
      const [ja, jb] = [jwsOf(sa, kind), jwsOf(sb, kind)];
      if (ja === undefined && jb === undefined) continue;
      if (ja === undefined || jb === undefined) {
        const [has, lacks] = ja === undefined ? [b.org, a.org] : [a.org, b.org];
        findings.push({
          code: 'STATEMENT_ONE_SIDED',
          taskId,
          message: kind === 'ack' ? `${has} holds the ack, ${lacks} never received it: the result was never acknowledged at ${lacks}` : `${has} holds the ${kind} statement, ${lacks} does not`,
        });
      } else if (ja !== jb) {
        findings.push({ code: 'STATEMENT_DIFFERS', taskId, message: `${a.org} and ${b.org} hold different ${kind} statements` });
      }
    }
  }
  for (const taskId of tb.keys()) {
    if (ta.has(taskId)) continue;
    if (neverLeft(b, taskId, tb.get(taskId)!)) continue;
    counts.onlySecond++;
    if (selects(a, b.org)) findings.push({ code: 'TASK_ONE_SIDED', taskId, message: `${b.org} holds the task, ${a.org}'s bundle does not` });
  }
  return counts;
}

/**
 * A task the partner cannot hold: our own outbound policy refused it (our request and our
 * denial), or it never reached the partner (only our request, and our record says the partner
 * was unreachable).
 */
function neverLeft(bundle: AuditBundle, taskId: string, statements: readonly BundleStatement[]): boolean {
  const ours = statements.every((s) => s.signer === bundle.org);
  if (ours && !statements.some((s) => s.kind === 'ack') && statements.some((s) => s.kind === 'result')) return true;
  const record = bundle.tasks.find((t) => t.task_id === taskId && t.role === 'requester');
  return ours && statements.every((s) => s.kind === 'request') && record?.reason === 'partner_unavailable';
}

/** Whether a bundle's selection could hold tasks with `org` at all (a time window could still leave one out). */
function selects(bundle: AuditBundle, org: string): boolean {
  return bundle.selection.partner === undefined || bundle.selection.partner === org;
}

function jwsOf(statements: readonly BundleStatement[], kind: BundleStatement['kind']): string | undefined {
  return statements.find((s) => s.kind === kind)?.jws;
}

/**
 * `witness`'s checkpoints of `log`'s log must be prefixes of `log`'s history: the same root
 * as `log`'s checkpoint of that size (each proven consistent with its head by verify), or, when
 * `log`'s bundle holds the whole log, the root recomputed from its statements.
 */
function checkWitnessedAgainst(witness: AuditBundle, log: AuditBundle, findings: Finding[]): void {
  const held = witness.witnessed.filter((w) => w.partner === log.org);
  if (held.length === 0) return;
  const roots = new Map<bigint, Buffer>();
  for (const note of [log.log.head, ...log.log.checkpoints.map((c) => c.note)]) {
    const cp = tryRead(note);
    if (cp !== undefined) roots.set(cp.size, cp.root);
  }
  const headSize = tryRead(log.log.head)?.size ?? 0n;
  const whole = wholeTree(log, headSize);
  for (const w of held) {
    const cp = tryRead(w.note);
    if (cp === undefined) continue;
    const at = `the checkpoint of ${log.org}'s log at size ${cp.size} that ${witness.org} witnessed`;
    if (cp.size > headSize) {
      findings.push({ code: 'LOG_INCONSISTENT', partner: log.org, subject: `checkpoint ${cp.size}`, message: `${at} is larger than ${log.org}'s head (${headSize}): ${log.org}'s log lost statements, or its export is older than the witness's` });
      continue;
    }
    const root = roots.get(cp.size) ?? (whole !== undefined ? whole.root(Number(cp.size)) : undefined);
    if (root === undefined) {
      findings.push({ code: 'LOG_INCONSISTENT', partner: log.org, subject: `checkpoint ${cp.size}`, message: `${at} cannot be found in ${log.org}'s bundle (no checkpoint of that size, not the whole log): export ${log.org}'s whole log to check it` });
    } else if (!root.equals(cp.root)) {
      findings.push({ code: 'LOG_INCONSISTENT', partner: log.org, subject: `checkpoint ${cp.size}`, message: `${at} has another root than ${log.org}'s own log at that size: ${log.org}'s history was rewritten` });
    }
  }
}

/** The tree of every leaf up to the head, when the bundle holds all of them (an unfiltered export). */
function wholeTree(bundle: AuditBundle, headSize: bigint): MerkleTree | undefined {
  if (BigInt(bundle.statements.length) < headSize) return undefined;
  const byIndex = new Map(bundle.statements.map((s) => [BigInt(s.index), s.jws]));
  const tree = new MerkleTree();
  for (let i = 0n; i < headSize; i++) {
    const jws = byIndex.get(i);
    if (jws === undefined) return undefined;
    tree.append(leafHash(jws));
  }
  return tree;
}

function tryRead(note: string): Checkpoint | undefined {
  try {
    return readCheckpoint(note);
  } catch {
    return undefined;
  }
}
