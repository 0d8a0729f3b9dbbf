import type { KeyRing } from '../crypto/index.js';
import { checkResultDigest } from './disclosure.js';
import { ReceiptChainBrokenError, ReceiptContentMismatchError } from './errors.js';
import type { SignedStatement } from './sign.js';
import { verifyStatement } from './verify-statement.js';

/** What a requester knows of a task when the responder's result statement arrives. */
export interface ReceivedResult {
  readonly requester: string;
  readonly responder: string;
  readonly taskId: string;
  /** The digest of the request statement we sent. */
  readonly requestDigest: string;
  readonly salt: string;
  /** Whether a result arrived with the statement, and which (parsed, or its crypto Canonical form: only its digest is checked). */
  readonly result: { readonly present: false } | { readonly present: true; readonly value: unknown };
}

/**
 * A requester's check of the responder's result statement, as a fixed sequence: the statement
 * itself (signed by the responder's key, from it, to us, about this task) → it answers the
 * request we sent → a completed result arrived with it and its digest is the salted digest of
 * that result, and no other status came with a result. Throws the first ReceiptError met.
 */
export function verifyResult(jws: string, ring: KeyRing, got: ReceivedResult): SignedStatement<'result'> {
  const statement = verifyStatement(jws, ring, { kind: 'result', signerOrg: got.responder, recipientOrg: got.requester, taskId: got.taskId });
  const { payload } = statement;
  if (payload.request_digest !== got.requestDigest) {
    throw new ReceiptChainBrokenError(`the result statement answers request ${payload.request_digest}, not the one we sent (${got.requestDigest})`);
  }
  if (payload.status === 'completed') {
    if (!got.result.present) throw new ReceiptContentMismatchError('the result statement says completed, but no result arrived with it');
    checkResultDigest(got.salt, got.result.value, payload);
  } else if (got.result.present) {
    throw new ReceiptContentMismatchError(`a result arrived with a ${payload.status} result statement`);
  }
  return statement;
}
