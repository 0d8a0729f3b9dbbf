import { Canonical, canonicalFormOf, canonicalize, inspectCompactJws, JcsUnsupportedError, sha256Digest, type KeyRing, type SigningKey } from '../crypto/index.js';
import { decodeUtf8Strict, jsonTextDepth, jsonValueDepth } from '../lib/index.js';
import { signToSend, type SignedStatement, type StatementFields, type StatementOf, type StatementRecord } from '../audit/index.js';
import { TaskError } from './errors.js';

/** Bounds on a JSON payload from outside: its size in bytes and how deep it may nest. */
export interface PayloadLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
}

/** A payload from outside: its value, and its canonical form for the digests that cover it. */
export interface ParsedPayload {
  readonly value: unknown;
  readonly canonical: Canonical;
}

/**
 * Parses a JSON payload from outside, refusing (with `request_invalid` or `payload_too_large`,
 * naming the limit) what is too large, not strict UTF-8, nested deeper than the limit (checked
 * on the text, before any recursive walk), not JSON, or without an RFC 8785 canonical form
 * (a lone surrogate, a number beyond float64): digests could not be made of it. The canonical
 * form is the text itself when a partner sent it canonical, as ours do: found without
 * building it.
 */
export function parseJsonPayload(bytes: Buffer, limits: PayloadLimits, what: 'input' | 'result'): ParsedPayload {
  if (bytes.length > limits.maxBytes) {
    throw new TaskError('payload_too_large', `the ${what} is ${bytes.length} bytes; the limit is ${limits.maxBytes} bytes (limits.maxPayloadBytes)`);
  }
  const text = decodeUtf8Strict(bytes);
  if (text === undefined) throw new TaskError('request_invalid', `the ${what} is not valid UTF-8; send JSON text encoded as UTF-8`);
  if (jsonTextDepth(text, limits.maxDepth) > limits.maxDepth) {
    throw new TaskError('request_invalid', `the ${what} nests deeper than ${limits.maxDepth} levels (limits.maxJsonDepth); flatten it`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    throw new TaskError('request_invalid', `the ${what} is not valid JSON: ${(err as Error).message.slice(0, 200)}`);
  }
  try {
    return { value, canonical: new Canonical(canonicalFormOf(text, value)) };
  } catch (err) {
    if (!(err instanceof JcsUnsupportedError)) throw err;
    throw new TaskError('request_invalid', `the ${what} has no canonical JSON form (RFC 8785): ${err.message}`, {}, { cause: err });
  }
}

/**
 * The canonical form of a caller's own input, made once for the digests that cover it (the
 * content digest idempotency compares, the request's input digest, the outbound decision's
 * record), refusing an input nested deeper than the limit (checked without recursion, before
 * anything walks it) or without a canonical JSON form.
 */
export function canonicalInputOf(input: unknown, maxDepth: number): Canonical {
  if (jsonValueDepth(input, maxDepth) > maxDepth) {
    throw new TaskError('request_invalid', `the input nests deeper than ${maxDepth} levels (limits.maxJsonDepth); flatten it`);
  }
  try {
    return new Canonical(canonicalize(input));
  } catch (err) {
    if (!(err instanceof JcsUnsupportedError)) throw err;
    throw new TaskError('request_invalid', `the input has no canonical JSON form (RFC 8785): ${err.message}`, {}, { cause: err });
  }
}

/**
 * A statement as the store keeps it. Given as a JWS, its kid comes from the header and its
 * digest is computed; given as it was just signed or verified (SignedStatement), both are
 * taken from there rather than made a second time.
 */
export function recordStatement(
  taskId: string,
  kind: StatementRecord['kind'],
  signerOrg: string,
  peerOrg: string,
  statement: string | Pick<SignedStatement<StatementRecord['kind']>, 'jws' | 'digest' | 'kid'>,
  storedAt: number,
): StatementRecord {
  if (typeof statement !== 'string') return { taskId, kind, signerOrg, peerOrg, kid: statement.kid, jws: statement.jws, digest: statement.digest, storedAt };
  const { header } = inspectCompactJws(statement);
  return {
    taskId,
    kind,
    signerOrg,
    peerOrg,
    kid: typeof header['kid'] === 'string' ? header['kid'] : '',
    jws: statement,
    digest: sha256Digest(statement),
    storedAt,
  };
}

/** What the key check before verifying needs: the partners' keys, and a way to ask a partner for its keys. */
export interface PartnerKeySource {
  readonly partnerKeys: () => KeyRing;
  /** Fetches `org`'s card and adds the receipt keys it publishes (a key rotation); rate-limited. */
  readonly learnPartnerKeys?: (org: string) => Promise<unknown>;
}

/**
 * When a partner's statement names a key we do not hold (it rotated its receipt key), asks the
 * partner for its keys once before the statement is verified; verification then decides.
 */
export async function knowSignerKey(deps: PartnerKeySource, org: string, jws: string): Promise<void> {
  if (deps.learnPartnerKeys === undefined) return;
  let kid: unknown;
  try {
    kid = inspectCompactJws(jws).header['kid'];
  } catch {
    return;
  }
  if (typeof kid === 'string' && deps.partnerKeys().lookup(org, kid) === undefined) await deps.learnPartnerKeys(org);
}

/** How a side signs what it sends a partner. */
export interface StatementSigner {
  readonly signer: SigningKey;
  /**
   * Whether `org` is known to verify batched statements (it said so on a call or an answer,
   * docs/protocol.md §5.9); only then are statements to it signed in batches.
   */
  readonly batchesFor?: (org: string) => boolean;
}

/**
 * Signs a statement for its recipient (`to`): in a batch with the others of this turn when the
 * recipient verifies batches, else alone (an ordinary JWS).
 */
export async function signFor<K extends 'request' | 'result' | 'ack'>(deps: StatementSigner, kind: K, fields: StatementFields<StatementOf[K]>): Promise<SignedStatement<K>> {
  const to = (fields as { readonly to: string }).to;
  return await signToSend(deps.signer, kind, fields, deps.batchesFor?.(to) === true ? to : undefined);
}
