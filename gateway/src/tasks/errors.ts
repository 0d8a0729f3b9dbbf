/**
 * Reason codes a requester can act on. They travel to the partner (gRPC status + metadata)
 * and into result statements, so they describe what happened, never policy internals.
 */
export const REASONS = {
  outbound_denied: 'our outbound policy did not allow this request to leave',
  inbound_denied: "the partner's inbound policy did not allow this request",
  disclosure_denied: "the partner's disclosure policy did not allow the result to leave",
  invalid_input: 'the input does not match the capability schema',
  payload_too_large: 'the payload exceeds the size limit',
  capability_unavailable: 'the capability is not available at this gateway',
  agent_failed: 'the agent failed while running the task',
  agent_timeout: 'the agent did not finish before the deadline',
  cancelled: 'the task was cancelled',
  task_conflict: 'this task id was already used with different content',
  task_unknown: 'no such task for this requester',
  request_invalid: 'the request is malformed or its request statement does not verify',
  peer_unauthenticated: 'the certificate was refused: it does not identify a configured partner',
  receipt_invalid: 'a receipt statement did not verify',
  policy_error: 'a policy failed to evaluate; the gateway failed closed',
  partner_unavailable: 'the partner could not be reached',
  partner_unknown: 'no such partner in the gateway configuration',
  deadline_exceeded: 'the deadline passed before the task finished',
  internal: 'the gateway failed; see its log',
} as const;

export type ReasonCode = keyof typeof REASONS;

export function isReasonCode(s: string): s is ReasonCode {
  return Object.hasOwn(REASONS, s);
}

/**
 * A task ended without a result, for a reason the other side may learn. `resultStatement`
 * is the responder's signed result statement when one was made (denials and failures get
 * receipts too), so the requester can store and acknowledge it.
 */
export class TaskError extends Error {
  constructor(
    readonly reason: ReasonCode,
    message: string = REASONS[reason],
    readonly details: { readonly resultStatement?: string; readonly policyReasons?: readonly string[] } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TaskError';
  }
}
