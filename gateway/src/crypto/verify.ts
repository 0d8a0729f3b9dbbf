import { ALLOWED_ALGS, SIGNATURE_BYTES, verifyWith, type JwsAlg } from './algorithms.js';
import { decodeCanonicalBase64url } from './base64url.js';
import {
  JcsUnsupportedError,
  JwsAlgMismatchError,
  JwsAlgNotAllowedError,
  JwsBadSignatureError,
  JwsMalformedError,
  JwsNotCanonicalError,
  JwsUnknownKeyError,
} from './errors.js';
import { isCanonicalJson } from './jcs.js';
import type { KeyRing, RingKey } from './key-ring.js';

export interface JwsHeader {
  readonly alg: JwsAlg;
  readonly kid: string;
  readonly typ?: string;
}

export interface VerifiedJws {
  readonly header: JwsHeader;
  /** The payload as parsed JSON: always a plain object. */
  readonly payload: Record<string, unknown>;
  /** The exact signed payload bytes (its canonical UTF-8 JSON). */
  readonly payloadBytes: Buffer;
}

interface Parts {
  readonly header: string;
  readonly payload: string;
  /** The single form's signature. */
  readonly signature?: string;
  /** The batched form's proof and batch JWS (see BatchedParts). */
  readonly batched?: BatchedParts;
}

/**
 * A statement in the batched form `header.payload.proof.bh.bp.bs`: its signature is the batch
 * JWS `bh.bp.bs` over a Merkle root of many statements, and `proof` places this statement's
 * signing input in that tree. What a batch is and how its proof checks out is the audit
 * layer's rule (docs/protocol.md §5.9); this module only routes the parts to it.
 */
export interface BatchedParts {
  /** `header.payload` of this statement: the bytes its Merkle leaf hashes. */
  readonly signingInput: string;
  readonly proof: string;
  /** The batch's own compact JWS: an ordinary JWS a standard JOSE library verifies. */
  readonly batchJws: string;
}

/**
 * Checks that the batch vouches for a batched statement, signed by `entry` (the key the
 * statement's own header names); throws a CryptoError (JWS_BAD_SIGNATURE, JWS_MALFORMED)
 * if not.
 */
export type BatchCheck = (parts: BatchedParts, ring: KeyRing, entry: RingKey, org: string, kid: string) => void;

/**
 * Verifies a compact JWS as signed by one of `expectedOrg`'s keys, as a fixed sequence of
 * small checks, each throwing its own CryptoError: shape → header → key of that org →
 * algorithm of that key → signature → canonical JSON object payload. Nothing in the JWS
 * chooses the key's organization or its algorithm, and the payload is parsed only once
 * the signature holds. With `batch`, a statement in the batched form (six parts) is accepted
 * too, its signature step being `batch`.
 */
export function verifyCompactJws(jws: string, ring: KeyRing, expectedOrg: string, batch?: BatchCheck): VerifiedJws {
  const parts = checkShape(jws, batch !== undefined);
  const header = checkHeader(parts.header);
  const entry = checkKey(ring, expectedOrg, header.kid);
  checkAlg(entry, header);
  if (parts.batched !== undefined) batch!(parts.batched, ring, entry, expectedOrg, header.kid);
  else checkSignature(parts, entry, expectedOrg, header.kid);
  const { payload, payloadBytes } = checkPayload(parts.payload);
  return { header: { alg: entry.alg, kid: header.kid, ...(header.typ !== undefined ? { typ: header.typ } : {}) }, payload, payloadBytes };
}

function checkShape(jws: string, batchedAllowed: boolean): Parts {
  const parts = jws.split('.');
  if (parts.length === 3) {
    const [header, payload, signature] = parts as [string, string, string];
    return { header, payload, signature };
  }
  if (parts.length === 6 && batchedAllowed) {
    const [header, payload, proof, bh, bp, bs] = parts as [string, string, string, string, string, string];
    return { header, payload, batched: { signingInput: `${header}.${payload}`, proof, batchJws: `${bh}.${bp}.${bs}` } };
  }
  throw new JwsMalformedError(`not a compact JWS: expected 3 dot-separated parts${batchedAllowed ? ' (6 for a batched statement)' : ''}, got ${parts.length}`);
}

