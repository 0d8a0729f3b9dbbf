// Original file: proto/entente/federation/v1/federation.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AcknowledgeBatchRequest as _entente_federation_v1_AcknowledgeBatchRequest, AcknowledgeBatchRequest__Output as _entente_federation_v1_AcknowledgeBatchRequest__Output } from '../../../entente/federation/v1/AcknowledgeBatchRequest.js';
import type { AcknowledgeBatchResponse as _entente_federation_v1_AcknowledgeBatchResponse, AcknowledgeBatchResponse__Output as _entente_federation_v1_AcknowledgeBatchResponse__Output } from '../../../entente/federation/v1/AcknowledgeBatchResponse.js';
import type { AcknowledgeRequest as _entente_federation_v1_AcknowledgeRequest, AcknowledgeRequest__Output as _entente_federation_v1_AcknowledgeRequest__Output } from '../../../entente/federation/v1/AcknowledgeRequest.js';
import type { AcknowledgeResponse as _entente_federation_v1_AcknowledgeResponse, AcknowledgeResponse__Output as _entente_federation_v1_AcknowledgeResponse__Output } from '../../../entente/federation/v1/AcknowledgeResponse.js';
import type { AddCheckpointRequest as _entente_federation_v1_AddCheckpointRequest, AddCheckpointRequest__Output as _entente_federation_v1_AddCheckpointRequest__Output } from '../../../entente/federation/v1/AddCheckpointRequest.js';
import type { AddCheckpointResponse as _entente_federation_v1_AddCheckpointResponse, AddCheckpointResponse__Output as _entente_federation_v1_AddCheckpointResponse__Output } from '../../../entente/federation/v1/AddCheckpointResponse.js';
import type { Card as _entente_federation_v1_Card, Card__Output as _entente_federation_v1_Card__Output } from '../../../entente/federation/v1/Card.js';
import type { CheckpointResponse as _entente_federation_v1_CheckpointResponse, CheckpointResponse__Output as _entente_federation_v1_CheckpointResponse__Output } from '../../../entente/federation/v1/CheckpointResponse.js';
import type { ConsistencyProofRequest as _entente_federation_v1_ConsistencyProofRequest, ConsistencyProofRequest__Output as _entente_federation_v1_ConsistencyProofRequest__Output } from '../../../entente/federation/v1/ConsistencyProofRequest.js';
import type { GetCardRequest as _entente_federation_v1_GetCardRequest, GetCardRequest__Output as _entente_federation_v1_GetCardRequest__Output } from '../../../entente/federation/v1/GetCardRequest.js';
import type { GetCheckpointRequest as _entente_federation_v1_GetCheckpointRequest, GetCheckpointRequest__Output as _entente_federation_v1_GetCheckpointRequest__Output } from '../../../entente/federation/v1/GetCheckpointRequest.js';
import type { InclusionProofRequest as _entente_federation_v1_InclusionProofRequest, InclusionProofRequest__Output as _entente_federation_v1_InclusionProofRequest__Output } from '../../../entente/federation/v1/InclusionProofRequest.js';
import type { ProofResponse as _entente_federation_v1_ProofResponse, ProofResponse__Output as _entente_federation_v1_ProofResponse__Output } from '../../../entente/federation/v1/ProofResponse.js';
import type { SubmitTaskRequest as _entente_federation_v1_SubmitTaskRequest, SubmitTaskRequest__Output as _entente_federation_v1_SubmitTaskRequest__Output } from '../../../entente/federation/v1/SubmitTaskRequest.js';
import type { Task as _entente_federation_v1_Task, Task__Output as _entente_federation_v1_Task__Output } from '../../../entente/federation/v1/Task.js';
import type { TaskRef as _entente_federation_v1_TaskRef, TaskRef__Output as _entente_federation_v1_TaskRef__Output } from '../../../entente/federation/v1/TaskRef.js';

