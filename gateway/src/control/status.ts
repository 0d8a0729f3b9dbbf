import * as grpc from '@grpc/grpc-js';
import { bounded, grpcStatusOfReason, MD_REASON } from '../federation/index.js';
import { TaskError } from '../tasks/index.js';
import { ControlError, type ControlErrorCode } from './errors.js';

const STATUS: Record<ControlErrorCode, grpc.status> = {
  CONTROL_UNAUTHENTICATED: grpc.status.UNAUTHENTICATED,
  CONTROL_ROLE_REQUIRED: grpc.status.PERMISSION_DENIED,
  CONTROL_INVALID_ARGUMENT: grpc.status.INVALID_ARGUMENT,
  CONTROL_NOT_FOUND: grpc.status.NOT_FOUND,
  CONTROL_SOCKET_UNSAFE: grpc.status.INTERNAL,
  CONTROL_SOCKET_IN_USE: grpc.status.INTERNAL,
};

/**
 * The control API's one boundary from errors to statuses: a control refusal or a task's reason
 * keeps its message (written for the caller); anything else is our fault, reported as
 * `internal` with the cause left to the log.
 */
export function toControlError(err: unknown): { error: Partial<grpc.StatusObject>; reason: string; internal: boolean } {
  let code: grpc.status;
  let reason: string;
  let message: string;
  if (err instanceof ControlError) {
    [code, reason, message] = [STATUS[err.code], err.code, err.message];
  } else if (err instanceof TaskError) {
    [code, reason, message] = [grpcStatusOfReason(err.reason), err.reason, err.message];
  } else {
    [code, reason, message] = [grpc.status.INTERNAL, 'internal', 'the gateway failed; see its log'];
  }
  const metadata = new grpc.Metadata();
  metadata.set(MD_REASON, reason);
  const details = `${reason}: ${message}`;
  return {
    error: { code, details: bounded(details), metadata },
    reason,
    internal: !(err instanceof ControlError) && !(err instanceof TaskError && err.reason !== 'internal'),
  };
}
