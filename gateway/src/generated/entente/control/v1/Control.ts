// Original file: proto/entente/control/v1/control.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Approval as _entente_control_v1_Approval, Approval__Output as _entente_control_v1_Approval__Output } from '../../../entente/control/v1/Approval.js';
import type { AuditChunk as _entente_control_v1_AuditChunk, AuditChunk__Output as _entente_control_v1_AuditChunk__Output } from '../../../entente/control/v1/AuditChunk.js';
import type { CallRequest as _entente_control_v1_CallRequest, CallRequest__Output as _entente_control_v1_CallRequest__Output } from '../../../entente/control/v1/CallRequest.js';
import type { CallResponse as _entente_control_v1_CallResponse, CallResponse__Output as _entente_control_v1_CallResponse__Output } from '../../../entente/control/v1/CallResponse.js';
import type { CancelRunRequest as _entente_control_v1_CancelRunRequest, CancelRunRequest__Output as _entente_control_v1_CancelRunRequest__Output } from '../../../entente/control/v1/CancelRunRequest.js';
import type { DecideApprovalRequest as _entente_control_v1_DecideApprovalRequest, DecideApprovalRequest__Output as _entente_control_v1_DecideApprovalRequest__Output } from '../../../entente/control/v1/DecideApprovalRequest.js';
import type { ExportAuditRequest as _entente_control_v1_ExportAuditRequest, ExportAuditRequest__Output as _entente_control_v1_ExportAuditRequest__Output } from '../../../entente/control/v1/ExportAuditRequest.js';
import type { GetReceiptsRequest as _entente_control_v1_GetReceiptsRequest, GetReceiptsRequest__Output as _entente_control_v1_GetReceiptsRequest__Output } from '../../../entente/control/v1/GetReceiptsRequest.js';
import type { GetReceiptsResponse as _entente_control_v1_GetReceiptsResponse, GetReceiptsResponse__Output as _entente_control_v1_GetReceiptsResponse__Output } from '../../../entente/control/v1/GetReceiptsResponse.js';
import type { GetRunRequest as _entente_control_v1_GetRunRequest, GetRunRequest__Output as _entente_control_v1_GetRunRequest__Output } from '../../../entente/control/v1/GetRunRequest.js';
import type { GetStatusRequest as _entente_control_v1_GetStatusRequest, GetStatusRequest__Output as _entente_control_v1_GetStatusRequest__Output } from '../../../entente/control/v1/GetStatusRequest.js';
import type { ListApprovalsRequest as _entente_control_v1_ListApprovalsRequest, ListApprovalsRequest__Output as _entente_control_v1_ListApprovalsRequest__Output } from '../../../entente/control/v1/ListApprovalsRequest.js';
import type { ListApprovalsResponse as _entente_control_v1_ListApprovalsResponse, ListApprovalsResponse__Output as _entente_control_v1_ListApprovalsResponse__Output } from '../../../entente/control/v1/ListApprovalsResponse.js';
import type { ListRunsRequest as _entente_control_v1_ListRunsRequest, ListRunsRequest__Output as _entente_control_v1_ListRunsRequest__Output } from '../../../entente/control/v1/ListRunsRequest.js';
import type { ListRunsResponse as _entente_control_v1_ListRunsResponse, ListRunsResponse__Output as _entente_control_v1_ListRunsResponse__Output } from '../../../entente/control/v1/ListRunsResponse.js';
import type { ListTasksRequest as _entente_control_v1_ListTasksRequest, ListTasksRequest__Output as _entente_control_v1_ListTasksRequest__Output } from '../../../entente/control/v1/ListTasksRequest.js';
import type { ListTasksResponse as _entente_control_v1_ListTasksResponse, ListTasksResponse__Output as _entente_control_v1_ListTasksResponse__Output } from '../../../entente/control/v1/ListTasksResponse.js';
import type { Run as _entente_control_v1_Run, Run__Output as _entente_control_v1_Run__Output } from '../../../entente/control/v1/Run.js';
import type { RunEvent as _entente_control_v1_RunEvent, RunEvent__Output as _entente_control_v1_RunEvent__Output } from '../../../entente/control/v1/RunEvent.js';
import type { StartRunRequest as _entente_control_v1_StartRunRequest, StartRunRequest__Output as _entente_control_v1_StartRunRequest__Output } from '../../../entente/control/v1/StartRunRequest.js';
import type { Status as _entente_control_v1_Status, Status__Output as _entente_control_v1_Status__Output } from '../../../entente/control/v1/Status.js';
import type { WatchRunRequest as _entente_control_v1_WatchRunRequest, WatchRunRequest__Output as _entente_control_v1_WatchRunRequest__Output } from '../../../entente/control/v1/WatchRunRequest.js';

