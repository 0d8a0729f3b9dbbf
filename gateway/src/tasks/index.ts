export { Requester } from './requester.js';
export type { CallOptions, CallResult, PartnerTransport, RequesterDeps } from './requester.js';
export { Responder } from './responder.js';
export { AckDeliverer, DEFAULT_ACK_BACKOFF } from './ack-deliverer.js';
export type { AckBatchOutcome, AckDelivererDeps, AckDeliveryOutcome, AckToSend, AckTransport } from './ack-deliverer.js';
export { backoffDelay } from './backoff.js';
export type { Backoff } from './backoff.js';
export type { DecidedInbound, PendingInbound, ResponderDeps, SubmitRequest } from './responder.js';
export { isInboundApprovalId } from './approval-id.js';
export { grpcStatusOf, InboundApprovalError, isDenial, isReasonCode, isRetryable, REASON_CODES, REASONS, TaskError } from './errors.js';
export type { InboundApprovalErrorCode, ReasonCode, ReasonInfo } from './errors.js';
export { FINAL_STATUSES } from './task.js';
export type { Peer, TaskStatus, TaskView } from './task.js';
export { cardFor } from './card.js';
export type { CardDeps, CardView } from './card.js';
export { ACK_DELIVERY_STATES, INBOUND_VERDICTS, STORED_TASK_STATUSES, TASK_ROLES } from './ports.js';
export type {
  AckAttempt,
  AckDeliveryState,
  AckOutbox,
  ClaimResult,
  DecideResult,
  InboundApprovalFilter,
  InboundApprovalRecord,
  InboundDecision,
  InboundVerdict,
  OutboxAck,
  PendingAckFilter,
  StoredTaskStatus,
  TaskFilter,
  TaskRecord,
  TaskRole,
  TaskStore,
  WriteBatch,
} from './ports.js';
export { ACK_STATES, ackStatusOf, readTaskReceipts, signerOf, statementsOfTask, verifyTaskReceipts } from './receipts.js';
export type { AckState, AckStatus, ReceiptState, ReceiptVerification, TaskReceipts } from './receipts.js';
