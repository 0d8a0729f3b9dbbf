import { EntenteError, type GrpcStatusName } from '../lib/index.js';

/** What the gateway knows about one reason code. */
export interface ReasonInfo {
  /** The gRPC status a call ending for this reason carries (the federation boundary maps it). */
  readonly status: GrpcStatusName;
  /**
   * Whether the same call, tried again later, can succeed with nobody changing anything
   * (configuration, policy, input, certificates). The workflow engine retries steps by it.
   */
  readonly retryable: boolean;
  /** The default message: what happened, for the requester; never policy internals. */
  readonly message: string;
}

/**
 * The reason codes a requester can act on, with their gRPC status and retryability: the one
 * table for both. They travel to the partner (gRPC status + the `entente-reason` trailer) and
 * into result statements, so they are wire codes: never rename one.
 */
export const REASON_CODES = {
  outbound_denied: { status: 'PERMISSION_DENIED', retryable: false, message: 'our outbound policy did not allow this request to leave' },
  inbound_denied: { status: 'PERMISSION_DENIED', retryable: false, message: "the partner's inbound policy did not allow this request" },
  disclosure_denied: {
    status: 'PERMISSION_DENIED',
    retryable: false,
    message: "the partner's disclosure policy did not allow the result to leave",
  },
  approval_rejected: {
    status: 'PERMISSION_DENIED',
    retryable: false,
    message: "a person at the partner did not approve this request (its inbound policy asks for an approval)",
  },
  invalid_input: { status: 'INVALID_ARGUMENT', retryable: false, message: 'the input does not match the capability schema' },
  payload_too_large: { status: 'RESOURCE_EXHAUSTED', retryable: false, message: 'the payload exceeds the size limit' },
  capability_unavailable: { status: 'NOT_FOUND', retryable: false, message: 'the capability is not available at this gateway' },
  // An agent's failure may be passing (a database it reads was down); a new attempt can succeed.
  agent_failed: { status: 'INTERNAL', retryable: true, message: 'the agent failed while running the task' },
  agent_timeout: { status: 'DEADLINE_EXCEEDED', retryable: true, message: 'the agent did not finish before the deadline' },
  // The responder's gateway stopped while its agent ran; a new task may succeed (and may repeat
  // an effect of the interrupted one that the agent does not deduplicate).
  interrupted: { status: 'UNAVAILABLE', retryable: true, message: "the partner's gateway stopped while its agent ran the task; it did not finish" },
  cancelled: { status: 'CANCELLED', retryable: false, message: 'the task was cancelled' },
  task_conflict: { status: 'ALREADY_EXISTS', retryable: false, message: 'this task id was already used with different content' },
  task_unknown: { status: 'NOT_FOUND', retryable: false, message: 'no such task for this requester' },
  request_invalid: {
    status: 'INVALID_ARGUMENT',
    retryable: false,
    message: 'the request is malformed or its request statement does not verify',
  },
  peer_unauthenticated: {
    status: 'UNAUTHENTICATED',
    retryable: false,
    message: 'the certificate was refused: it does not identify a configured partner',
  },
  receipt_invalid: { status: 'INVALID_ARGUMENT', retryable: false, message: 'a receipt statement did not verify' },
  policy_error: { status: 'INTERNAL', retryable: false, message: 'a policy failed to evaluate; the gateway failed closed' },
  partner_unavailable: { status: 'UNAVAILABLE', retryable: true, message: 'the partner could not be reached' },
  partner_unknown: { status: 'NOT_FOUND', retryable: false, message: 'no such partner in the gateway configuration' },
  deadline_exceeded: { status: 'DEADLINE_EXCEEDED', retryable: true, message: 'the deadline passed before the task finished' },
  // The audit log's RPCs (witnessing each other's logs).
  log_range: { status: 'OUT_OF_RANGE', retryable: false, message: 'the log index or size is outside the log' },
  checkpoint_conflict: {
    status: 'FAILED_PRECONDITION',
    retryable: false,
    message: 'the witness holds a checkpoint of another size than the one the proof starts from',
  },
  checkpoint_invalid: { status: 'INVALID_ARGUMENT', retryable: false, message: "the checkpoint is not one of the caller's log, or its signature does not verify" },
  log_inconsistent: {
    status: 'FAILED_PRECONDITION',
    retryable: false,
    message: 'the checkpoint is inconsistent with the one the witness holds; both are kept as evidence',
  },
  // Our own fault (a bug, a failed store write): retrying blindly would hide it.
  internal: { status: 'INTERNAL', retryable: false, message: 'the gateway failed; see its log' },
} as const satisfies Record<string, ReasonInfo>;

export type ReasonCode = keyof typeof REASON_CODES;

/** Each reason code's default message (derived from {@link REASON_CODES}). */
export const REASONS = Object.freeze(
  Object.fromEntries(Object.entries(REASON_CODES).map(([code, info]) => [code, info.message])),
) as { readonly [R in ReasonCode]: (typeof REASON_CODES)[R]['message'] };

export function isReasonCode(s: string): s is ReasonCode {
  return Object.hasOwn(REASON_CODES, s);
}

/**
 * Whether a task that ended for `reason` can succeed if the call is made again later,
 * unchanged. A final outcome is stored under its task id, so a new attempt needs a new
 * `taskId`; only `partner_unavailable` is resent under the same one.
 *
 * @example if (outcome.reason !== undefined && isRetryable(outcome.reason)) scheduleRetry(step);
 */
export function isRetryable(reason: ReasonCode): boolean {
  return REASON_CODES[reason].retryable;
}

/** Whether a task that ended for `reason` was refused (status `denied`) rather than failed. */
export function isDenial(reason: ReasonCode): boolean {
  return REASON_CODES[reason].status === 'PERMISSION_DENIED';
}

/** The gRPC status name for `reason`; transports turn it into their status number. */
export function grpcStatusOf(reason: ReasonCode): GrpcStatusName {
  return REASON_CODES[reason].status;
}

/**
 * A task ended without a result, for a reason the other side may learn: `code` is the reason
 * code. `resultStatement` is the responder's signed result statement when one was made
 * (denials and failures get receipts too), so the requester can store and acknowledge it.
 */
export class TaskError extends EntenteError<ReasonCode> {
  constructor(
    reason: ReasonCode,
    message: string = REASONS[reason],
    readonly details: { readonly resultStatement?: string; readonly policyReasons?: readonly string[] } = {},
    options?: ErrorOptions,
  ) {
    super(reason, message, options);
  }

  /** The reason code; the same as `code`, by the name it has on the wire. */
  get reason(): ReasonCode {
    return this.code;
  }

  /** Whether making the same call again later can succeed; see {@link isRetryable}. */
  get retryable(): boolean {
    return isRetryable(this.code);
  }
}

/**
 * Why a person's decision on a partner's held request was refused. The codes are the workflow
 * engine's approval codes (workflows/errors.ts), so that the control API and its callers treat
 * both kinds of approval alike: unknown id, no longer waiting, a decision it does not take.
 */
export type InboundApprovalErrorCode = 'APPROVAL_UNKNOWN' | 'APPROVAL_DECIDED' | 'APPROVAL_DECISION_INVALID';

export class InboundApprovalError extends EntenteError<InboundApprovalErrorCode> {}
