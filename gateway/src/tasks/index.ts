export { Requester } from './requester.js';
export type { CallOptions, CallResult, PartnerTransport, RequesterDeps } from './requester.js';
export { Responder } from './responder.js';
export type { ResponderDeps, SubmitRequest } from './responder.js';
export { grpcStatusOf, isReasonCode, isRetryable, REASON_CODES, REASONS, TaskError } from './errors.js';
export type { ReasonCode, ReasonInfo } from './errors.js';
export { FINAL_STATUSES } from './task.js';
export type { Peer, TaskStatus, TaskView } from './task.js';
