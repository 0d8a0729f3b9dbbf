import { verifyStatement, verifyTriple, type SignedStatement } from '../audit/index.js';
import type { KeyRing } from '../crypto/index.js';
import type { StatementLog } from '../audit/index.js';
import type { AckOutbox, OutboxAck, TaskRecord, TaskStore } from './ports.js';
import type { StatementRecord } from '../audit/index.js';

export type ReceiptState =
  /** request, result and ack, all verified and chained. */
  | 'verified'
  /** our outbound policy denied the task: our request and our own denial, verified. */
  | 'verified_local_denial'
  /** what is there verifies, but the ack (or result) has not arrived yet. */
  | 'incomplete'
  /** a statement fails verification or the chain is broken. */
  | 'invalid';

export interface ReceiptVerification {
  readonly state: ReceiptState;
  readonly problems: readonly string[];
}

export const ACK_STATES = ['delivered', 'pending', 'failed', 'missing', 'none'] as const;
/**
 * Where a task's ack stands. A requester's: `delivered` (the partner took it), `pending` (signed
 * and stored, the outbox still retries it), `failed` (the partner refused it for good),
 * `missing` (none signed: the task is not final), `none` (our outbound policy refused the
 * request: nothing to acknowledge). A responder's: `delivered` (the requester's ack arrived) or
 * `missing` (it has not: the result is unacknowledged).
 */
export type AckState = (typeof ACK_STATES)[number];

export interface AckStatus {
  readonly state: AckState;
  /** Of an ack in our outbox: the attempts made, when the next is due (pending), the last error, when it settled. */
  readonly attempts?: number;
  readonly nextAt?: number;
  readonly lastError?: string;
  readonly deliveredAt?: number;
  readonly failedAt?: number;
}

/** A task's statements as held here, each verified against its signer's keys, and where its ack stands. */
export interface TaskReceipts {
  readonly task: TaskRecord;
  readonly statements: readonly StatementRecord[];
  readonly verification: ReceiptVerification;
  readonly ack: AckStatus;
}

/**
 * Where a task's ack stands (see {@link AckState}): a requester's from its outbox row, which
 * enters with the ack statement; a responder's from the ack statements it holds.
 */
export function ackStatusOf(task: TaskRecord, statements: readonly StatementRecord[], outbox: OutboxAck | undefined): AckStatus {
  if (task.role === 'responder') return { state: statements.some((s) => s.kind === 'ack') ? 'delivered' : 'missing' };
  if (outbox === undefined) return { state: task.reason === 'outbound_denied' ? 'none' : 'missing' };
  return {
    state: outbox.state,
    attempts: outbox.attempts,
    ...(outbox.state === 'pending' ? { nextAt: outbox.nextAt } : {}),
    ...(outbox.lastError !== undefined ? { lastError: outbox.lastError } : {}),
    ...(outbox.deliveredAt !== undefined ? { deliveredAt: outbox.deliveredAt } : {}),
    ...(outbox.failedAt !== undefined ? { failedAt: outbox.failedAt } : {}),
  };
}

/**
 * Who signs a task's statement of `kind`, seen from `self`: the requester its request and ack,
 * the responder its result, except a result our own outbound policy denied (we signed it).
 */
export function signerOf(self: string, task: TaskRecord, kind: 'request' | 'result' | 'ack'): string {
  const requester = task.role === 'requester' ? self : task.peerOrg;
  if (kind !== 'result') return requester;
  if (task.role === 'requester') return task.reason === 'outbound_denied' ? self : task.peerOrg;
  return self;
}

/**
 * The statements of `task` among those stored under its id and partner. Task ids are the
 * requester's to choose, so one id can also name a task in the other direction with the same
 * partner; its statements are told apart by who signed them.
 */
export function statementsOfTask(self: string, task: TaskRecord, statements: readonly StatementRecord[]): StatementRecord[] {
  return statements.filter((s) => s.kind === 'run' || s.signerOrg === signerOf(self, task, s.kind));
}

/**
 * Verifies the statements one gateway holds for one task against the signers' keys: the
 * full triple when it is there, each statement on its own when it is not.
 */
export function verifyTaskReceipts(
  self: string,
  task: TaskRecord,
  statements: readonly StatementRecord[],
  ring: KeyRing,
): ReceiptVerification {
  const requester = task.role === 'requester' ? self : task.peerOrg;
  const responder = task.role === 'requester' ? task.peerOrg : self;
  const byKind = (k: StatementRecord['kind']) => statements.find((s) => s.kind === k);
  const request = byKind('request');
  const result = byKind('result');
  const ack = byKind('ack');
  const problems: string[] = [];

  if (request !== undefined && result !== undefined && ack !== undefined) {
    try {
      verifyTriple({ request: request.jws, result: result.jws, ack: ack.jws }, ring, { requester, responder });
      return { state: 'verified', problems };
    } catch (err) {
      return { state: 'invalid', problems: [(err as Error).message] };
    }
  }
  const check = <K extends StatementRecord['kind']>(s: StatementRecord | undefined, kind: K, signer: string): SignedStatement<K> | undefined => {
    if (s === undefined) return undefined;
    try {
      return verifyStatement(s.jws, ring, { kind, signerOrg: signer, taskId: task.taskId });
    } catch (err) {
      problems.push(`${kind}: ${(err as Error).message}`);
      return undefined;
    }
  };
  const verifiedRequest = check(request, 'request', requester);
  const localDenial = task.role === 'requester' && task.reason === 'outbound_denied';
  const verifiedResult = check(result, 'result', localDenial ? self : responder);
  check(ack, 'ack', requester);
  if (problems.length > 0) return { state: 'invalid', problems };
  if (localDenial && verifiedRequest !== undefined && verifiedResult !== undefined) {
    if (verifiedResult.payload.request_digest !== verifiedRequest.digest) return { state: 'invalid', problems: ['the denial does not cite this request statement'] };
    return { state: 'verified_local_denial', problems };
  }
  if (request === undefined) problems.push('request statement missing');
  if (result === undefined) problems.push('result statement missing');
  if (ack === undefined) {
    problems.push(task.role === 'responder' && result !== undefined ? 'unacknowledged: the requester has not acknowledged the result (no ack statement)' : 'ack statement missing');
  }
  return { state: 'incomplete', problems };
}

/** A task's statements as `store` holds them for `self`, each task verified against the signers' keys, with where its ack stands. */
export async function readTaskReceipts(
  self: string,
  store: TaskStore & StatementLog & Pick<AckOutbox, 'getAck'>,
  ring: KeyRing,
  taskId: string,
  peerOrg?: string,
): Promise<TaskReceipts[]> {
  const tasks = await store.listTasks({ taskId, ...(peerOrg !== undefined ? { peerOrg } : {}) });
  return Promise.all(
    tasks.map(async (task) => {
      const statements = statementsOfTask(self, task, await store.listStatements({ taskId, peerOrg: task.peerOrg }));
      const outbox = task.role === 'requester' ? await store.getAck(task.peerOrg, taskId) : undefined;
      return { task, statements, verification: verifyTaskReceipts(self, task, statements, ring), ack: ackStatusOf(task, statements, outbox) };
    }),
  );
}
