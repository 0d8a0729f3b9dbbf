import type { KeyRing } from '../crypto/index.js';
import { ReceiptChainBrokenError } from './errors.js';
import type { SignedStatement } from './sign.js';
import { verifyStatement } from './verify-statement.js';

/** What a responder knows of a task when the requester's ack arrives. */
export interface ReceivedAck {
  readonly requester: string;
  readonly responder: string;
  readonly taskId: string;
  /** The digest of the result statement we signed. */
  readonly resultDigest: string;
}

/**
 * A responder's check of the requester's ack, as a fixed sequence: the statement itself
 * (signed by the requester's key, from it, to us, about this task) → it acknowledges the
 * result statement we signed. Throws the first ReceiptError met.
 */
export function verifyAck(jws: string, ring: KeyRing, got: ReceivedAck): SignedStatement<'ack'> {
  const statement = verifyStatement(jws, ring, { kind: 'ack', signerOrg: got.requester, recipientOrg: got.responder, taskId: got.taskId });
  if (statement.payload.result_statement_digest !== got.resultDigest) {
    throw new ReceiptChainBrokenError(`the ack statement acknowledges result ${statement.payload.result_statement_digest}, not ours (${got.resultDigest})`);
  }
  return statement;
}