export interface FederationClient extends grpc.Client {
  /**
   * The requester's countersignature of the result statement it received. Idempotent.
   * Statuses: OK; NOT_FOUND (task_unknown: no such task, or no result yet);
   * INVALID_ARGUMENT (receipt_invalid: the ack does not verify or does not cite this task's
   * result statement); UNAUTHENTICATED (peer_unauthenticated).
   */
  Acknowledge(argument: _entente_federation_v1_AcknowledgeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeResponse__Output>): grpc.ClientUnaryCall;
  Acknowledge(argument: _entente_federation_v1_AcknowledgeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeResponse__Output>): grpc.ClientUnaryCall;
  Acknowledge(argument: _entente_federation_v1_AcknowledgeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeResponse__Output>): grpc.ClientUnaryCall;
  Acknowledge(argument: _entente_federation_v1_AcknowledgeRequest, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The requester's countersignature of the result statement it received. Idempotent.
   * Statuses: OK; NOT_FOUND (task_unknown: no such task, or no result yet);
   * INVALID_ARGUMENT (receipt_invalid: the ack does not verify or does not cite this task's
   * result statement); UNAUTHENTICATED (peer_unauthenticated).
   */
  acknowledge(argument: _entente_federation_v1_AcknowledgeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeResponse__Output>): grpc.ClientUnaryCall;
  acknowledge(argument: _entente_federation_v1_AcknowledgeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeResponse__Output>): grpc.ClientUnaryCall;
  acknowledge(argument: _entente_federation_v1_AcknowledgeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeResponse__Output>): grpc.ClientUnaryCall;
  acknowledge(argument: _entente_federation_v1_AcknowledgeRequest, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Many acks in one call: a requester sends the acks that became due together (acks leave
   * its side off the call path, from a durable outbox). Each is checked and stored as
   * Acknowledge would, and answered in order: an empty reason when it is stored (or was
   * already), else the reason Acknowledge would have given (task_unknown, receipt_invalid).
   * At most 512 acks. A responder without it answers UNIMPLEMENTED; the requester then sends
   * each with Acknowledge.
   * Statuses: OK (per-ack outcomes); INVALID_ARGUMENT (request_invalid: more than 512 acks);
   * UNAUTHENTICATED (peer_unauthenticated).
   */
  AcknowledgeBatch(argument: _entente_federation_v1_AcknowledgeBatchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeBatchResponse__Output>): grpc.ClientUnaryCall;
  AcknowledgeBatch(argument: _entente_federation_v1_AcknowledgeBatchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeBatchResponse__Output>): grpc.ClientUnaryCall;
  AcknowledgeBatch(argument: _entente_federation_v1_AcknowledgeBatchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeBatchResponse__Output>): grpc.ClientUnaryCall;
  AcknowledgeBatch(argument: _entente_federation_v1_AcknowledgeBatchRequest, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeBatchResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Many acks in one call: a requester sends the acks that became due together (acks leave
   * its side off the call path, from a durable outbox). Each is checked and stored as
   * Acknowledge would, and answered in order: an empty reason when it is stored (or was
   * already), else the reason Acknowledge would have given (task_unknown, receipt_invalid).
   * At most 512 acks. A responder without it answers UNIMPLEMENTED; the requester then sends
   * each with Acknowledge.
   * Statuses: OK (per-ack outcomes); INVALID_ARGUMENT (request_invalid: more than 512 acks);
   * UNAUTHENTICATED (peer_unauthenticated).
   */
  acknowledgeBatch(argument: _entente_federation_v1_AcknowledgeBatchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeBatchResponse__Output>): grpc.ClientUnaryCall;
  acknowledgeBatch(argument: _entente_federation_v1_AcknowledgeBatchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeBatchResponse__Output>): grpc.ClientUnaryCall;
  acknowledgeBatch(argument: _entente_federation_v1_AcknowledgeBatchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeBatchResponse__Output>): grpc.ClientUnaryCall;
  acknowledgeBatch(argument: _entente_federation_v1_AcknowledgeBatchRequest, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeBatchResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Witnessing (C2SP tlog-witness add-checkpoint, over this service): the caller asks the
   * responder, its partner, to witness the caller's new checkpoint. `old_size` is the size of
   * the caller's checkpoint the responder holds (0 for none) and the proof joins it to the new
   * one. The responder checks the checkpoint's signature with the caller's log key and the
   * proof, keeps the new checkpoint and returns its cosignature (C2SP tlog-cosignature,
   * Ed25519, signature type 0x04, under the responder's log key name).
   * Statuses: OK; FAILED_PRECONDITION (checkpoint_conflict: old_size is not what the responder
   * holds; the trailer `entente-witness-size` says what it holds: resend from that size);
   * INVALID_ARGUMENT (checkpoint_invalid: not a checkpoint of the caller's log, or a bad
   * signature); FAILED_PRECONDITION (log_inconsistent: the proof does not join the two; the
   * responder has kept both as evidence); UNAUTHENTICATED.
   */
  AddCheckpoint(argument: _entente_federation_v1_AddCheckpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_AddCheckpointResponse__Output>): grpc.ClientUnaryCall;
  AddCheckpoint(argument: _entente_federation_v1_AddCheckpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_AddCheckpointResponse__Output>): grpc.ClientUnaryCall;
  AddCheckpoint(argument: _entente_federation_v1_AddCheckpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_AddCheckpointResponse__Output>): grpc.ClientUnaryCall;
  AddCheckpoint(argument: _entente_federation_v1_AddCheckpointRequest, callback: grpc.requestCallback<_entente_federation_v1_AddCheckpointResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Witnessing (C2SP tlog-witness add-checkpoint, over this service): the caller asks the
   * responder, its partner, to witness the caller's new checkpoint. `old_size` is the size of
   * the caller's checkpoint the responder holds (0 for none) and the proof joins it to the new
   * one. The responder checks the checkpoint's signature with the caller's log key and the
   * proof, keeps the new checkpoint and returns its cosignature (C2SP tlog-cosignature,
   * Ed25519, signature type 0x04, under the responder's log key name).
   * Statuses: OK; FAILED_PRECONDITION (checkpoint_conflict: old_size is not what the responder
   * holds; the trailer `entente-witness-size` says what it holds: resend from that size);
   * INVALID_ARGUMENT (checkpoint_invalid: not a checkpoint of the caller's log, or a bad
   * signature); FAILED_PRECONDITION (log_inconsistent: the proof does not join the two; the
   * responder has kept both as evidence); UNAUTHENTICATED.
   */
  addCheckpoint(argument: _entente_federation_v1_AddCheckpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_AddCheckpointResponse__Output>): grpc.ClientUnaryCall;
  addCheckpoint(argument: _entente_federation_v1_AddCheckpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_AddCheckpointResponse__Output>): grpc.ClientUnaryCall;
  addCheckpoint(argument: _entente_federation_v1_AddCheckpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_AddCheckpointResponse__Output>): grpc.ClientUnaryCall;
  addCheckpoint(argument: _entente_federation_v1_AddCheckpointRequest, callback: grpc.requestCallback<_entente_federation_v1_AddCheckpointResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stop a running task, or withdraw one awaiting approval or approved (it ends CANCELLED with
   * a signed result statement); a final task is returned unchanged. Idempotent.
   * Statuses: OK; NOT_FOUND (task_unknown); UNAUTHENTICATED (peer_unauthenticated).
   */
  CancelTask(argument: _entente_federation_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  CancelTask(argument: _entente_federation_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  CancelTask(argument: _entente_federation_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  CancelTask(argument: _entente_federation_v1_TaskRef, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  /**
   * Stop a running task, or withdraw one awaiting approval or approved (it ends CANCELLED with
   * a signed result statement); a final task is returned unchanged. Idempotent.
   * Statuses: OK; NOT_FOUND (task_unknown); UNAUTHENTICATED (peer_unauthenticated).
   */
  cancelTask(argument: _entente_federation_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  cancelTask(argument: _entente_federation_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  cancelTask(argument: _entente_federation_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  cancelTask(argument: _entente_federation_v1_TaskRef, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  
  /**
   * The capabilities this caller may see (filtered by the responder's card policy; a failing
   * card policy shows none), their schemas, and the receipt keys.
   * Statuses: OK; UNAUTHENTICATED (peer_unauthenticated).
   */
  GetCard(argument: _entente_federation_v1_GetCardRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Card__Output>): grpc.ClientUnaryCall;
  GetCard(argument: _entente_federation_v1_GetCardRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_Card__Output>): grpc.ClientUnaryCall;
  GetCard(argument: _entente_federation_v1_GetCardRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Card__Output>): grpc.ClientUnaryCall;
  GetCard(argument: _entente_federation_v1_GetCardRequest, callback: grpc.requestCallback<_entente_federation_v1_Card__Output>): grpc.ClientUnaryCall;
  /**
   * The capabilities this caller may see (filtered by the responder's card policy; a failing
   * card policy shows none), their schemas, and the receipt keys.
   * Statuses: OK; UNAUTHENTICATED (peer_unauthenticated).
   */
  getCard(argument: _entente_federation_v1_GetCardRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Card__Output>): grpc.ClientUnaryCall;
  getCard(argument: _entente_federation_v1_GetCardRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_Card__Output>): grpc.ClientUnaryCall;
  getCard(argument: _entente_federation_v1_GetCardRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Card__Output>): grpc.ClientUnaryCall;
  getCard(argument: _entente_federation_v1_GetCardRequest, callback: grpc.requestCallback<_entente_federation_v1_Card__Output>): grpc.ClientUnaryCall;
  
  /**
   * The responder's latest checkpoint, covering every statement it has stored.
   * Statuses: OK; UNAUTHENTICATED (peer_unauthenticated).
   */
  GetCheckpoint(argument: _entente_federation_v1_GetCheckpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_CheckpointResponse__Output>): grpc.ClientUnaryCall;
  GetCheckpoint(argument: _entente_federation_v1_GetCheckpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_CheckpointResponse__Output>): grpc.ClientUnaryCall;
  GetCheckpoint(argument: _entente_federation_v1_GetCheckpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_CheckpointResponse__Output>): grpc.ClientUnaryCall;
  GetCheckpoint(argument: _entente_federation_v1_GetCheckpointRequest, callback: grpc.requestCallback<_entente_federation_v1_CheckpointResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The responder's latest checkpoint, covering every statement it has stored.
   * Statuses: OK; UNAUTHENTICATED (peer_unauthenticated).
   */
  getCheckpoint(argument: _entente_federation_v1_GetCheckpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_CheckpointResponse__Output>): grpc.ClientUnaryCall;
  getCheckpoint(argument: _entente_federation_v1_GetCheckpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_CheckpointResponse__Output>): grpc.ClientUnaryCall;
  getCheckpoint(argument: _entente_federation_v1_GetCheckpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_CheckpointResponse__Output>): grpc.ClientUnaryCall;
  getCheckpoint(argument: _entente_federation_v1_GetCheckpointRequest, callback: grpc.requestCallback<_entente_federation_v1_CheckpointResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The consistency proof between two sizes of the responder's log (RFC 9162 2.1.4.1).
   * Statuses: OK; OUT_OF_RANGE (log_range); UNAUTHENTICATED.
   */
  GetConsistencyProof(argument: _entente_federation_v1_ConsistencyProofRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_ProofResponse__Output>): grpc.ClientUnaryCall;
  GetConsistencyProof(argument: _entente_federation_v1_ConsistencyProofRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_ProofResponse__Output>): grpc.ClientUnaryCall;
  GetConsistencyProof(argument: _entente_federation_v1_ConsistencyProofRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_ProofResponse__Output>): grpc.ClientUnaryCall;
  GetConsistencyProof(argument: _entente_federation_v1_ConsistencyProofRequest, callback: grpc.requestCallback<_entente_federation_v1_ProofResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The consistency proof between two sizes of the responder's log (RFC 9162 2.1.4.1).
   * Statuses: OK; OUT_OF_RANGE (log_range); UNAUTHENTICATED.
   */
  getConsistencyProof(argument: _entente_federation_v1_ConsistencyProofRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_ProofResponse__Output>): grpc.ClientUnaryCall;
  getConsistencyProof(argument: _entente_federation_v1_ConsistencyProofRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_ProofResponse__Output>): grpc.ClientUnaryCall;
  getConsistencyProof(argument: _entente_federation_v1_ConsistencyProofRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_ProofResponse__Output>): grpc.ClientUnaryCall;
  getConsistencyProof(argument: _entente_federation_v1_ConsistencyProofRequest, callback: grpc.requestCallback<_entente_federation_v1_ProofResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The audit path of leaf `index` in the responder's tree of `tree_size` leaves (RFC 9162
   * 2.1.3.1). Statuses: OK; OUT_OF_RANGE (log_range: index or size outside the log);
   * UNAUTHENTICATED.
   */
  GetInclusionProof(argument: _entente_federation_v1_InclusionProofRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_ProofResponse__Output>): grpc.ClientUnaryCall;
  GetInclusionProof(argument: _entente_federation_v1_InclusionProofRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_ProofResponse__Output>): grpc.ClientUnaryCall;
  GetInclusionProof(argument: _entente_federation_v1_InclusionProofRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_ProofResponse__Output>): grpc.ClientUnaryCall;
  GetInclusionProof(argument: _entente_federation_v1_InclusionProofRequest, callback: grpc.requestCallback<_entente_federation_v1_ProofResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The audit path of leaf `index` in the responder's tree of `tree_size` leaves (RFC 9162
   * 2.1.3.1). Statuses: OK; OUT_OF_RANGE (log_range: index or size outside the log);
   * UNAUTHENTICATED.
   */
  getInclusionProof(argument: _entente_federation_v1_InclusionProofRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_ProofResponse__Output>): grpc.ClientUnaryCall;
  getInclusionProof(argument: _entente_federation_v1_InclusionProofRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_ProofResponse__Output>): grpc.ClientUnaryCall;
  getInclusionProof(argument: _entente_federation_v1_InclusionProofRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_ProofResponse__Output>): grpc.ClientUnaryCall;
  getInclusionProof(argument: _entente_federation_v1_InclusionProofRequest, callback: grpc.requestCallback<_entente_federation_v1_ProofResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The task's current state (a failed, denied or cancelled task is an OK answer).
   * Statuses: OK; NOT_FOUND (task_unknown); UNAUTHENTICATED (peer_unauthenticated).
   */
  GetTask(argument: _entente_federation_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  GetTask(argument: _entente_federation_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  GetTask(argument: _entente_federation_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  GetTask(argument: _entente_federation_v1_TaskRef, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  /**
   * The task's current state (a failed, denied or cancelled task is an OK answer).
   * Statuses: OK; NOT_FOUND (task_unknown); UNAUTHENTICATED (peer_unauthenticated).
   */
  getTask(argument: _entente_federation_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  getTask(argument: _entente_federation_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  getTask(argument: _entente_federation_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  getTask(argument: _entente_federation_v1_TaskRef, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  
  /**
   * Ask for one capability; returns once the task is final (or at the deadline). The responder
   * verifies the request statement (signed by the caller's org, about task_id, addressed to
   * the responder, same capability and purpose, input_digest = salted_digest(salt, input),
   * within iat - 60 s .. exp + 60 s), then runs inbound policy, agent, disclosure policy, and
   * signs a result statement whatever the outcome.
   * 
   * When the inbound policy holds the request for a person's approval, the responder records
   * the task and answers at once with AWAITING_APPROVAL and no result statement; the
   * requester follows it with WatchTask. An approval runs it (if the responder still holds the
   * input in memory) or marks it APPROVED: then the requester MUST submit it again, same
   * task_id, salt, request statement and content, and that call runs it. A rejection ends it
   * DENIED (approval_rejected) with a result statement.
   * 
   * Idempotent on task_id, per caller: the same id with the same content (capability, purpose,
   * canonical input) answers from the responder's record without running again (retries MUST
   * resend the same salt and request statement); with other content it is refused. A request
   * statement identical to the one stored for the task is checked against the time window as
   * of when it was first stored, so a resubmission after a long approval is not "expired".
   * 
   * Statuses (reason; "+ statement" = entente-result-statement trailer):
   * OK                  Task COMPLETED with result and result_statement; AWAITING_APPROVAL
   * (held for a person's decision; no result statement yet)
   * INVALID_ARGUMENT    request_invalid (malformed request, or request statement does not
   * verify or match); invalid_input + statement (input fails the schema)
   * RESOURCE_EXHAUSTED  payload_too_large (input too large; + statement if the result is)
   * ALREADY_EXISTS      task_conflict (task_id used with other content)
   * PERMISSION_DENIED   inbound_denied, disclosure_denied, approval_rejected + statement
   * NOT_FOUND           capability_unavailable + statement
   * INTERNAL            agent_failed, policy_error + statement; internal (+ statement if any)
   * DEADLINE_EXCEEDED   agent_timeout + statement
   * CANCELLED           cancelled + statement (CancelTask while this call waited)
   * UNAUTHENTICATED     peer_unauthenticated
   */
  SubmitTask(argument: _entente_federation_v1_SubmitTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  SubmitTask(argument: _entente_federation_v1_SubmitTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  SubmitTask(argument: _entente_federation_v1_SubmitTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  SubmitTask(argument: _entente_federation_v1_SubmitTaskRequest, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  /**
   * Ask for one capability; returns once the task is final (or at the deadline). The responder
   * verifies the request statement (signed by the caller's org, about task_id, addressed to
   * the responder, same capability and purpose, input_digest = salted_digest(salt, input),
   * within iat - 60 s .. exp + 60 s), then runs inbound policy, agent, disclosure policy, and
   * signs a result statement whatever the outcome.
   * 
   * When the inbound policy holds the request for a person's approval, the responder records
   * the task and answers at once with AWAITING_APPROVAL and no result statement; the
   * requester follows it with WatchTask. An approval runs it (if the responder still holds the
   * input in memory) or marks it APPROVED: then the requester MUST submit it again, same
   * task_id, salt, request statement and content, and that call runs it. A rejection ends it
   * DENIED (approval_rejected) with a result statement.
   * 
   * Idempotent on task_id, per caller: the same id with the same content (capability, purpose,
   * canonical input) answers from the responder's record without running again (retries MUST
   * resend the same salt and request statement); with other content it is refused. A request
   * statement identical to the one stored for the task is checked against the time window as
   * of when it was first stored, so a resubmission after a long approval is not "expired".
   * 
   * Statuses (reason; "+ statement" = entente-result-statement trailer):
   * OK                  Task COMPLETED with result and result_statement; AWAITING_APPROVAL
   * (held for a person's decision; no result statement yet)
   * INVALID_ARGUMENT    request_invalid (malformed request, or request statement does not
   * verify or match); invalid_input + statement (input fails the schema)
   * RESOURCE_EXHAUSTED  payload_too_large (input too large; + statement if the result is)
   * ALREADY_EXISTS      task_conflict (task_id used with other content)
   * PERMISSION_DENIED   inbound_denied, disclosure_denied, approval_rejected + statement
   * NOT_FOUND           capability_unavailable + statement
   * INTERNAL            agent_failed, policy_error + statement; internal (+ statement if any)
   * DEADLINE_EXCEEDED   agent_timeout + statement
   * CANCELLED           cancelled + statement (CancelTask while this call waited)
   * UNAUTHENTICATED     peer_unauthenticated
   */
  submitTask(argument: _entente_federation_v1_SubmitTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  submitTask(argument: _entente_federation_v1_SubmitTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  submitTask(argument: _entente_federation_v1_SubmitTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  submitTask(argument: _entente_federation_v1_SubmitTaskRequest, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  
  /**
   * Follow a task: the current state, then each change of state (AWAITING_APPROVAL, RUNNING,
   * APPROVED, final) as it happens. The stream ends after a final state, after APPROVED (only
   * the requester's resubmission moves the task on), or when the responder cannot advance the
   * task (RUNNING but executing nowhere, after a restart); a stream that breaks before then is
   * resumed by calling WatchTask again.
   * Statuses: OK; NOT_FOUND (task_unknown); UNAUTHENTICATED (peer_unauthenticated).
   */
  WatchTask(argument: _entente_federation_v1_TaskRef, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_entente_federation_v1_Task__Output>;
  WatchTask(argument: _entente_federation_v1_TaskRef, options?: grpc.CallOptions): grpc.ClientReadableStream<_entente_federation_v1_Task__Output>;
  /**
   * Follow a task: the current state, then each change of state (AWAITING_APPROVAL, RUNNING,
   * APPROVED, final) as it happens. The stream ends after a final state, after APPROVED (only
   * the requester's resubmission moves the task on), or when the responder cannot advance the
   * task (RUNNING but executing nowhere, after a restart); a stream that breaks before then is
   * resumed by calling WatchTask again.
   * Statuses: OK; NOT_FOUND (task_unknown); UNAUTHENTICATED (peer_unauthenticated).
   */
  watchTask(argument: _entente_federation_v1_TaskRef, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_entente_federation_v1_Task__Output>;
  watchTask(argument: _entente_federation_v1_TaskRef, options?: grpc.CallOptions): grpc.ClientReadableStream<_entente_federation_v1_Task__Output>;
  
}

export interface FederationHandlers extends grpc.UntypedServiceImplementation {
  /**
   * The requester's countersignature of the result statement it received. Idempotent.
   * Statuses: OK; NOT_FOUND (task_unknown: no such task, or no result yet);
   * INVALID_ARGUMENT (receipt_invalid: the ack does not verify or does not cite this task's
   * result statement); UNAUTHENTICATED (peer_unauthenticated).
   */
  Acknowledge: grpc.handleUnaryCall<_entente_federation_v1_AcknowledgeRequest__Output, _entente_federation_v1_AcknowledgeResponse>;
  
  /**
   * Many acks in one call: a requester sends the acks that became due together (acks leave
   * its side off the call path, from a durable outbox). Each is checked and stored as
   * Acknowledge would, and answered in order: an empty reason when it is stored (or was
   * already), else the reason Acknowledge would have given (task_unknown, receipt_invalid).
   * At most 512 acks. A responder without it answers UNIMPLEMENTED; the requester then sends
   * each with Acknowledge.
   * Statuses: OK (per-ack outcomes); INVALID_ARGUMENT (request_invalid: more than 512 acks);
   * UNAUTHENTICATED (peer_unauthenticated).
   */
  AcknowledgeBatch: grpc.handleUnaryCall<_entente_federation_v1_AcknowledgeBatchRequest__Output, _entente_federation_v1_AcknowledgeBatchResponse>;
  
  /**
   * Witnessing (C2SP tlog-witness add-checkpoint, over this service): the caller asks the
   * responder, its partner, to witness the caller's new checkpoint. `old_size` is the size of
   * the caller's checkpoint the responder holds (0 for none) and the proof joins it to the new
   * one. The responder checks the checkpoint's signature with the caller's log key and the
   * proof, keeps the new checkpoint and returns its cosignature (C2SP tlog-cosignature,
   * Ed25519, signature type 0x04, under the responder's log key name).
   * Statuses: OK; FAILED_PRECONDITION (checkpoint_conflict: old_size is not what the responder
   * holds; the trailer `entente-witness-size` says what it holds: resend from that size);
   * INVALID_ARGUMENT (checkpoint_invalid: not a checkpoint of the caller's log, or a bad
   * signature); FAILED_PRECONDITION (log_inconsistent: the proof does not join the two; the
   * responder has kept both as evidence); UNAUTHENTICATED.
   */
  AddCheckpoint: grpc.handleUnaryCall<_entente_federation_v1_AddCheckpointRequest__Output, _entente_federation_v1_AddCheckpointResponse>;
  
  /**
   * Stop a running task, or withdraw one awaiting approval or approved (it ends CANCELLED with
   * a signed result statement); a final task is returned unchanged. Idempotent.
   * Statuses: OK; NOT_FOUND (task_unknown); UNAUTHENTICATED (peer_unauthenticated).
   */
  CancelTask: grpc.handleUnaryCall<_entente_federation_v1_TaskRef__Output, _entente_federation_v1_Task>;
  
  /**
   * The capabilities this caller may see (filtered by the responder's card policy; a failing
   * card policy shows none), their schemas, and the receipt keys.
   * Statuses: OK; UNAUTHENTICATED (peer_unauthenticated).
   */
  GetCard: grpc.handleUnaryCall<_entente_federation_v1_GetCardRequest__Output, _entente_federation_v1_Card>;
  
  /**
   * The responder's latest checkpoint, covering every statement it has stored.
   * Statuses: OK; UNAUTHENTICATED (peer_unauthenticated).
   */
  GetCheckpoint: grpc.handleUnaryCall<_entente_federation_v1_GetCheckpointRequest__Output, _entente_federation_v1_CheckpointResponse>;
  
  /**
   * The consistency proof between two sizes of the responder's log (RFC 9162 2.1.4.1).
   * Statuses: OK; OUT_OF_RANGE (log_range); UNAUTHENTICATED.
   */
  GetConsistencyProof: grpc.handleUnaryCall<_entente_federation_v1_ConsistencyProofRequest__Output, _entente_federation_v1_ProofResponse>;
  
  /**
   * The audit path of leaf `index` in the responder's tree of `tree_size` leaves (RFC 9162
   * 2.1.3.1). Statuses: OK; OUT_OF_RANGE (log_range: index or size outside the log);
   * UNAUTHENTICATED.
   */
  GetInclusionProof: grpc.handleUnaryCall<_entente_federation_v1_InclusionProofRequest__Output, _entente_federation_v1_ProofResponse>;
  
  /**
   * The task's current state (a failed, denied or cancelled task is an OK answer).
   * Statuses: OK; NOT_FOUND (task_unknown); UNAUTHENTICATED (peer_unauthenticated).
   */
  GetTask: grpc.handleUnaryCall<_entente_federation_v1_TaskRef__Output, _entente_federation_v1_Task>;
  
  /**
   * Ask for one capability; returns once the task is final (or at the deadline). The responder
   * verifies the request statement (signed by the caller's org, about task_id, addressed to
   * the responder, same capability and purpose, input_digest = salted_digest(salt, input),
   * within iat - 60 s .. exp + 60 s), then runs inbound policy, agent, disclosure policy, and
   * signs a result statement whatever the outcome.
   * 
   * When the inbound policy holds the request for a person's approval, the responder records
   * the task and answers at once with AWAITING_APPROVAL and no result statement; the
   * requester follows it with WatchTask. An approval runs it (if the responder still holds the
   * input in memory) or marks it APPROVED: then the requester MUST submit it again, same
   * task_id, salt, request statement and content, and that call runs it. A rejection ends it
   * DENIED (approval_rejected) with a result statement.
   * 
   * Idempotent on task_id, per caller: the same id with the same content (capability, purpose,
   * canonical input) answers from the responder's record without running again (retries MUST
   * resend the same salt and request statement); with other content it is refused. A request
   * statement identical to the one stored for the task is checked against the time window as
   * of when it was first stored, so a resubmission after a long approval is not "expired".
   * 
   * Statuses (reason; "+ statement" = entente-result-statement trailer):
   * OK                  Task COMPLETED with result and result_statement; AWAITING_APPROVAL
   * (held for a person's decision; no result statement yet)
   * INVALID_ARGUMENT    request_invalid (malformed request, or request statement does not
   * verify or match); invalid_input + statement (input fails the schema)
   * RESOURCE_EXHAUSTED  payload_too_large (input too large; + statement if the result is)
   * ALREADY_EXISTS      task_conflict (task_id used with other content)
   * PERMISSION_DENIED   inbound_denied, disclosure_denied, approval_rejected + statement
   * NOT_FOUND           capability_unavailable + statement
   * INTERNAL            agent_failed, policy_error + statement; internal (+ statement if any)
   * DEADLINE_EXCEEDED   agent_timeout + statement
   * CANCELLED           cancelled + statement (CancelTask while this call waited)
   * UNAUTHENTICATED     peer_unauthenticated
   */
  SubmitTask: grpc.handleUnaryCall<_entente_federation_v1_SubmitTaskRequest__Output, _entente_federation_v1_Task>;
  
  /**
   * Follow a task: the current state, then each change of state (AWAITING_APPROVAL, RUNNING,
   * APPROVED, final) as it happens. The stream ends after a final state, after APPROVED (only
   * the requester's resubmission moves the task on), or when the responder cannot advance the
   * task (RUNNING but executing nowhere, after a restart); a stream that breaks before then is
   * resumed by calling WatchTask again.
   * Statuses: OK; NOT_FOUND (task_unknown); UNAUTHENTICATED (peer_unauthenticated).
   */
  WatchTask: grpc.handleServerStreamingCall<_entente_federation_v1_TaskRef__Output, _entente_federation_v1_Task>;
  
}

export interface FederationDefinition extends grpc.ServiceDefinition {
  Acknowledge: MethodDefinition<_entente_federation_v1_AcknowledgeRequest, _entente_federation_v1_AcknowledgeResponse, _entente_federation_v1_AcknowledgeRequest__Output, _entente_federation_v1_AcknowledgeResponse__Output>
  AcknowledgeBatch: MethodDefinition<_entente_federation_v1_AcknowledgeBatchRequest, _entente_federation_v1_AcknowledgeBatchResponse, _entente_federation_v1_AcknowledgeBatchRequest__Output, _entente_federation_v1_AcknowledgeBatchResponse__Output>
  AddCheckpoint: MethodDefinition<_entente_federation_v1_AddCheckpointRequest, _entente_federation_v1_AddCheckpointResponse, _entente_federation_v1_AddCheckpointRequest__Output, _entente_federation_v1_AddCheckpointResponse__Output>
  CancelTask: MethodDefinition<_entente_federation_v1_TaskRef, _entente_federation_v1_Task, _entente_federation_v1_TaskRef__Output, _entente_federation_v1_Task__Output>
  GetCard: MethodDefinition<_entente_federation_v1_GetCardRequest, _entente_federation_v1_Card, _entente_federation_v1_GetCardRequest__Output, _entente_federation_v1_Card__Output>
  GetCheckpoint: MethodDefinition<_entente_federation_v1_GetCheckpointRequest, _entente_federation_v1_CheckpointResponse, _entente_federation_v1_GetCheckpointRequest__Output, _entente_federation_v1_CheckpointResponse__Output>
  GetConsistencyProof: MethodDefinition<_entente_federation_v1_ConsistencyProofRequest, _entente_federation_v1_ProofResponse, _entente_federation_v1_ConsistencyProofRequest__Output, _entente_federation_v1_ProofResponse__Output>
  GetInclusionProof: MethodDefinition<_entente_federation_v1_InclusionProofRequest, _entente_federation_v1_ProofResponse, _entente_federation_v1_InclusionProofRequest__Output, _entente_federation_v1_ProofResponse__Output>
  GetTask: MethodDefinition<_entente_federation_v1_TaskRef, _entente_federation_v1_Task, _entente_federation_v1_TaskRef__Output, _entente_federation_v1_Task__Output>
  SubmitTask: MethodDefinition<_entente_federation_v1_SubmitTaskRequest, _entente_federation_v1_Task, _entente_federation_v1_SubmitTaskRequest__Output, _entente_federation_v1_Task__Output>
  WatchTask: MethodDefinition<_entente_federation_v1_TaskRef, _entente_federation_v1_Task, _entente_federation_v1_TaskRef__Output, _entente_federation_v1_Task__Output>
}
