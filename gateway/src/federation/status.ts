import * as grpc from '@grpc/grpc-js';
import { grpcStatusOf, isReasonCode, REASONS, TaskError, type ReasonCode } from '../tasks/index.js';

// The one place where task outcomes become gRPC statuses and back. Which status a reason
// carries is decided by the reason table in tasks/ (by name); here it only becomes a number.

/** The gRPC status a reason code travels with. */
export function grpcStatusOfReason(reason: ReasonCode): grpc.status {
  return grpc.status[grpcStatusOf(reason)];
}

export const MD_REASON = 'entente-reason';
export const MD_POLICY_REASONS = 'entente-policy-reasons';
export const MD_RESULT_STATEMENT = 'entente-result-statement';
/** The sender's latest checkpoint (a signed note, UTF-8), on every call and every answer. */
export const MD_CHECKPOINT = 'entente-checkpoint-bin';
/**
 * The sender verifies batched statements (docs/protocol.md §5.9), value `1`, on every call and
 * every answer: statements to it may be signed in batches from then on.
 */
export const MD_BATCHED_STATEMENTS = 'entente-batched-statements';
/**
 * The responder takes acks riding on SubmitTask (docs/protocol.md §3.2a), value `1`, in every
 * answer's trailers: the requester may send its acks on its next SubmitTask from then on.
 */
export const MD_ACKS_ON_SUBMIT = 'entente-acks-on-submit';
/** The outcomes of the acks that rode on a SubmitTask (an AcknowledgeBatchResponse), in its initial metadata. */
export const MD_ACK_OUTCOMES = 'entente-ack-outcomes-bin';
/** AddCheckpoint's checkpoint_conflict: the size of the checkpoint the witness holds. */
export const MD_WITNESS_SIZE = 'entente-witness-size';

const POLICY_REASON = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Longest status message sent. Stock gRPC clients refuse trailers beyond a few KB (grpc-go's
 * and C core's default metadata limit is 8 KiB, shared by every trailer).
 */
export const MAX_STATUS_MESSAGE = 1024;

/** A status message cut to MAX_STATUS_MESSAGE characters, saying that it was. */
export function bounded(message: string): string {
  return message.length <= MAX_STATUS_MESSAGE ? message : message.slice(0, MAX_STATUS_MESSAGE - 12) + ' … (cut)';
}

/**
 * Turns anything thrown while serving a partner into a status carrying only a safe message
 * and a reason code. A TaskError's message was written for the partner; anything else is our
 * fault and is reported as `internal` (the cause goes to our log, never to the partner).
 */
export function toServiceError(err: unknown): Partial<grpc.StatusObject> {
  const te = err instanceof TaskError ? err : new TaskError('internal');
  const metadata = new grpc.Metadata();
  metadata.set(MD_REASON, te.reason);
  const policyReasons = (te.details.policyReasons ?? []).filter((r) => POLICY_REASON.test(r)).slice(0, 8);
  if (policyReasons.length > 0) metadata.set(MD_POLICY_REASONS, policyReasons.join(','));
  if (te.details.resultStatement !== undefined) metadata.set(MD_RESULT_STATEMENT, te.details.resultStatement);
  return { code: grpcStatusOfReason(te.reason), details: bounded(`${te.reason}: ${te.message}`), metadata };
}

/** The requester's view of a failed call: the partner's reason code, or what the transport saw. */
export function fromServiceError(err: grpc.ServiceError): TaskError {
  const reason = err.metadata?.get(MD_REASON)[0];
  const statement = err.metadata?.get(MD_RESULT_STATEMENT)[0];
  const policyReasons = err.metadata?.get(MD_POLICY_REASONS)[0];
  const details = {
    ...(typeof statement === 'string' ? { resultStatement: statement } : {}),
    ...(typeof policyReasons === 'string' ? { policyReasons: policyReasons.split(',').filter((r) => POLICY_REASON.test(r)) } : {}),
  };
  if (typeof reason === 'string' && isReasonCode(reason)) {
    const prefix = `${reason}: `;
    const message = err.details.startsWith(prefix) ? err.details.slice(prefix.length) : REASONS[reason];
    return new TaskError(reason, message, details, { cause: err });
  }
  switch (err.code) {
    case grpc.status.DEADLINE_EXCEEDED:
      return new TaskError('deadline_exceeded', 'the partner did not answer before the deadline', details, { cause: err });
    case grpc.status.UNAVAILABLE:
      return new TaskError('partner_unavailable', `the partner could not be reached: ${err.details}`, details, { cause: err });
    case grpc.status.UNAUTHENTICATED:
      return new TaskError('peer_unauthenticated', `the partner refused our identity: ${err.details}`, details, { cause: err });
    case grpc.status.RESOURCE_EXHAUSTED:
      return new TaskError('payload_too_large', `the partner refused the message size: ${err.details}`, details, { cause: err });
    default:
      return new TaskError('internal', `the partner answered ${grpc.status[err.code]}: ${err.details}`, details, { cause: err });
  }
}
