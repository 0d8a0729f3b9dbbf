import { KeyRing } from '../../crypto/index.js';
import { AuditError, ReceiptError } from '../errors.js';
import { cosignatureTime, openCheckpointWithAny, parseVkey, SIG_TYPE, vkeyAs, type Checkpoint, type Vkey } from '../log/index.js';
import { leafHash, verifyConsistency, verifyInclusion } from '../merkle.js';
import type { SignedStatement } from '../sign.js';
import type { StatementKind } from '../statements.js';
import { verifyStatement } from '../verify-statement.js';
import type { Finding } from './findings.js';
import { bundleSchema, type AuditBundle, type BundleStatement } from './format.js';

export interface VerifyReport {
  readonly ok: boolean;
  readonly org?: string;
  readonly statements: number;
  readonly tasks: number;
  readonly headSize?: string;
  /** Partners whose cosignature on the head (or an earlier checkpoint) verified, with the largest size each cosigned. */
  readonly cosignedBy: Readonly<Record<string, string>>;
  readonly findings: readonly Finding[];
}

export interface VerifyOptions {
  /** Called every few hundred statements: for a progress bar. */
  readonly onProgress?: (done: number, total: number) => void;
}

interface Keys {
  readonly ring: KeyRing;
  readonly log: ReadonlyMap<string, readonly Vkey[]>;
  /** org → kid → [from, until] in milliseconds (undefined bounds are open). */
  readonly validity: ReadonlyMap<string, ReadonlyMap<string, readonly [number | undefined, number | undefined]>>;
}

type Verified = SignedStatement<StatementKind>;

/**
 * Checks an audit bundle offline (docs/audit.md §5), as a fixed sequence: format → keys → the
 * head → earlier checkpoints → each statement (inclusion, signature, key validity) → each
 * task's chain → witnessed checkpoints → alarms. Every problem is a finding; nothing throws
 * for a bad bundle.
 */
export function verifyBundle(input: unknown, opts: VerifyOptions = {}): VerifyReport {
  const parsed = bundleSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(root)';
    return { ok: false, statements: 0, tasks: 0, cosignedBy: {}, findings: [{ code: 'BUNDLE_MALFORMED', message: `${where}: ${issue?.message ?? 'invalid'}` }] };
  }
  const bundle = parsed.data;
  const findings: Finding[] = [];
  const keys = readKeys(bundle, findings);
  const cosignedBy: Record<string, bigint> = {};
  const head = checkHead(bundle, keys, findings, cosignedBy);
  if (head !== undefined) checkEarlier(bundle, keys, head, findings, cosignedBy);
  const verified = checkStatements(bundle, keys, head, findings, opts);
  const tasks = checkChains(bundle, verified, findings);
  checkRuns(bundle, verified, findings);
  checkWitnessed(bundle, keys, findings);
  for (const a of bundle.alarms) findings.push({ code: 'ALARM', partner: a.partner, message: `${a.at}: ${a.code}: ${a.message}` });
  return {
    ok: findings.length === 0,
    org: bundle.org,
    statements: bundle.statements.length,
    tasks,
    ...(head !== undefined ? { headSize: head.size.toString() } : {}),
    cosignedBy: Object.fromEntries(Object.entries(cosignedBy).map(([k, v]) => [k, v.toString()])),
    findings,
  };
}

function readKeys(bundle: AuditBundle, findings: Finding[]): Keys {
  const ring = new KeyRing();
  const log = new Map<string, Vkey[]>();
  const validity = new Map<string, Map<string, readonly [number | undefined, number | undefined]>>();
  for (const [org, k] of Object.entries(bundle.keys)) {
    try {
      ring.addJwks(org, { keys: k.receipt.map((r) => r.jwk) });
    } catch (err) {
      findings.push({ code: 'KEY_INVALID', partner: org, message: `receipt keys of ${org}: ${(err as Error).message}` });
    }
    validity.set(org, new Map(k.receipt.map((r) => [r.jwk.kid, [millis(r.valid_from), millis(r.valid_until)] as const])));
    const vkeys: Vkey[] = [];
    for (const l of k.log) {
      try {
        vkeys.push(parseVkey(l.vkey));
      } catch (err) {
        findings.push({ code: 'KEY_INVALID', partner: org, message: `log key of ${org}: ${(err as Error).message}` });
      }
    }
    log.set(org, vkeys);
  }
  if (bundle.keys[bundle.org] === undefined) findings.push({ code: 'KEY_INVALID', message: `the bundle holds no keys of its own organization ${bundle.org}` });
  return { ring, log, validity };
}

