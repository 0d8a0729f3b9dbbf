export { Requester } from './requester.js';
export type { CallOptions, CallResult, PartnerTransport, RequesterDeps } from './requester.js';
export { Responder } from './responder.js';
export type { ResponderDeps, SubmitRequest } from './responder.js';
export { REASONS, TaskError, isReasonCode } from './errors.js';
export type { ReasonCode } from './errors.js';
export { FINAL_STATUSES } from './task.js';
export type { Peer, TaskStatus, TaskView } from './task.js';