export interface ControlClient extends grpc.Client {
  /**
   * Calls one capability at a partner, executed by this gateway: its outbound policy, its
   * request statement, the partner's inbound and disclosure policies, the co-signed receipts.
   * A denial or a failure at the partner is an OK response with that status and its reason;
   * an error status means the call could not be made (unknown partner: NOT_FOUND; malformed
   * arguments or input: INVALID_ARGUMENT; a task_id reused with other content: ALREADY_EXISTS).
   * Roles: app, operator.
   */
  Call(argument: _entente_control_v1_CallRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_CallResponse__Output>): grpc.ClientUnaryCall;
  Call(argument: _entente_control_v1_CallRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_control_v1_CallResponse__Output>): grpc.ClientUnaryCall;
  Call(argument: _entente_control_v1_CallRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_CallResponse__Output>): grpc.ClientUnaryCall;
  Call(argument: _entente_control_v1_CallRequest, callback: grpc.requestCallback<_entente_control_v1_CallResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Calls one capability at a partner, executed by this gateway: its outbound policy, its
   * request statement, the partner's inbound and disclosure policies, the co-signed receipts.
   * A denial or a failure at the partner is an OK response with that status and its reason;
   * an error status means the call could not be made (unknown partner: NOT_FOUND; malformed
   * arguments or input: INVALID_ARGUMENT; a task_id reused with other content: ALREADY_EXISTS).
   * Roles: app, operator.
   */
  call(argument: _entente_control_v1_CallRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_CallResponse__Output>): grpc.ClientUnaryCall;
  call(argument: _entente_control_v1_CallRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_control_v1_CallResponse__Output>): grpc.ClientUnaryCall;
  call(argument: _entente_control_v1_CallRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_CallResponse__Output>): grpc.ClientUnaryCall;
  call(argument: _entente_control_v1_CallRequest, callback: grpc.requestCallback<_entente_control_v1_CallResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Asks a run to stop: steps in flight are cancelled (at partners too) and completed steps with
   * a `compensate` are undone; the run then finishes as cancelled. Answers with the run's state
   * once the request is durable, usually before the run has finished (WatchRun follows it).
   * NOT_FOUND for a run this gateway does not hold; INVALID_ARGUMENT without a reason.
   * Roles: app, operator.
   */
  CancelRun(argument: _entente_control_v1_CancelRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  CancelRun(argument: _entente_control_v1_CancelRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  CancelRun(argument: _entente_control_v1_CancelRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  CancelRun(argument: _entente_control_v1_CancelRunRequest, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  /**
   * Asks a run to stop: steps in flight are cancelled (at partners too) and completed steps with
   * a `compensate` are undone; the run then finishes as cancelled. Answers with the run's state
   * once the request is durable, usually before the run has finished (WatchRun follows it).
   * NOT_FOUND for a run this gateway does not hold; INVALID_ARGUMENT without a reason.
   * Roles: app, operator.
   */
  cancelRun(argument: _entente_control_v1_CancelRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  cancelRun(argument: _entente_control_v1_CancelRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  cancelRun(argument: _entente_control_v1_CancelRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  cancelRun(argument: _entente_control_v1_CancelRunRequest, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  
  /**
   * Records a person's decision, made by the caller (the client certificate's name, `local` on
   * the socket), and lets the run or the task go on; answers with the approval as decided.
   * NOT_FOUND (APPROVAL_UNKNOWN) for an approval this gateway does not hold; FAILED_PRECONDITION
   * (APPROVAL_DECIDED) for one already decided (by a person, or by its timeout), naming how and
   * by whom; INVALID_ARGUMENT for a missing reason or a decision the approval does not take
   * (APPROVAL_DECISION_INVALID). Roles: approver, operator.
   */
  DecideApproval(argument: _entente_control_v1_DecideApprovalRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_Approval__Output>): grpc.ClientUnaryCall;
  DecideApproval(argument: _entente_control_v1_DecideApprovalRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_control_v1_Approval__Output>): grpc.ClientUnaryCall;
  DecideApproval(argument: _entente_control_v1_DecideApprovalRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_Approval__Output>): grpc.ClientUnaryCall;
  DecideApproval(argument: _entente_control_v1_DecideApprovalRequest, callback: grpc.requestCallback<_entente_control_v1_Approval__Output>): grpc.ClientUnaryCall;
  /**
   * Records a person's decision, made by the caller (the client certificate's name, `local` on
   * the socket), and lets the run or the task go on; answers with the approval as decided.
   * NOT_FOUND (APPROVAL_UNKNOWN) for an approval this gateway does not hold; FAILED_PRECONDITION
   * (APPROVAL_DECIDED) for one already decided (by a person, or by its timeout), naming how and
   * by whom; INVALID_ARGUMENT for a missing reason or a decision the approval does not take
   * (APPROVAL_DECISION_INVALID). Roles: approver, operator.
   */
  decideApproval(argument: _entente_control_v1_DecideApprovalRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_Approval__Output>): grpc.ClientUnaryCall;
  decideApproval(argument: _entente_control_v1_DecideApprovalRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_control_v1_Approval__Output>): grpc.ClientUnaryCall;
  decideApproval(argument: _entente_control_v1_DecideApprovalRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_Approval__Output>): grpc.ClientUnaryCall;
  decideApproval(argument: _entente_control_v1_DecideApprovalRequest, callback: grpc.requestCallback<_entente_control_v1_Approval__Output>): grpc.ClientUnaryCall;
  
  /**
   * An audit bundle of this gateway's log (docs/audit.md section 4), for `entente audit verify`
   * and `reconcile`: the selected tasks' statements with inclusion proofs to a checkpoint
   * signed now, the earlier checkpoints with partners' cosignatures, keys, the partners'
   * checkpoints witnessed here, alarms. Streamed in chunks: their data, concatenated, is the
   * bundle's UTF-8 JSON. INVALID_ARGUMENT for a since/until that is not RFC 3339 or an
   * unknown partner. Roles: auditor, operator.
   */
  ExportAudit(argument: _entente_control_v1_ExportAuditRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_entente_control_v1_AuditChunk__Output>;
  ExportAudit(argument: _entente_control_v1_ExportAuditRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_entente_control_v1_AuditChunk__Output>;
  /**
   * An audit bundle of this gateway's log (docs/audit.md section 4), for `entente audit verify`
   * and `reconcile`: the selected tasks' statements with inclusion proofs to a checkpoint
   * signed now, the earlier checkpoints with partners' cosignatures, keys, the partners'
   * checkpoints witnessed here, alarms. Streamed in chunks: their data, concatenated, is the
   * bundle's UTF-8 JSON. INVALID_ARGUMENT for a since/until that is not RFC 3339 or an
   * unknown partner. Roles: auditor, operator.
   */
  exportAudit(argument: _entente_control_v1_ExportAuditRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_entente_control_v1_AuditChunk__Output>;
  exportAudit(argument: _entente_control_v1_ExportAuditRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_entente_control_v1_AuditChunk__Output>;
  
  /**
   * A task's receipt statements as stored here, each verified against its signer's keys.
   * NOT_FOUND if this gateway holds no such task. Roles: auditor, operator.
   */
  GetReceipts(argument: _entente_control_v1_GetReceiptsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_GetReceiptsResponse__Output>): grpc.ClientUnaryCall;
  GetReceipts(argument: _entente_control_v1_GetReceiptsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_control_v1_GetReceiptsResponse__Output>): grpc.ClientUnaryCall;
  GetReceipts(argument: _entente_control_v1_GetReceiptsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_GetReceiptsResponse__Output>): grpc.ClientUnaryCall;
  GetReceipts(argument: _entente_control_v1_GetReceiptsRequest, callback: grpc.requestCallback<_entente_control_v1_GetReceiptsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A task's receipt statements as stored here, each verified against its signer's keys.
   * NOT_FOUND if this gateway holds no such task. Roles: auditor, operator.
   */
  getReceipts(argument: _entente_control_v1_GetReceiptsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_GetReceiptsResponse__Output>): grpc.ClientUnaryCall;
  getReceipts(argument: _entente_control_v1_GetReceiptsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_control_v1_GetReceiptsResponse__Output>): grpc.ClientUnaryCall;
  getReceipts(argument: _entente_control_v1_GetReceiptsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_GetReceiptsResponse__Output>): grpc.ClientUnaryCall;
  getReceipts(argument: _entente_control_v1_GetReceiptsRequest, callback: grpc.requestCallback<_entente_control_v1_GetReceiptsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A run's state: its status, each step's, and its output once completed; with `wait`, once
   * it has finished. NOT_FOUND for a run this gateway does not hold. Roles: app, auditor, operator.
   */
  GetRun(argument: _entente_control_v1_GetRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  GetRun(argument: _entente_control_v1_GetRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  GetRun(argument: _entente_control_v1_GetRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  GetRun(argument: _entente_control_v1_GetRunRequest, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  /**
   * A run's state: its status, each step's, and its output once completed; with `wait`, once
   * it has finished. NOT_FOUND for a run this gateway does not hold. Roles: app, auditor, operator.
   */
  getRun(argument: _entente_control_v1_GetRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  getRun(argument: _entente_control_v1_GetRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  getRun(argument: _entente_control_v1_GetRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  getRun(argument: _entente_control_v1_GetRunRequest, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  
  /**
   * Who this gateway is and how it is doing: org, policy revision, agents and capabilities,
   * partners with their last-seen reachability and certificate expiry. Roles: auditor, operator.
   */
  GetStatus(argument: _entente_control_v1_GetStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_Status__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _entente_control_v1_GetStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_control_v1_Status__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _entente_control_v1_GetStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_Status__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _entente_control_v1_GetStatusRequest, callback: grpc.requestCallback<_entente_control_v1_Status__Output>): grpc.ClientUnaryCall;
  /**
   * Who this gateway is and how it is doing: org, policy revision, agents and capabilities,
   * partners with their last-seen reachability and certificate expiry. Roles: auditor, operator.
   */
  getStatus(argument: _entente_control_v1_GetStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_Status__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _entente_control_v1_GetStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_control_v1_Status__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _entente_control_v1_GetStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_Status__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _entente_control_v1_GetStatusRequest, callback: grpc.requestCallback<_entente_control_v1_Status__Output>): grpc.ClientUnaryCall;
  
  /**
   * The decisions waiting for a person: approval steps and escalations of runs, and partners'
   * tasks our inbound policy holds for approval. Roles: approver, auditor, operator.
   */
  ListApprovals(argument: _entente_control_v1_ListApprovalsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_ListApprovalsResponse__Output>): grpc.ClientUnaryCall;
  ListApprovals(argument: _entente_control_v1_ListApprovalsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_control_v1_ListApprovalsResponse__Output>): grpc.ClientUnaryCall;
  ListApprovals(argument: _entente_control_v1_ListApprovalsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_ListApprovalsResponse__Output>): grpc.ClientUnaryCall;
  ListApprovals(argument: _entente_control_v1_ListApprovalsRequest, callback: grpc.requestCallback<_entente_control_v1_ListApprovalsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The decisions waiting for a person: approval steps and escalations of runs, and partners'
   * tasks our inbound policy holds for approval. Roles: approver, auditor, operator.
   */
  listApprovals(argument: _entente_control_v1_ListApprovalsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_ListApprovalsResponse__Output>): grpc.ClientUnaryCall;
  listApprovals(argument: _entente_control_v1_ListApprovalsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_control_v1_ListApprovalsResponse__Output>): grpc.ClientUnaryCall;
  listApprovals(argument: _entente_control_v1_ListApprovalsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_ListApprovalsResponse__Output>): grpc.ClientUnaryCall;
  listApprovals(argument: _entente_control_v1_ListApprovalsRequest, callback: grpc.requestCallback<_entente_control_v1_ListApprovalsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The runs this gateway holds, newest first, optionally of one status. INVALID_ARGUMENT for an
   * unknown status or a page_token this gateway did not issue. Roles: app, auditor, operator.
   */
  ListRuns(argument: _entente_control_v1_ListRunsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
  ListRuns(argument: _entente_control_v1_ListRunsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_control_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
  ListRuns(argument: _entente_control_v1_ListRunsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
  ListRuns(argument: _entente_control_v1_ListRunsRequest, callback: grpc.requestCallback<_entente_control_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The runs this gateway holds, newest first, optionally of one status. INVALID_ARGUMENT for an
   * unknown status or a page_token this gateway did not issue. Roles: app, auditor, operator.
   */
  listRuns(argument: _entente_control_v1_ListRunsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
  listRuns(argument: _entente_control_v1_ListRunsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_control_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
  listRuns(argument: _entente_control_v1_ListRunsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
  listRuns(argument: _entente_control_v1_ListRunsRequest, callback: grpc.requestCallback<_entente_control_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The tasks this gateway holds (as requester and as responder), newest first, with the state
   * of their receipts. Roles: app, auditor, operator.
   */
  ListTasks(argument: _entente_control_v1_ListTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _entente_control_v1_ListTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_control_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _entente_control_v1_ListTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _entente_control_v1_ListTasksRequest, callback: grpc.requestCallback<_entente_control_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The tasks this gateway holds (as requester and as responder), newest first, with the state
   * of their receipts. Roles: app, auditor, operator.
   */
  listTasks(argument: _entente_control_v1_ListTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _entente_control_v1_ListTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_control_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _entente_control_v1_ListTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _entente_control_v1_ListTasksRequest, callback: grpc.requestCallback<_entente_control_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Starts a run of a workflow, given as YAML or JSON text, checked against this gateway's
   * agents and partners first: INVALID_ARGUMENT lists every problem with its location, and
   * nothing runs. The run is durable when this returns. Roles: app, operator.
   */
  StartRun(argument: _entente_control_v1_StartRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  StartRun(argument: _entente_control_v1_StartRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  StartRun(argument: _entente_control_v1_StartRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  StartRun(argument: _entente_control_v1_StartRunRequest, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  /**
   * Starts a run of a workflow, given as YAML or JSON text, checked against this gateway's
   * agents and partners first: INVALID_ARGUMENT lists every problem with its location, and
   * nothing runs. The run is durable when this returns. Roles: app, operator.
   */
  startRun(argument: _entente_control_v1_StartRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  startRun(argument: _entente_control_v1_StartRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  startRun(argument: _entente_control_v1_StartRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  startRun(argument: _entente_control_v1_StartRunRequest, callback: grpc.requestCallback<_entente_control_v1_Run__Output>): grpc.ClientUnaryCall;
  
  /**
   * A run's events as they happen, from `from_seq` on, each with the run's state after it. The
   * stream ends after the run_finished event (at once, after replaying the log, for a run that
   * has finished); cancelling the call stops the watch, not the run. NOT_FOUND for a run this
   * gateway does not hold. Roles: app, auditor, operator.
   */
  WatchRun(argument: _entente_control_v1_WatchRunRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_entente_control_v1_RunEvent__Output>;
  WatchRun(argument: _entente_control_v1_WatchRunRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_entente_control_v1_RunEvent__Output>;
  /**
   * A run's events as they happen, from `from_seq` on, each with the run's state after it. The
   * stream ends after the run_finished event (at once, after replaying the log, for a run that
   * has finished); cancelling the call stops the watch, not the run. NOT_FOUND for a run this
   * gateway does not hold. Roles: app, auditor, operator.
   */
  watchRun(argument: _entente_control_v1_WatchRunRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_entente_control_v1_RunEvent__Output>;
  watchRun(argument: _entente_control_v1_WatchRunRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_entente_control_v1_RunEvent__Output>;
  
}

export interface ControlHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Calls one capability at a partner, executed by this gateway: its outbound policy, its
   * request statement, the partner's inbound and disclosure policies, the co-signed receipts.
   * A denial or a failure at the partner is an OK response with that status and its reason;
   * an error status means the call could not be made (unknown partner: NOT_FOUND; malformed
   * arguments or input: INVALID_ARGUMENT; a task_id reused with other content: ALREADY_EXISTS).
   * Roles: app, operator.
   */
  Call: grpc.handleUnaryCall<_entente_control_v1_CallRequest__Output, _entente_control_v1_CallResponse>;
  
  /**
   * Asks a run to stop: steps in flight are cancelled (at partners too) and completed steps with
   * a `compensate` are undone; the run then finishes as cancelled. Answers with the run's state
   * once the request is durable, usually before the run has finished (WatchRun follows it).
   * NOT_FOUND for a run this gateway does not hold; INVALID_ARGUMENT without a reason.
   * Roles: app, operator.
   */
  CancelRun: grpc.handleUnaryCall<_entente_control_v1_CancelRunRequest__Output, _entente_control_v1_Run>;
  
  /**
   * Records a person's decision, made by the caller (the client certificate's name, `local` on
   * the socket), and lets the run or the task go on; answers with the approval as decided.
   * NOT_FOUND (APPROVAL_UNKNOWN) for an approval this gateway does not hold; FAILED_PRECONDITION
   * (APPROVAL_DECIDED) for one already decided (by a person, or by its timeout), naming how and
   * by whom; INVALID_ARGUMENT for a missing reason or a decision the approval does not take
   * (APPROVAL_DECISION_INVALID). Roles: approver, operator.
   */
  DecideApproval: grpc.handleUnaryCall<_entente_control_v1_DecideApprovalRequest__Output, _entente_control_v1_Approval>;
  
  /**
   * An audit bundle of this gateway's log (docs/audit.md section 4), for `entente audit verify`
   * and `reconcile`: the selected tasks' statements with inclusion proofs to a checkpoint
   * signed now, the earlier checkpoints with partners' cosignatures, keys, the partners'
   * checkpoints witnessed here, alarms. Streamed in chunks: their data, concatenated, is the
   * bundle's UTF-8 JSON. INVALID_ARGUMENT for a since/until that is not RFC 3339 or an
   * unknown partner. Roles: auditor, operator.
   */
  ExportAudit: grpc.handleServerStreamingCall<_entente_control_v1_ExportAuditRequest__Output, _entente_control_v1_AuditChunk>;
  
  /**
   * A task's receipt statements as stored here, each verified against its signer's keys.
   * NOT_FOUND if this gateway holds no such task. Roles: auditor, operator.
   */
  GetReceipts: grpc.handleUnaryCall<_entente_control_v1_GetReceiptsRequest__Output, _entente_control_v1_GetReceiptsResponse>;
  
  /**
   * A run's state: its status, each step's, and its output once completed; with `wait`, once
   * it has finished. NOT_FOUND for a run this gateway does not hold. Roles: app, auditor, operator.
   */
  GetRun: grpc.handleUnaryCall<_entente_control_v1_GetRunRequest__Output, _entente_control_v1_Run>;
  
  /**
   * Who this gateway is and how it is doing: org, policy revision, agents and capabilities,
   * partners with their last-seen reachability and certificate expiry. Roles: auditor, operator.
   */
  GetStatus: grpc.handleUnaryCall<_entente_control_v1_GetStatusRequest__Output, _entente_control_v1_Status>;
  
  /**
   * The decisions waiting for a person: approval steps and escalations of runs, and partners'
   * tasks our inbound policy holds for approval. Roles: approver, auditor, operator.
   */
  ListApprovals: grpc.handleUnaryCall<_entente_control_v1_ListApprovalsRequest__Output, _entente_control_v1_ListApprovalsResponse>;
  
  /**
   * The runs this gateway holds, newest first, optionally of one status. INVALID_ARGUMENT for an
   * unknown status or a page_token this gateway did not issue. Roles: app, auditor, operator.
   */
  ListRuns: grpc.handleUnaryCall<_entente_control_v1_ListRunsRequest__Output, _entente_control_v1_ListRunsResponse>;
  
  /**
   * The tasks this gateway holds (as requester and as responder), newest first, with the state
   * of their receipts. Roles: app, auditor, operator.
   */
  ListTasks: grpc.handleUnaryCall<_entente_control_v1_ListTasksRequest__Output, _entente_control_v1_ListTasksResponse>;
  
  /**
   * Starts a run of a workflow, given as YAML or JSON text, checked against this gateway's
   * agents and partners first: INVALID_ARGUMENT lists every problem with its location, and
   * nothing runs. The run is durable when this returns. Roles: app, operator.
   */
  StartRun: grpc.handleUnaryCall<_entente_control_v1_StartRunRequest__Output, _entente_control_v1_Run>;
  
  /**
   * A run's events as they happen, from `from_seq` on, each with the run's state after it. The
   * stream ends after the run_finished event (at once, after replaying the log, for a run that
   * has finished); cancelling the call stops the watch, not the run. NOT_FOUND for a run this
   * gateway does not hold. Roles: app, auditor, operator.
   */
  WatchRun: grpc.handleServerStreamingCall<_entente_control_v1_WatchRunRequest__Output, _entente_control_v1_RunEvent>;
  
}

export interface ControlDefinition extends grpc.ServiceDefinition {
  Call: MethodDefinition<_entente_control_v1_CallRequest, _entente_control_v1_CallResponse, _entente_control_v1_CallRequest__Output, _entente_control_v1_CallResponse__Output>
  CancelRun: MethodDefinition<_entente_control_v1_CancelRunRequest, _entente_control_v1_Run, _entente_control_v1_CancelRunRequest__Output, _entente_control_v1_Run__Output>
  DecideApproval: MethodDefinition<_entente_control_v1_DecideApprovalRequest, _entente_control_v1_Approval, _entente_control_v1_DecideApprovalRequest__Output, _entente_control_v1_Approval__Output>
  ExportAudit: MethodDefinition<_entente_control_v1_ExportAuditRequest, _entente_control_v1_AuditChunk, _entente_control_v1_ExportAuditRequest__Output, _entente_control_v1_AuditChunk__Output>
  GetReceipts: MethodDefinition<_entente_control_v1_GetReceiptsRequest, _entente_control_v1_GetReceiptsResponse, _entente_control_v1_GetReceiptsRequest__Output, _entente_control_v1_GetReceiptsResponse__Output>
  GetRun: MethodDefinition<_entente_control_v1_GetRunRequest, _entente_control_v1_Run, _entente_control_v1_GetRunRequest__Output, _entente_control_v1_Run__Output>
  GetStatus: MethodDefinition<_entente_control_v1_GetStatusRequest, _entente_control_v1_Status, _entente_control_v1_GetStatusRequest__Output, _entente_control_v1_Status__Output>
  ListApprovals: MethodDefinition<_entente_control_v1_ListApprovalsRequest, _entente_control_v1_ListApprovalsResponse, _entente_control_v1_ListApprovalsRequest__Output, _entente_control_v1_ListApprovalsResponse__Output>
  ListRuns: MethodDefinition<_entente_control_v1_ListRunsRequest, _entente_control_v1_ListRunsResponse, _entente_control_v1_ListRunsRequest__Output, _entente_control_v1_ListRunsResponse__Output>
  ListTasks: MethodDefinition<_entente_control_v1_ListTasksRequest, _entente_control_v1_ListTasksResponse, _entente_control_v1_ListTasksRequest__Output, _entente_control_v1_ListTasksResponse__Output>
  StartRun: MethodDefinition<_entente_control_v1_StartRunRequest, _entente_control_v1_Run, _entente_control_v1_StartRunRequest__Output, _entente_control_v1_Run__Output>
  WatchRun: MethodDefinition<_entente_control_v1_WatchRunRequest, _entente_control_v1_RunEvent, _entente_control_v1_WatchRunRequest__Output, _entente_control_v1_RunEvent__Output>
}
