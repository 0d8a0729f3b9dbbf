import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AckStatus as _entente_control_v1_AckStatus, AckStatus__Output as _entente_control_v1_AckStatus__Output } from './entente/control/v1/AckStatus.js';
import type { Approval as _entente_control_v1_Approval, Approval__Output as _entente_control_v1_Approval__Output } from './entente/control/v1/Approval.js';
import type { ApprovalTask as _entente_control_v1_ApprovalTask, ApprovalTask__Output as _entente_control_v1_ApprovalTask__Output } from './entente/control/v1/ApprovalTask.js';
import type { AuditChunk as _entente_control_v1_AuditChunk, AuditChunk__Output as _entente_control_v1_AuditChunk__Output } from './entente/control/v1/AuditChunk.js';
import type { AuditLogStatus as _entente_control_v1_AuditLogStatus, AuditLogStatus__Output as _entente_control_v1_AuditLogStatus__Output } from './entente/control/v1/AuditLogStatus.js';
import type { CallRequest as _entente_control_v1_CallRequest, CallRequest__Output as _entente_control_v1_CallRequest__Output } from './entente/control/v1/CallRequest.js';
import type { CallResponse as _entente_control_v1_CallResponse, CallResponse__Output as _entente_control_v1_CallResponse__Output } from './entente/control/v1/CallResponse.js';
import type { CancelRunRequest as _entente_control_v1_CancelRunRequest, CancelRunRequest__Output as _entente_control_v1_CancelRunRequest__Output } from './entente/control/v1/CancelRunRequest.js';
import type { CapabilityStatus as _entente_control_v1_CapabilityStatus, CapabilityStatus__Output as _entente_control_v1_CapabilityStatus__Output } from './entente/control/v1/CapabilityStatus.js';
import type { Compensation as _entente_control_v1_Compensation, Compensation__Output as _entente_control_v1_Compensation__Output } from './entente/control/v1/Compensation.js';
import type { ControlClient as _entente_control_v1_ControlClient, ControlDefinition as _entente_control_v1_ControlDefinition } from './entente/control/v1/Control.js';
import type { DecideApprovalRequest as _entente_control_v1_DecideApprovalRequest, DecideApprovalRequest__Output as _entente_control_v1_DecideApprovalRequest__Output } from './entente/control/v1/DecideApprovalRequest.js';
import type { Decision as _entente_control_v1_Decision, Decision__Output as _entente_control_v1_Decision__Output } from './entente/control/v1/Decision.js';
import type { ExportAuditRequest as _entente_control_v1_ExportAuditRequest, ExportAuditRequest__Output as _entente_control_v1_ExportAuditRequest__Output } from './entente/control/v1/ExportAuditRequest.js';
import type { ForeachItem as _entente_control_v1_ForeachItem, ForeachItem__Output as _entente_control_v1_ForeachItem__Output } from './entente/control/v1/ForeachItem.js';
import type { GetReceiptsRequest as _entente_control_v1_GetReceiptsRequest, GetReceiptsRequest__Output as _entente_control_v1_GetReceiptsRequest__Output } from './entente/control/v1/GetReceiptsRequest.js';
import type { GetReceiptsResponse as _entente_control_v1_GetReceiptsResponse, GetReceiptsResponse__Output as _entente_control_v1_GetReceiptsResponse__Output } from './entente/control/v1/GetReceiptsResponse.js';
import type { GetRunRequest as _entente_control_v1_GetRunRequest, GetRunRequest__Output as _entente_control_v1_GetRunRequest__Output } from './entente/control/v1/GetRunRequest.js';
import type { GetStatusRequest as _entente_control_v1_GetStatusRequest, GetStatusRequest__Output as _entente_control_v1_GetStatusRequest__Output } from './entente/control/v1/GetStatusRequest.js';
import type { ListApprovalsRequest as _entente_control_v1_ListApprovalsRequest, ListApprovalsRequest__Output as _entente_control_v1_ListApprovalsRequest__Output } from './entente/control/v1/ListApprovalsRequest.js';
import type { ListApprovalsResponse as _entente_control_v1_ListApprovalsResponse, ListApprovalsResponse__Output as _entente_control_v1_ListApprovalsResponse__Output } from './entente/control/v1/ListApprovalsResponse.js';
import type { ListRunsRequest as _entente_control_v1_ListRunsRequest, ListRunsRequest__Output as _entente_control_v1_ListRunsRequest__Output } from './entente/control/v1/ListRunsRequest.js';
import type { ListRunsResponse as _entente_control_v1_ListRunsResponse, ListRunsResponse__Output as _entente_control_v1_ListRunsResponse__Output } from './entente/control/v1/ListRunsResponse.js';
import type { ListTasksRequest as _entente_control_v1_ListTasksRequest, ListTasksRequest__Output as _entente_control_v1_ListTasksRequest__Output } from './entente/control/v1/ListTasksRequest.js';
import type { ListTasksResponse as _entente_control_v1_ListTasksResponse, ListTasksResponse__Output as _entente_control_v1_ListTasksResponse__Output } from './entente/control/v1/ListTasksResponse.js';
import type { LogAlarm as _entente_control_v1_LogAlarm, LogAlarm__Output as _entente_control_v1_LogAlarm__Output } from './entente/control/v1/LogAlarm.js';
import type { PartnerStatus as _entente_control_v1_PartnerStatus, PartnerStatus__Output as _entente_control_v1_PartnerStatus__Output } from './entente/control/v1/PartnerStatus.js';
import type { ProcessStatus as _entente_control_v1_ProcessStatus, ProcessStatus__Output as _entente_control_v1_ProcessStatus__Output } from './entente/control/v1/ProcessStatus.js';
import type { Receipts as _entente_control_v1_Receipts, Receipts__Output as _entente_control_v1_Receipts__Output } from './entente/control/v1/Receipts.js';
import type { Run as _entente_control_v1_Run, Run__Output as _entente_control_v1_Run__Output } from './entente/control/v1/Run.js';
import type { RunEvent as _entente_control_v1_RunEvent, RunEvent__Output as _entente_control_v1_RunEvent__Output } from './entente/control/v1/RunEvent.js';
import type { RunSummary as _entente_control_v1_RunSummary, RunSummary__Output as _entente_control_v1_RunSummary__Output } from './entente/control/v1/RunSummary.js';
import type { StartRunRequest as _entente_control_v1_StartRunRequest, StartRunRequest__Output as _entente_control_v1_StartRunRequest__Output } from './entente/control/v1/StartRunRequest.js';
import type { Statement as _entente_control_v1_Statement, Statement__Output as _entente_control_v1_Statement__Output } from './entente/control/v1/Statement.js';
import type { Status as _entente_control_v1_Status, Status__Output as _entente_control_v1_Status__Output } from './entente/control/v1/Status.js';
import type { StepRun as _entente_control_v1_StepRun, StepRun__Output as _entente_control_v1_StepRun__Output } from './entente/control/v1/StepRun.js';
import type { TaskReceipts as _entente_control_v1_TaskReceipts, TaskReceipts__Output as _entente_control_v1_TaskReceipts__Output } from './entente/control/v1/TaskReceipts.js';
import type { TaskSummary as _entente_control_v1_TaskSummary, TaskSummary__Output as _entente_control_v1_TaskSummary__Output } from './entente/control/v1/TaskSummary.js';
import type { Verification as _entente_control_v1_Verification, Verification__Output as _entente_control_v1_Verification__Output } from './entente/control/v1/Verification.js';
import type { WatchRunRequest as _entente_control_v1_WatchRunRequest, WatchRunRequest__Output as _entente_control_v1_WatchRunRequest__Output } from './entente/control/v1/WatchRunRequest.js';
import type { WitnessedLog as _entente_control_v1_WitnessedLog, WitnessedLog__Output as _entente_control_v1_WitnessedLog__Output } from './entente/control/v1/WitnessedLog.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  entente: {
    control: {
      v1: {
        AckStatus: MessageTypeDefinition<_entente_control_v1_AckStatus, _entente_control_v1_AckStatus__Output>
        Approval: MessageTypeDefinition<_entente_control_v1_Approval, _entente_control_v1_Approval__Output>
        ApprovalTask: MessageTypeDefinition<_entente_control_v1_ApprovalTask, _entente_control_v1_ApprovalTask__Output>
        AuditChunk: MessageTypeDefinition<_entente_control_v1_AuditChunk, _entente_control_v1_AuditChunk__Output>
        AuditLogStatus: MessageTypeDefinition<_entente_control_v1_AuditLogStatus, _entente_control_v1_AuditLogStatus__Output>
        CallRequest: MessageTypeDefinition<_entente_control_v1_CallRequest, _entente_control_v1_CallRequest__Output>
        CallResponse: MessageTypeDefinition<_entente_control_v1_CallResponse, _entente_control_v1_CallResponse__Output>
        CancelRunRequest: MessageTypeDefinition<_entente_control_v1_CancelRunRequest, _entente_control_v1_CancelRunRequest__Output>
        CapabilityStatus: MessageTypeDefinition<_entente_control_v1_CapabilityStatus, _entente_control_v1_CapabilityStatus__Output>
        Compensation: MessageTypeDefinition<_entente_control_v1_Compensation, _entente_control_v1_Compensation__Output>
        Control: SubtypeConstructor<typeof grpc.Client, _entente_control_v1_ControlClient> & { service: _entente_control_v1_ControlDefinition }
        DecideApprovalRequest: MessageTypeDefinition<_entente_control_v1_DecideApprovalRequest, _entente_control_v1_DecideApprovalRequest__Output>
        Decision: MessageTypeDefinition<_entente_control_v1_Decision, _entente_control_v1_Decision__Output>
        ExportAuditRequest: MessageTypeDefinition<_entente_control_v1_ExportAuditRequest, _entente_control_v1_ExportAuditRequest__Output>
        ForeachItem: MessageTypeDefinition<_entente_control_v1_ForeachItem, _entente_control_v1_ForeachItem__Output>
        GetReceiptsRequest: MessageTypeDefinition<_entente_control_v1_GetReceiptsRequest, _entente_control_v1_GetReceiptsRequest__Output>
        GetReceiptsResponse: MessageTypeDefinition<_entente_control_v1_GetReceiptsResponse, _entente_control_v1_GetReceiptsResponse__Output>
        GetRunRequest: MessageTypeDefinition<_entente_control_v1_GetRunRequest, _entente_control_v1_GetRunRequest__Output>
        GetStatusRequest: MessageTypeDefinition<_entente_control_v1_GetStatusRequest, _entente_control_v1_GetStatusRequest__Output>
        ListApprovalsRequest: MessageTypeDefinition<_entente_control_v1_ListApprovalsRequest, _entente_control_v1_ListApprovalsRequest__Output>
        ListApprovalsResponse: MessageTypeDefinition<_entente_control_v1_ListApprovalsResponse, _entente_control_v1_ListApprovalsResponse__Output>
        ListRunsRequest: MessageTypeDefinition<_entente_control_v1_ListRunsRequest, _entente_control_v1_ListRunsRequest__Output>
        ListRunsResponse: MessageTypeDefinition<_entente_control_v1_ListRunsResponse, _entente_control_v1_ListRunsResponse__Output>
        ListTasksRequest: MessageTypeDefinition<_entente_control_v1_ListTasksRequest, _entente_control_v1_ListTasksRequest__Output>
        ListTasksResponse: MessageTypeDefinition<_entente_control_v1_ListTasksResponse, _entente_control_v1_ListTasksResponse__Output>
        LogAlarm: MessageTypeDefinition<_entente_control_v1_LogAlarm, _entente_control_v1_LogAlarm__Output>
        PartnerStatus: MessageTypeDefinition<_entente_control_v1_PartnerStatus, _entente_control_v1_PartnerStatus__Output>
        ProcessStatus: MessageTypeDefinition<_entente_control_v1_ProcessStatus, _entente_control_v1_ProcessStatus__Output>
        Receipts: MessageTypeDefinition<_entente_control_v1_Receipts, _entente_control_v1_Receipts__Output>
        Role: EnumTypeDefinition
        Run: MessageTypeDefinition<_entente_control_v1_Run, _entente_control_v1_Run__Output>
        RunEvent: MessageTypeDefinition<_entente_control_v1_RunEvent, _entente_control_v1_RunEvent__Output>
        RunSummary: MessageTypeDefinition<_entente_control_v1_RunSummary, _entente_control_v1_RunSummary__Output>
        StartRunRequest: MessageTypeDefinition<_entente_control_v1_StartRunRequest, _entente_control_v1_StartRunRequest__Output>
        Statement: MessageTypeDefinition<_entente_control_v1_Statement, _entente_control_v1_Statement__Output>
        Status: MessageTypeDefinition<_entente_control_v1_Status, _entente_control_v1_Status__Output>
        StepRun: MessageTypeDefinition<_entente_control_v1_StepRun, _entente_control_v1_StepRun__Output>
        TaskReceipts: MessageTypeDefinition<_entente_control_v1_TaskReceipts, _entente_control_v1_TaskReceipts__Output>
        TaskStatus: EnumTypeDefinition
        TaskSummary: MessageTypeDefinition<_entente_control_v1_TaskSummary, _entente_control_v1_TaskSummary__Output>
        Verification: MessageTypeDefinition<_entente_control_v1_Verification, _entente_control_v1_Verification__Output>
        WatchRunRequest: MessageTypeDefinition<_entente_control_v1_WatchRunRequest, _entente_control_v1_WatchRunRequest__Output>
        WitnessedLog: MessageTypeDefinition<_entente_control_v1_WitnessedLog, _entente_control_v1_WitnessedLog__Output>
      }
    }
  }
}

