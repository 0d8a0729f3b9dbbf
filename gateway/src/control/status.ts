import * as grpc from '@grpc/grpc-js';
import { bounded, grpcStatusOfReason, MD_REASON } from '../federation/index.js';
import { InboundApprovalError, TaskError } from '../tasks/index.js';
import { RunError } from '../workflows/index.js';
import { ControlError, type ControlErrorCode } from './errors.js';

const STATUS: Record<ControlErrorCode, grpc.status> = {
  CONTROL_UNAUTHENTICATED: grpc.status.UNAUTHENTICATED,
  CONTROL_ROLE_REQUIRED: grpc.status.PERMISSION_DENIED,
  CONTROL_INVALID_ARGUMENT: grpc.status.INVALID_ARGUMENT,
  CONTROL_NOT_FOUND: grpc.status.NOT_FOUND,
  CONTROL_SOCKET_UNSAFE: grpc.status.INTERNAL,
  CONTROL_SOCKET_IN_USE: grpc.status.INTERNAL,
  CONTROL_STOPPING: grpc.status.UNAVAILABLE,
};

/** The run errors a caller can cause and fix; the others (a conflict, a stuck run) are our fault. */
const RUN_STATUS: Partial<Record<RunError['code'], grpc.status>> = {
  RUN_UNKNOWN: grpc.status.NOT_FOUND,
  APPROVAL_UNKNOWN: grpc.status.NOT_FOUND,
  APPROVAL_DECIDED: grpc.status.FAILED_PRECONDITION,
  APPROVAL_DECISION_INVALID: grpc.status.INVALID_ARGUMENT,
};

/**
 * The control API's one boundary from errors to statuses: a control refusal, a task's reason
 * or a run error the caller caused keeps its message (written for the caller); anything else
 * is our fault, reported as `internal` with the cause left to the log.
 */
export function toControlError(err: unknown): { error: Partial<grpc.StatusObject>; reason: string; internal: boolean } {
  const known = refusal(err);
  const [code, reason, message] = known ?? [grpc.status.INTERNAL, 'internal', 'the gateway failed; see its log'];
  const metadata = new grpc.Metadata();
  metadata.set(MD_REASON, reason);
  const details = `${reason}: ${message}`;
  return {
    error: { code, details: bounded(details), metadata },
    reason,
    internal: known === undefined || reason === 'internal',
  };
}

/** The status, reason code and message of an error written for the caller; undefined for our own fault. */
function refusal(err: unknown): [grpc.status, string, string] | undefined {
  if (err instanceof ControlError) return [STATUS[err.code], err.code, err.message];
  if (err instanceof TaskError) return [grpcStatusOfReason(err.reason), err.reason, err.message];
  // A run's approvals and a partner's held request are refused with the same codes.
  if (err instanceof RunError || err instanceof InboundApprovalError) {
    const code = RUN_STATUS[err.code];
    return code === undefined ? undefined : [code, err.code, err.message];
  }
  return undefined;
}
