import type { KeyRing } from '../crypto/index.js';
import { ReceiptChainBrokenError } from './errors.js';
import type { SignedStatement } from './sign.js';
import { verifyStatement } from './verify-statement.js';

export interface ReceiptTriple {
  readonly request: string;
  readonly result: string;
  readonly ack: string;
}

export interface VerifiedTriple {
  readonly request: SignedStatement<'request'>;
  readonly result: SignedStatement<'result'>;
  readonly ack: SignedStatement<'ack'>;
}

/**
 * Verifies a task's full receipt: the request signed by the requester and addressed to the
 * responder, the result signed by the responder and addressed to the requester, the ack
 * signed by the requester and addressed to the responder, all about one task, and the chain
 * (the result cites the request's digest, the ack the result's). Throws the first
 * ReceiptError met, in that order.
 */
export function verifyTriple(
  triple: ReceiptTriple,
  ring: KeyRing,
  parties: { readonly requester: string; readonly responder: string },
): VerifiedTriple {
  const { requester, responder } = parties;
  const request = verifyStatement(triple.request, ring, { kind: 'request', signerOrg: requester, recipientOrg: responder });
  const taskId = request.payload.task_id;
  const result = verifyStatement(triple.result, ring, { kind: 'result', signerOrg: responder, recipientOrg: requester, taskId });
  const ack = verifyStatement(triple.ack, ring, { kind: 'ack', signerOrg: requester, recipientOrg: responder, taskId });
  if (result.payload.request_digest !== request.digest) {
    throw new ReceiptChainBrokenError(`the result statement cites request ${result.payload.request_digest}, not this request (${request.digest})`);
  }
  if (ack.payload.result_statement_digest !== result.digest) {
    throw new ReceiptChainBrokenError(`the ack statement cites result ${ack.payload.result_statement_digest}, not this result (${result.digest})`);
  }
  return { request, result, ack };
}