function checkHeader(encoded: string): { alg: string; kid: string; typ?: string } {
  const bytes = decodeCanonicalBase64url(encoded);
  if (bytes === undefined || bytes.length === 0) throw new JwsMalformedError('the protected header is not canonical unpadded base64url');
  let header: unknown;
  try {
    header = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new JwsMalformedError('the protected header is not JSON', { cause: err });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new JwsMalformedError('the protected header is not a JSON object');
  }
  const { alg, kid, typ, crit } = header as Record<string, unknown>;
  if (typeof alg !== 'string' || !ALLOWED_ALGS.has(alg)) {
    throw new JwsAlgNotAllowedError(`alg ${JSON.stringify(alg) ?? 'undefined'} is not allowed; receipts use ES256 or EdDSA`);
  }
  // A crit parameter we do not understand must fail verification (RFC 7515 §4.1.11); we understand none.
  if (crit !== undefined) throw new JwsMalformedError('the protected header has crit parameters; receipts use none');
  if (typeof kid !== 'string' || kid === '') throw new JwsMalformedError('the protected header has no kid');
  if (typ !== undefined && typeof typ !== 'string') throw new JwsMalformedError('the protected header typ is not a string');
  return typ === undefined ? { alg, kid } : { alg, kid, typ };
}

function checkKey(ring: KeyRing, org: string, kid: string): RingKey {
  const entry = ring.lookup(org, kid);
  if (entry === undefined) {
    throw new JwsUnknownKeyError(kid, `kid ${kid} is not one of ${org}'s receipt keys; import ${org}'s current JWKS if it rotated keys`);
  }
  return entry;
}

function checkAlg(entry: RingKey, header: { alg: string; kid: string }): void {
  if (entry.alg !== header.alg) {
    throw new JwsAlgMismatchError(`kid ${header.kid} is an ${entry.alg} key, but the header says ${header.alg}`);
  }
}

function checkSignature(parts: Parts, entry: RingKey, org: string, kid: string): void {
  const signature = decodeCanonicalBase64url(parts.signature ?? '');
  if (signature === undefined || signature.length !== SIGNATURE_BYTES) {
    throw new JwsBadSignatureError(`the signature is not ${SIGNATURE_BYTES} bytes of canonical base64url`);
  }
  const input = Buffer.from(`${parts.header}.${parts.payload}`, 'ascii');
  if (!verifyWith(entry.alg, entry.key, input, signature)) {
    throw new JwsBadSignatureError(`the signature does not verify with ${org}'s key ${kid}`);
  }
}

function checkPayload(encoded: string): { payload: Record<string, unknown>; payloadBytes: Buffer } {
  const payloadBytes = decodeCanonicalBase64url(encoded);
  if (payloadBytes === undefined) throw new JwsMalformedError('the payload is not canonical unpadded base64url');
  const text = payloadBytes.toString('utf8');
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (err) {
    throw new JwsNotCanonicalError('the payload is not JSON', { cause: err });
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new JwsNotCanonicalError('the payload is not a JSON object');
  }
  let canonical: boolean;
  try {
    canonical = isCanonicalJson(text, payload);
  } catch (err) {
    if (!(err instanceof JcsUnsupportedError)) throw err;
    throw new JwsNotCanonicalError(`the payload has no canonical form: ${(err as Error).message}`, { cause: err });
  }
  // Bytes too, not only the decoded text: invalid UTF-8 decodes to U+FFFD and would compare equal.
  if (!canonical || !payloadBytes.equals(Buffer.from(text, 'utf8'))) {
    throw new JwsNotCanonicalError('the payload is not in RFC 8785 canonical form (member order, spacing, number or string escapes)');
  }
  return { payload: payload as Record<string, unknown>, payloadBytes };
}

/**
 * Reads a compact JWS without verifying it: for showing a statement that was verified when it
 * was stored, or naming its key. Never a substitute for verifyCompactJws.
 */
export function inspectCompactJws(jws: string): { readonly header: Record<string, unknown>; readonly payloadText: string } {
  const { header, payload } = checkShape(jws, true);
  const decode = (part: string, what: string): string => {
    const bytes = decodeCanonicalBase64url(part);
    if (bytes === undefined) throw new JwsMalformedError(`the ${what} is not canonical unpadded base64url`);
    return bytes.toString('utf8');
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(decode(header, 'protected header'));
  } catch (err) {
    if (err instanceof JwsMalformedError) throw err;
    throw new JwsMalformedError('the protected header is not JSON', { cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new JwsMalformedError('the protected header is not a JSON object');
  return { header: parsed as Record<string, unknown>, payloadText: decode(payload, 'payload') };
}
