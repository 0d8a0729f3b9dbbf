import type { KeyRing } from '../crypto/index.js';
import { checkInputDigest } from './disclosure.js';
import { ReceiptContentMismatchError, ReceiptExpiredError, ReceiptNotYetValidError } from './errors.js';
import type { SignedStatement } from './sign.js';
import { verifyStatement } from './verify-statement.js';

/** What a responder knows of a request independently of its statement. */
export interface IncomingRequest {
  /** The organization the caller's certificate proves, and ours. */
  readonly requester: string;
  readonly responder: string;
  readonly taskId: string;
  readonly capability: string;
  readonly purpose: string;
  readonly salt: string;
  /** The input as parsed from the bytes that arrived, or its crypto Canonical form: only its digest is checked. */
  readonly input: unknown;
  /** Our clock, in seconds since the epoch, and how far the requester's may differ. */
  readonly nowSeconds: number;
  readonly skewSeconds: number;
}

/**
 * A responder's check of an incoming request statement, as a fixed sequence: the statement
 * itself (signed by the requester's key, from it, to us, about this task) → it asks for the
 * capability and purpose the request carries → its input digest is the salted digest of the
 * input that arrived → it is within its validity window, allowing for clock skew. Throws the
 * first ReceiptError met.
 */
export function verifyRequest(jws: string, ring: KeyRing, req: IncomingRequest): SignedStatement<'request'> {
  const statement = verifyStatement(jws, ring, { kind: 'request', signerOrg: req.requester, recipientOrg: req.responder, taskId: req.taskId });
  const { payload } = statement;
  for (const field of ['capability', 'purpose'] as const) {
    if (payload[field] !== req[field]) {
      throw new ReceiptContentMismatchError(`the request statement's ${field} ${JSON.stringify(payload[field])} is not the request's ${JSON.stringify(req[field])}`);
    }
  }
  checkInputDigest(req.salt, req.input, payload);
  if (payload.exp + req.skewSeconds < req.nowSeconds) {
    throw new ReceiptExpiredError(`the request statement expired at ${new Date(payload.exp * 1000).toISOString()}; sign a new one`);
  }
  if (payload.iat - req.skewSeconds > req.nowSeconds) {
    throw new ReceiptNotYetValidError(`the request statement is issued at ${new Date(payload.iat * 1000).toISOString()}, in the future; check the requester's clock`);
  }
  return statement;
}
