import { sha256Digest, verifyCompactJws, type KeyRing, type SigningKey } from '../crypto/index.js';
import { ReceiptError } from './errors.js';
import {
  SCHEMAS,
  TYP,
  type AckStatement,
  type RequestStatement,
  type ResultStatement,
  type StatementKind,
  type StatementOf,
} from './statements.js';

export interface SignedStatement<K extends StatementKind> {
  readonly jws: string;
  /** `sha256:` over the compact JWS text: what the next statement in the chain cites. */
  readonly digest: string;
  readonly payload: StatementOf[K];
}

type Fields<T> = Omit<T, 'v' | 'kind' | 'iat'> & { iat?: number };

function signKind<K extends StatementKind>(key: SigningKey, kind: K, fields: Fields<StatementOf[K]>): SignedStatement<K> {
  const payload = { v: 1, kind, iat: Math.floor(Date.now() / 1000), ...fields } as StatementOf[K];
  // Validate what we sign with the same schema partners verify with: a malformed statement
  // must fail here, not at the partner.
  SCHEMAS[kind].parse(payload);
  const jws = key.signCompact(payload, TYP[kind]);
  return { jws, digest: sha256Digest(jws), payload };
}

export const signRequest = (key: SigningKey, fields: Fields<RequestStatement>) => signKind(key, 'request', fields);
export const signResult = (key: SigningKey, fields: Fields<ResultStatement>) => signKind(key, 'result', fields);
export const signAck = (key: SigningKey, fields: Fields<AckStatement>) => signKind(key, 'ack', fields);

/**
 * Verifies one statement: signature by `signerOrg`'s keys, then shape, kind, signer and task.
 */
export function verifyStatement<K extends StatementKind>(
  jws: string,
  ring: KeyRing,
  expect: { kind: K; signerOrg: string; taskId?: string },
): SignedStatement<K> {
  let payload: unknown;
  try {
    payload = verifyCompactJws(jws, ring, expect.signerOrg).payload;
  } catch (err) {
    throw new ReceiptError('RECEIPT_BAD_SIGNATURE', `${expect.kind} statement: ${(err as Error).message}`, { cause: err });
  }
  const kind = (payload as { kind?: unknown } | null)?.kind;
  if (kind !== expect.kind) {
    throw new ReceiptError('RECEIPT_WRONG_KIND', `expected a ${expect.kind} statement, got ${JSON.stringify(kind)}`);
  }
  const parsed = SCHEMAS[expect.kind].safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ReceiptError('RECEIPT_MALFORMED', `${expect.kind} statement: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  const statement = parsed.data as StatementOf[K];
  if (statement.from !== expect.signerOrg) {
    throw new ReceiptError('RECEIPT_WRONG_SIGNER', `${expect.kind} statement says it is from ${statement.from} but is signed by ${expect.signerOrg}`);
  }
  if (expect.taskId !== undefined && statement.task_id !== expect.taskId) {
    throw new ReceiptError('RECEIPT_TASK_MISMATCH', `${expect.kind} statement is for task ${statement.task_id}, not ${expect.taskId}`);
  }
  return { jws, digest: sha256Digest(jws), payload: statement };
}

/**
 * Verifies a full receipt triple: each signature by the right party, one task, consistent
 * parties, and the chain (result cites the request's digest, ack cites the result's).
 */
export function verifyTriple(
  triple: { request: string; result: string; ack: string },
  ring: KeyRing,
  parties: { requester: string; responder: string },
): { request: SignedStatement<'request'>; result: SignedStatement<'result'>; ack: SignedStatement<'ack'> } {
  const request = verifyStatement(triple.request, ring, { kind: 'request', signerOrg: parties.requester });
  const taskId = request.payload.task_id;
  const result = verifyStatement(triple.result, ring, { kind: 'result', signerOrg: parties.responder, taskId });
  const ack = verifyStatement(triple.ack, ring, { kind: 'ack', signerOrg: parties.requester, taskId });
  if (request.payload.to !== parties.responder || result.payload.to !== parties.requester || ack.payload.to !== parties.responder) {
    throw new ReceiptError('RECEIPT_CHAIN_BROKEN', 'the statements do not name the same two parties');
  }
  if (result.payload.request_digest !== request.digest) {
    throw new ReceiptError('RECEIPT_CHAIN_BROKEN', 'the result statement does not cite this request statement');
  }
  if (ack.payload.result_statement_digest !== result.digest) {
    throw new ReceiptError('RECEIPT_CHAIN_BROKEN', 'the ack statement does not cite this result statement');
  }
  return { request, result, ack };
}