function checkHead(bundle: AuditBundle, keys: Keys, findings: Finding[], cosignedBy: Record<string, bigint>): Checkpoint | undefined {
  try {
    const head = openCheckpointWithAny(bundle.log.head, keys.log.get(bundle.org) ?? []);
    if (head.origin !== bundle.log.origin) throw new Error(`the head is of log ${head.origin}, the bundle says ${bundle.log.origin}`);
    checkCosignatures(bundle, keys, head, findings, cosignedBy);
    return head;
  } catch (err) {
    findings.push({ code: 'LOG_CHECKPOINT_INVALID', subject: 'head', message: `the head checkpoint: ${(err as Error).message}` });
    return undefined;
  }
}

function checkCosignatures(bundle: AuditBundle, keys: Keys, cp: Checkpoint, findings: Finding[], cosignedBy: Record<string, bigint>): void {
  for (const [org, vkeys] of keys.log) {
    if (org === bundle.org) continue;
    for (const v of vkeys) {
      try {
        if (cosignatureTime(cp, vkeyAs(v, SIG_TYPE.cosignatureV1)) !== undefined && (cosignedBy[org] ?? -1n) < cp.size) cosignedBy[org] = cp.size;
      } catch (err) {
        findings.push({ code: 'COSIGNATURE_INVALID', partner: org, subject: `checkpoint ${cp.size}`, message: (err as Error).message });
      }
    }
  }
}

function checkEarlier(bundle: AuditBundle, keys: Keys, head: Checkpoint, findings: Finding[], cosignedBy: Record<string, bigint>): void {
  for (const { note, consistency } of bundle.log.checkpoints) {
    let cp: Checkpoint;
    try {
      cp = openCheckpointWithAny(note, keys.log.get(bundle.org) ?? []);
    } catch (err) {
      findings.push({ code: 'LOG_CHECKPOINT_INVALID', message: `an earlier checkpoint: ${(err as Error).message}` });
      continue;
    }
    try {
      verifyConsistency(cp.size, head.size, consistency.map(fromB64), cp.root, head.root);
    } catch (err) {
      findings.push({
        code: 'LOG_INCONSISTENT',
        subject: `checkpoint ${cp.size}`,
        message: `the checkpoint at size ${cp.size} is not a prefix of the head at size ${head.size} (${(err as Error).message}): the log's history was rewritten after it was signed`,
      });
    }
    checkCosignatures(bundle, keys, cp, findings, cosignedBy);
  }
}

function checkStatements(bundle: AuditBundle, keys: Keys, head: Checkpoint | undefined, findings: Finding[], opts: VerifyOptions): Verified[] {
  const verified: Verified[] = [];
  const indexes = new Set<string>();
  const total = bundle.statements.length;
  bundle.statements.forEach((s, i) => {
    if (i % 500 === 0) opts.onProgress?.(i, total);
    const taskId = s.task_id;
    if (indexes.has(s.index)) findings.push({ code: 'LOG_INDEX_DUPLICATE', taskId, subject: `index ${s.index}`, message: `two statements claim log index ${s.index}` });
    indexes.add(s.index);
    if (head !== undefined) {
      try {
        verifyInclusion(leafHash(s.jws), BigInt(s.index), head.size, s.inclusion.map(fromB64), head.root);
      } catch (err) {
        findings.push({ code: 'LOG_PROOF_INVALID', taskId, subject: `index ${s.index}`, message: `the ${s.kind} statement at index ${s.index} is not in the log at the head: ${(err as Error).message}` });
      }
    }
    const statement = checkStatement(s, keys, findings);
    if (statement !== undefined) verified.push(statement);
  });
  opts.onProgress?.(total, total);
  return verified;
}

