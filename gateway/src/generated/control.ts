import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { CallRequest as _entente_control_v1_CallRequest, CallRequest__Output as _entente_control_v1_CallRequest__Output } from './entente/control/v1/CallRequest.js';
import type { CallResponse as _entente_control_v1_CallResponse, CallResponse__Output as _entente_control_v1_CallResponse__Output } from './entente/control/v1/CallResponse.js';
import type { CapabilityStatus as _entente_control_v1_CapabilityStatus, CapabilityStatus__Output as _entente_control_v1_CapabilityStatus__Output } from './entente/control/v1/CapabilityStatus.js';
import type { ControlClient as _entente_control_v1_ControlClient, ControlDefinition as _entente_control_v1_ControlDefinition } from './entente/control/v1/Control.js';
import type { GetReceiptsRequest as _entente_control_v1_GetReceiptsRequest, GetReceiptsRequest__Output as _entente_control_v1_GetReceiptsRequest__Output } from './entente/control/v1/GetReceiptsRequest.js';
import type { GetReceiptsResponse as _entente_control_v1_GetReceiptsResponse, GetReceiptsResponse__Output as _entente_control_v1_GetReceiptsResponse__Output } from './entente/control/v1/GetReceiptsResponse.js';
import type { GetRunRequest as _entente_control_v1_GetRunRequest, GetRunRequest__Output as _entente_control_v1_GetRunRequest__Output } from './entente/control/v1/GetRunRequest.js';
import type { GetStatusRequest as _entente_control_v1_GetStatusRequest, GetStatusRequest__Output as _entente_control_v1_GetStatusRequest__Output } from './entente/control/v1/GetStatusRequest.js';
import type { ListTasksRequest as _entente_control_v1_ListTasksRequest, ListTasksRequest__Output as _entente_control_v1_ListTasksRequest__Output } from './entente/control/v1/ListTasksRequest.js';
import type { ListTasksResponse as _entente_control_v1_ListTasksResponse, ListTasksResponse__Output as _entente_control_v1_ListTasksResponse__Output } from './entente/control/v1/ListTasksResponse.js';
import type { PartnerStatus as _entente_control_v1_PartnerStatus, PartnerStatus__Output as _entente_control_v1_PartnerStatus__Output } from './entente/control/v1/PartnerStatus.js';
import type { Receipts as _entente_control_v1_Receipts, Receipts__Output as _entente_control_v1_Receipts__Output } from './entente/control/v1/Receipts.js';
import type { Run as _entente_control_v1_Run, Run__Output as _entente_control_v1_Run__Output } from './entente/control/v1/Run.js';
import type { StartRunRequest as _entente_control_v1_StartRunRequest, StartRunRequest__Output as _entente_control_v1_StartRunRequest__Output } from './entente/control/v1/StartRunRequest.js';
import type { Statement as _entente_control_v1_Statement, Statement__Output as _entente_control_v1_Statement__Output } from './entente/control/v1/Statement.js';
import type { Status as _entente_control_v1_Status, Status__Output as _entente_control_v1_Status__Output } from './entente/control/v1/Status.js';
import type { StepRun as _entente_control_v1_StepRun, StepRun__Output as _entente_control_v1_StepRun__Output } from './entente/control/v1/StepRun.js';
import type { TaskReceipts as _entente_control_v1_TaskReceipts, TaskReceipts__Output as _entente_control_v1_TaskReceipts__Output } from './entente/control/v1/TaskReceipts.js';
import type { TaskSummary as _entente_control_v1_TaskSummary, TaskSummary__Output as _entente_control_v1_TaskSummary__Output } from './entente/control/v1/TaskSummary.js';
import type { Verification as _entente_control_v1_Verification, Verification__Output as _entente_control_v1_Verification__Output } from './entente/control/v1/Verification.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  entente: {
    control: {
      v1: {
        CallRequest: MessageTypeDefinition<_entente_control_v1_CallRequest, _entente_control_v1_CallRequest__Output>
        CallResponse: MessageTypeDefinition<_entente_control_v1_CallResponse, _entente_control_v1_CallResponse__Output>
        CapabilityStatus: MessageTypeDefinition<_entente_control_v1_CapabilityStatus, _entente_control_v1_CapabilityStatus__Output>
        Control: SubtypeConstructor<typeof grpc.Client, _entente_control_v1_ControlClient> & { service: _entente_control_v1_ControlDefinition }
        GetReceiptsRequest: MessageTypeDefinition<_entente_control_v1_GetReceiptsRequest, _entente_control_v1_GetReceiptsRequest__Output>
        GetReceiptsResponse: MessageTypeDefinition<_entente_control_v1_GetReceiptsResponse, _entente_control_v1_GetReceiptsResponse__Output>
        GetRunRequest: MessageTypeDefinition<_entente_control_v1_GetRunRequest, _entente_control_v1_GetRunRequest__Output>
        GetStatusRequest: MessageTypeDefinition<_entente_control_v1_GetStatusRequest, _entente_control_v1_GetStatusRequest__Output>
        ListTasksRequest: MessageTypeDefinition<_entente_control_v1_ListTasksRequest, _entente_control_v1_ListTasksRequest__Output>
        ListTasksResponse: MessageTypeDefinition<_entente_control_v1_ListTasksResponse, _entente_control_v1_ListTasksResponse__Output>
        PartnerStatus: MessageTypeDefinition<_entente_control_v1_PartnerStatus, _entente_control_v1_PartnerStatus__Output>
        Receipts: MessageTypeDefinition<_entente_control_v1_Receipts, _entente_control_v1_Receipts__Output>
        Role: EnumTypeDefinition
        Run: MessageTypeDefinition<_entente_control_v1_Run, _entente_control_v1_Run__Output>
        StartRunRequest: MessageTypeDefinition<_entente_control_v1_StartRunRequest, _entente_control_v1_StartRunRequest__Output>
        Statement: MessageTypeDefinition<_entente_control_v1_Statement, _entente_control_v1_Statement__Output>
        Status: MessageTypeDefinition<_entente_control_v1_Status, _entente_control_v1_Status__Output>
        StepRun: MessageTypeDefinition<_entente_control_v1_StepRun, _entente_control_v1_StepRun__Output>
        TaskReceipts: MessageTypeDefinition<_entente_control_v1_TaskReceipts, _entente_control_v1_TaskReceipts__Output>
        TaskStatus: EnumTypeDefinition
        TaskSummary: MessageTypeDefinition<_entente_control_v1_TaskSummary, _entente_control_v1_TaskSummary__Output>
        Verification: MessageTypeDefinition<_entente_control_v1_Verification, _entente_control_v1_Verification__Output>
      }
    }
  }
}

