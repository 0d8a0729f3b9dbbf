import { CryptoError, JwsUnknownKeyError, sha256Digest, verifyCompactJws, type KeyRing, type VerifiedJws } from '../crypto/index.js';
import {
  ReceiptBadSignatureError,
  ReceiptKeyNotValidError,
  ReceiptMalformedError,
  ReceiptTaskMismatchError,
  ReceiptUnknownKeyError,
  ReceiptWrongKindError,
  ReceiptWrongRecipientError,
  ReceiptWrongSignerError,
  type ReceiptError,
} from './errors.js';
import { checkBatched } from './batch.js';
import type { SignedStatement } from './sign.js';
import { SCHEMAS, STATEMENT_TYP, firstIssue, type StatementKind, type StatementOf } from './statements.js';

export interface StatementExpectation<K extends StatementKind> {
  readonly kind: K;
  /** The organization whose key must have signed it, and who must be its `from`. */
  readonly signerOrg: string;
  /** If given, the statement's `to`. */
  readonly recipientOrg?: string;
  /** If given, the statement's `task_id`. */
  readonly taskId?: string;
}

const KIND_OF_TYP: ReadonlyMap<string, StatementKind> = new Map(
  Object.entries(STATEMENT_TYP).map(([kind, typ]) => [typ, kind as StatementKind]),
);

/**
 * Verifies one statement as a fixed sequence of checks, each throwing its own ReceiptError:
 * signature by one of `signerOrg`'s keys → typ and kind → shape → `from` is the signer →
 * `to` (if expected) → task id (if expected).
 *
 * @example verifyStatement(jws, ring, { kind: 'request', signerOrg: peer.org, taskId })
 */
export function verifyStatement<K extends StatementKind>(
  jws: string,
  ring: KeyRing,
  expect: StatementExpectation<K>,
): SignedStatement<K> {
  const verified = checkSignature(jws, ring, expect);
  checkKind(verified, expect.kind);
  const statement = checkShape(verified.payload, expect.kind);
  checkParties(statement, expect);
  checkTask(statement, expect);
  checkKeyValidity(ring, expect, verified.header.kid, statement.iat);
  return { jws, digest: sha256Digest(jws), payload: statement, kid: verified.header.kid };
}

function checkSignature(jws: string, ring: KeyRing, expect: StatementExpectation<StatementKind>): VerifiedJws {
  try {
    return verifyCompactJws(jws, ring, expect.signerOrg, checkBatched);
  } catch (err) {
    throw err instanceof CryptoError ? receiptErrorOf(err, ring, expect) : err;
  }
}

function receiptErrorOf(err: CryptoError, ring: KeyRing, expect: StatementExpectation<StatementKind>): ReceiptError | CryptoError {
  const what = `${expect.kind} statement`;
  switch (err.code) {
    case 'JWS_MALFORMED':
    case 'JWS_NOT_CANONICAL':
      return new ReceiptMalformedError(`${what}: ${err.message}`, { cause: err });
    case 'JWS_UNKNOWN_KEY': {
      const kid = err instanceof JwsUnknownKeyError ? err.kid : '';
      const owners = ring.orgsWithKid(kid);
      return owners.length > 0
        ? new ReceiptWrongSignerError(`${what}: signed with ${owners.join(', ')}'s key ${kid}, expected ${expect.signerOrg}'s`, { cause: err })
        : new ReceiptUnknownKeyError(`${what}: ${err.message}`, { cause: err });
    }
    case 'JWS_ALG_NOT_ALLOWED':
    case 'JWS_ALG_MISMATCH':
    case 'JWS_BAD_SIGNATURE':
      return new ReceiptBadSignatureError(`${what}: ${err.message}`, { cause: err });
    default:
      // KEY_INVALID and the like are not verdicts on the statement: let them surface as they are.
      return err;
  }
}

function checkKind(verified: VerifiedJws, kind: StatementKind): void {
  const typ = verified.header.typ;
  const typKind = typ === undefined ? undefined : KIND_OF_TYP.get(typ);
  if (typKind === undefined) {
    throw new ReceiptMalformedError(`${kind} statement: typ ${JSON.stringify(typ) ?? 'undefined'} is not a receipt typ (expected ${STATEMENT_TYP[kind]})`);
  }
  const payloadKind = verified.payload['kind'];
  if (typKind !== kind || payloadKind !== kind) {
    throw new ReceiptWrongKindError(`expected a ${kind} statement, got typ ${typ} and kind ${JSON.stringify(payloadKind) ?? 'undefined'}`);
  }
}

function checkShape<K extends StatementKind>(payload: Record<string, unknown>, kind: K): StatementOf[K] {
  const parsed = SCHEMAS[kind].safeParse(payload);
  if (!parsed.success) throw new ReceiptMalformedError(`${kind} statement: ${firstIssue(parsed.error)}`);
  return parsed.data as StatementOf[K];
}

function checkParties(statement: StatementOf[StatementKind], expect: StatementExpectation<StatementKind>): void {
  if (statement.from !== expect.signerOrg) {
    throw new ReceiptWrongSignerError(`${expect.kind} statement says it is from ${statement.from} but is signed by ${expect.signerOrg}`);
  }
  const to = 'to' in statement ? statement.to : undefined;
  if (expect.recipientOrg !== undefined && to !== expect.recipientOrg) {
    throw new ReceiptWrongRecipientError(`${expect.kind} statement is addressed to ${to ?? 'nobody'}, not ${expect.recipientOrg}`);
  }
}

/**
 * A key may carry a validity period (JWK `nbf` and `exp`, NumericDate seconds: a retired key's
 * `exp` is the end of its rotation's overlap); a statement must say it was signed within it.
 */
function checkKeyValidity(ring: KeyRing, expect: StatementExpectation<StatementKind>, kid: string, iat: number): void {
  const jwk = ring.lookup(expect.signerOrg, kid)?.jwk as { nbf?: unknown; exp?: unknown } | undefined;
  const nbf = typeof jwk?.nbf === 'number' ? jwk.nbf : undefined;
  const exp = typeof jwk?.exp === 'number' ? jwk.exp : undefined;
  if ((nbf !== undefined && iat < nbf) || (exp !== undefined && iat > exp)) {
    const when = (t: number) => new Date(t * 1000).toISOString();
    throw new ReceiptKeyNotValidError(
      `${expect.kind} statement signed at ${when(iat)} with ${expect.signerOrg}'s key ${kid}, valid ${nbf !== undefined ? `from ${when(nbf)} ` : ''}${exp !== undefined ? `until ${when(exp)}` : 'on'}`,
    );
  }
}

function checkTask(statement: StatementOf[StatementKind], expect: StatementExpectation<StatementKind>): void {
  // A run statement is about its run; its task_id (a step's) names the task it caused.
  const id = statement.kind === 'run' ? statement.run_id : statement.task_id;
  if (expect.taskId !== undefined && id !== expect.taskId) {
    throw new ReceiptTaskMismatchError(`${expect.kind} statement is for ${statement.kind === 'run' ? 'run' : 'task'} ${id}, not ${expect.taskId}`);
  }
}