function checkStatement(s: BundleStatement, keys: Keys, findings: Finding[]): Verified | undefined {
  let statement: Verified;
  try {
    statement = verifyStatement(s.jws, keys.ring, { kind: s.kind, signerOrg: s.signer, taskId: s.task_id });
  } catch (err) {
    if (!(err instanceof ReceiptError) && !(err instanceof AuditError)) throw err;
    findings.push({ code: 'RECEIPT_INVALID', taskId: s.task_id, subject: (err as ReceiptError).code, message: `the ${s.kind} statement signed by ${s.signer}: ${(err as Error).message}` });
    return undefined;
  }
  const [from, until] = keys.validity.get(s.signer)?.get(statement.kid) ?? [undefined, undefined];
  const iat = statement.payload.iat * 1000;
  if ((from !== undefined && iat < from) || (until !== undefined && iat > until)) {
    findings.push({
      code: 'RECEIPT_KEY_NOT_VALID',
      taskId: s.task_id,
      subject: statement.kid,
      message: `the ${s.kind} statement was signed at ${iso(iat)} with ${s.signer}'s key ${statement.kid}, valid ${from === undefined ? 'from the start' : `from ${iso(from)}`} ${until === undefined ? 'on' : `until ${iso(until)}`}`,
    });
  }
  return statement;
}

/** Groups statements by task (id and the pair of organizations) and checks each chain. */
function checkChains(bundle: AuditBundle, verified: readonly Verified[], findings: Finding[]): number {
  const byTask = new Map<string, SignedStatement<'request' | 'result' | 'ack'>[]>();
  for (const v of verified) {
    if (v.payload.kind === 'run') continue;
    const key = `${v.payload.task_id}\n${[v.payload.from, v.payload.to].sort().join(' ')}`;
    const list = byTask.get(key) ?? [];
    list.push(v as SignedStatement<'request' | 'result' | 'ack'>);
    byTask.set(key, list);
  }
  const pendingAcks = new Set(bundle.tasks.filter((t) => t.ack === 'pending').map((t) => t.task_id));
  const refusedAcks = new Set(bundle.tasks.filter((t) => t.ack === 'failed').map((t) => t.task_id));
  const unfinished = new Set(bundle.tasks.filter((t) => !['completed', 'failed', 'denied', 'cancelled'].includes(t.status)).map((t) => t.task_id));
  // A request that never got an answer (the partner unreachable, the deadline passed) has no
  // result statement anywhere: the requester's record says so.
  const unanswered = new Set(
    bundle.tasks.filter((t) => t.role === 'requester' && (t.reason === 'partner_unavailable' || t.reason === 'deadline_exceeded')).map((t) => `${t.task_id}\n${t.peer}`),
  );
  const present = new Set(verified.map((v) => (v.payload.kind === 'run' ? '' : v.payload.task_id)));
  for (const t of bundle.tasks) {
    if (!present.has(t.task_id)) findings.push({ code: 'RECEIPT_MISSING', taskId: t.task_id, message: `the task with ${t.peer} is listed, but none of its statements is in the bundle` });
  }
  const listed = new Set(bundle.tasks.map((t) => `${t.task_id}\n${t.peer}`));
  for (const statements of byTask.values()) {
    const taskId = statements[0]!.payload.task_id;
    const { from, to } = statements[0]!.payload;
    if (!listed.has(`${taskId}\n${from === bundle.org ? to : from}`)) {
      findings.push({ code: 'TASK_UNLISTED', taskId, message: "the bundle holds statements of a task its task list does not name (the list was edited, or the export is broken)" });
    }
    const one = <K extends 'request' | 'result' | 'ack'>(kind: K): SignedStatement<K> | undefined => {
      const of = statements.filter((s) => s.payload.kind === kind);
      if (new Set(of.map((s) => s.digest)).size > 1) findings.push({ code: 'RECEIPT_CONFLICT', taskId, message: `the task has ${of.length} different ${kind} statements` });
      return of[0] as SignedStatement<K> | undefined;
    };
    const [request, result, ack] = [one('request'), one('result'), one('ack')];
    if (request === undefined) {
      findings.push({ code: 'RECEIPT_MISSING', taskId, message: 'the request statement of the task is missing (its result or ack is here)' });
      continue;
    }
    if (result === undefined) {
      const noAnswer = unanswered.has(`${taskId}\n${request.payload.to}`) && ack === undefined;
      if ((!unfinished.has(taskId) && !noAnswer) || ack !== undefined) findings.push({ code: 'RECEIPT_MISSING', taskId, message: 'the result statement of the task is missing' });
      continue;
    }
    if (result.payload.request_digest !== request.digest) {
      findings.push({ code: 'RECEIPT_CHAIN_BROKEN', taskId, message: `the result cites request ${result.payload.request_digest}, not this request (${request.digest})` });
    }
    const localDenial = result.payload.from === request.payload.from && result.payload.reason === 'outbound_denied';
    if (!localDenial && result.payload.from !== request.payload.to) {
      findings.push({ code: 'RECEIPT_CHAIN_BROKEN', taskId, message: `the result is signed by ${result.payload.from}, not by the responder ${request.payload.to}` });
    }
    if (localDenial) continue;
    if (ack === undefined) {
      findings.push({
        code: 'RECEIPT_UNACKNOWLEDGED',
        taskId,
        message: pendingAcks.has(taskId)
          ? 'the ack is signed but still waiting in the outbox for delivery'
          : refusedAcks.has(taskId)
            ? 'the partner refused the ack (the outbox says why)'
            : `${request.payload.from} never acknowledged the result`,
      });
      continue;
    }
    if (ack.payload.result_statement_digest !== result.digest) {
      findings.push({ code: 'RECEIPT_CHAIN_BROKEN', taskId, message: `the ack cites result ${ack.payload.result_statement_digest}, not this result (${result.digest})` });
    }
  }
  return byTask.size;
}

