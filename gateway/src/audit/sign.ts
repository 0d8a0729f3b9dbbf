import { CryptoError, sha256Digest, type SigningKey } from '../crypto/index.js';
import { batchSignerOf } from './batch.js';
import { ReceiptMalformedError } from './errors.js';
import {
  SCHEMAS,
  STATEMENT_TYP,
  firstIssue,
  type AckStatement,
  type RequestStatement,
  type ResultStatement,
  type RunStatement,
  type StatementKind,
  type StatementOf,
} from './statements.js';

/** A statement as signed or verified: the compact JWS, its digest, and its payload. */
export interface SignedStatement<K extends StatementKind> {
  readonly jws: string;
  /** `sha256:` over the compact JWS text: what the next statement in the chain cites. */
  readonly digest: string;
  readonly payload: StatementOf[K];
  /** The kid of the key that signed it. */
  readonly kid: string;
}

/** What the caller provides: `v` and `kind` are fixed, `iat` defaults to now. */
export type StatementFields<T> = Omit<T, 'v' | 'kind' | 'iat'> & { readonly iat?: number };

/**
 * Builds, validates and signs one statement alone (the single form). The payload is checked
 * with the schema partners verify with, so a malformed statement fails here
 * (RECEIPT_MALFORMED), not at the partner.
 */
function signStatement<K extends StatementKind>(key: SigningKey, kind: K, fields: StatementFields<StatementOf[K]>): SignedStatement<K> {
  const payload = statementPayload(kind, fields);
  const jws = key.signInput(signingInputOf(key, kind, payload));
  return { jws, digest: sha256Digest(jws), payload, kid: key.kid };
}

/**
 * Signs one statement a partner will receive. With `batchFor` (the recipient), in a batch with
 * the others this key signs for that recipient in the same event-loop turn (§5.9; alone if it
 * is the only one): only for a recipient known to verify batched statements. Without it, alone.
 */
export async function signToSend<K extends Exclude<StatementKind, 'run'>>(
  key: SigningKey,
  kind: K,
  fields: StatementFields<StatementOf[K]>,
  batchFor?: string,
): Promise<SignedStatement<K>> {
  if (batchFor === undefined) return signStatement(key, kind, fields);
  const payload = statementPayload(kind, fields);
  const jws = await batchSignerOf(key).sign(signingInputOf(key, kind, payload), batchFor);
  return { jws, digest: sha256Digest(jws), payload, kid: key.kid };
}

function statementPayload<K extends StatementKind>(kind: K, fields: StatementFields<StatementOf[K]>): StatementOf[K] {
  // An optional field spread in as undefined means "absent", as it would in JSON.
  const all = { ...fields, v: 1, kind, iat: fields.iat ?? Math.floor(Date.now() / 1000) };
  const draft = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined));
  const parsed = SCHEMAS[kind].safeParse(draft);
  if (!parsed.success) throw new ReceiptMalformedError(`cannot sign this ${kind} statement: ${firstIssue(parsed.error)}`);
  return parsed.data as StatementOf[K];
}

function signingInputOf(key: SigningKey, kind: StatementKind, payload: object): string {
  try {
    return key.signingInput(payload, STATEMENT_TYP[kind]);
  } catch (err) {
    if (!(err instanceof CryptoError)) throw err;
    throw new ReceiptMalformedError(`cannot sign this ${kind} statement: ${err.message}`, { cause: err });
  }
}

/** The requester's request statement (typ entente-request+jws). */
export function signRequest(key: SigningKey, fields: StatementFields<RequestStatement>): SignedStatement<'request'> {
  return signStatement(key, 'request', fields);
}

/** The responder's result statement (typ entente-result+jws); result_digest only when completed. */
export function signResult(key: SigningKey, fields: StatementFields<ResultStatement>): SignedStatement<'result'> {
  return signStatement(key, 'result', fields);
}

/** The requester's ack of the result statement it received (typ entente-ack+jws). */
export function signAck(key: SigningKey, fields: StatementFields<AckStatement>): SignedStatement<'ack'> {
  return signStatement(key, 'ack', fields);
}

/** A workflow run's event in the orchestrator's own log (typ entente-run+jws). */
export function signRun(key: SigningKey, fields: StatementFields<RunStatement>): SignedStatement<'run'> {
  return signStatement(key, 'run', fields as StatementFields<StatementOf['run']>);
}