/**
 * Each run step that asked a partner cites the task it caused: in a bundle of the whole log,
 * that task's request statement must be there, addressed to that partner.
 */
function checkRuns(bundle: AuditBundle, verified: readonly Verified[], findings: Finding[]): void {
  const whole = Object.keys(bundle.selection).length === 0;
  if (!whole) return;
  const requests = new Set(verified.filter((v) => v.payload.kind === 'request').map((v) => `${v.payload.kind === 'request' ? v.payload.to : ''}\n${(v.payload as { task_id: string }).task_id}`));
  for (const v of verified) {
    const p = v.payload;
    if (p.kind !== 'run' || p.event !== 'step_started' || p.provider === 'local') continue;
    if (!requests.has(`${p.provider}\n${p.task_id}`)) {
      findings.push({ code: 'RUN_TASK_MISSING', taskId: p.task_id, subject: `run ${p.run_id}`, message: `run ${p.run_id}'s step ${p.step} asked ${p.provider} for task ${p.task_id}, whose request statement is not in the log` });
    }
  }
}

function checkWitnessed(bundle: AuditBundle, keys: Keys, findings: Finding[]): void {
  const own = (keys.log.get(bundle.org) ?? []).map((v) => vkeyAs(v, SIG_TYPE.cosignatureV1));
  for (const w of bundle.witnessed) {
    try {
      const cp = openCheckpointWithAny(w.note, keys.log.get(w.partner) ?? []);
      if (!own.some((v) => cosignatureTime(cp, v) !== undefined)) throw new Error(`it carries no cosignature of ${bundle.org}`);
    } catch (err) {
      findings.push({ code: 'WITNESSED_INVALID', partner: w.partner, message: `${w.partner}'s checkpoint witnessed by ${bundle.org}: ${(err as Error).message}` });
    }
  }
}

const fromB64 = (h: string): Buffer => Buffer.from(h, 'base64');
const millis = (t: string | null): number | undefined => (t === null ? undefined : Date.parse(t));
const iso = (ms: number): string => new Date(ms).toISOString();
