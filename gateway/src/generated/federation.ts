import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AckOutcome as _entente_federation_v1_AckOutcome, AckOutcome__Output as _entente_federation_v1_AckOutcome__Output } from './entente/federation/v1/AckOutcome.js';
import type { AcknowledgeBatchRequest as _entente_federation_v1_AcknowledgeBatchRequest, AcknowledgeBatchRequest__Output as _entente_federation_v1_AcknowledgeBatchRequest__Output } from './entente/federation/v1/AcknowledgeBatchRequest.js';
import type { AcknowledgeBatchResponse as _entente_federation_v1_AcknowledgeBatchResponse, AcknowledgeBatchResponse__Output as _entente_federation_v1_AcknowledgeBatchResponse__Output } from './entente/federation/v1/AcknowledgeBatchResponse.js';
import type { AcknowledgeRequest as _entente_federation_v1_AcknowledgeRequest, AcknowledgeRequest__Output as _entente_federation_v1_AcknowledgeRequest__Output } from './entente/federation/v1/AcknowledgeRequest.js';
import type { AcknowledgeResponse as _entente_federation_v1_AcknowledgeResponse, AcknowledgeResponse__Output as _entente_federation_v1_AcknowledgeResponse__Output } from './entente/federation/v1/AcknowledgeResponse.js';
import type { AddCheckpointRequest as _entente_federation_v1_AddCheckpointRequest, AddCheckpointRequest__Output as _entente_federation_v1_AddCheckpointRequest__Output } from './entente/federation/v1/AddCheckpointRequest.js';
import type { AddCheckpointResponse as _entente_federation_v1_AddCheckpointResponse, AddCheckpointResponse__Output as _entente_federation_v1_AddCheckpointResponse__Output } from './entente/federation/v1/AddCheckpointResponse.js';
import type { Capability as _entente_federation_v1_Capability, Capability__Output as _entente_federation_v1_Capability__Output } from './entente/federation/v1/Capability.js';
import type { Card as _entente_federation_v1_Card, Card__Output as _entente_federation_v1_Card__Output } from './entente/federation/v1/Card.js';
import type { CheckpointResponse as _entente_federation_v1_CheckpointResponse, CheckpointResponse__Output as _entente_federation_v1_CheckpointResponse__Output } from './entente/federation/v1/CheckpointResponse.js';
import type { ConsistencyProofRequest as _entente_federation_v1_ConsistencyProofRequest, ConsistencyProofRequest__Output as _entente_federation_v1_ConsistencyProofRequest__Output } from './entente/federation/v1/ConsistencyProofRequest.js';
import type { FederationClient as _entente_federation_v1_FederationClient, FederationDefinition as _entente_federation_v1_FederationDefinition } from './entente/federation/v1/Federation.js';
import type { GetCardRequest as _entente_federation_v1_GetCardRequest, GetCardRequest__Output as _entente_federation_v1_GetCardRequest__Output } from './entente/federation/v1/GetCardRequest.js';
import type { GetCheckpointRequest as _entente_federation_v1_GetCheckpointRequest, GetCheckpointRequest__Output as _entente_federation_v1_GetCheckpointRequest__Output } from './entente/federation/v1/GetCheckpointRequest.js';
import type { InclusionProofRequest as _entente_federation_v1_InclusionProofRequest, InclusionProofRequest__Output as _entente_federation_v1_InclusionProofRequest__Output } from './entente/federation/v1/InclusionProofRequest.js';
import type { ProofResponse as _entente_federation_v1_ProofResponse, ProofResponse__Output as _entente_federation_v1_ProofResponse__Output } from './entente/federation/v1/ProofResponse.js';
import type { SubmitTaskRequest as _entente_federation_v1_SubmitTaskRequest, SubmitTaskRequest__Output as _entente_federation_v1_SubmitTaskRequest__Output } from './entente/federation/v1/SubmitTaskRequest.js';
import type { Task as _entente_federation_v1_Task, Task__Output as _entente_federation_v1_Task__Output } from './entente/federation/v1/Task.js';
import type { TaskRef as _entente_federation_v1_TaskRef, TaskRef__Output as _entente_federation_v1_TaskRef__Output } from './entente/federation/v1/TaskRef.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  entente: {
    federation: {
      v1: {
        AckOutcome: MessageTypeDefinition<_entente_federation_v1_AckOutcome, _entente_federation_v1_AckOutcome__Output>
        AcknowledgeBatchRequest: MessageTypeDefinition<_entente_federation_v1_AcknowledgeBatchRequest, _entente_federation_v1_AcknowledgeBatchRequest__Output>
        AcknowledgeBatchResponse: MessageTypeDefinition<_entente_federation_v1_AcknowledgeBatchResponse, _entente_federation_v1_AcknowledgeBatchResponse__Output>
        AcknowledgeRequest: MessageTypeDefinition<_entente_federation_v1_AcknowledgeRequest, _entente_federation_v1_AcknowledgeRequest__Output>
        AcknowledgeResponse: MessageTypeDefinition<_entente_federation_v1_AcknowledgeResponse, _entente_federation_v1_AcknowledgeResponse__Output>
        AddCheckpointRequest: MessageTypeDefinition<_entente_federation_v1_AddCheckpointRequest, _entente_federation_v1_AddCheckpointRequest__Output>
        AddCheckpointResponse: MessageTypeDefinition<_entente_federation_v1_AddCheckpointResponse, _entente_federation_v1_AddCheckpointResponse__Output>
        Capability: MessageTypeDefinition<_entente_federation_v1_Capability, _entente_federation_v1_Capability__Output>
        Card: MessageTypeDefinition<_entente_federation_v1_Card, _entente_federation_v1_Card__Output>
        CheckpointResponse: MessageTypeDefinition<_entente_federation_v1_CheckpointResponse, _entente_federation_v1_CheckpointResponse__Output>
        ConsistencyProofRequest: MessageTypeDefinition<_entente_federation_v1_ConsistencyProofRequest, _entente_federation_v1_ConsistencyProofRequest__Output>
        Federation: SubtypeConstructor<typeof grpc.Client, _entente_federation_v1_FederationClient> & { service: _entente_federation_v1_FederationDefinition }
        GetCardRequest: MessageTypeDefinition<_entente_federation_v1_GetCardRequest, _entente_federation_v1_GetCardRequest__Output>
        GetCheckpointRequest: MessageTypeDefinition<_entente_federation_v1_GetCheckpointRequest, _entente_federation_v1_GetCheckpointRequest__Output>
        InclusionProofRequest: MessageTypeDefinition<_entente_federation_v1_InclusionProofRequest, _entente_federation_v1_InclusionProofRequest__Output>
        ProofResponse: MessageTypeDefinition<_entente_federation_v1_ProofResponse, _entente_federation_v1_ProofResponse__Output>
        SubmitTaskRequest: MessageTypeDefinition<_entente_federation_v1_SubmitTaskRequest, _entente_federation_v1_SubmitTaskRequest__Output>
        Task: MessageTypeDefinition<_entente_federation_v1_Task, _entente_federation_v1_Task__Output>
        TaskRef: MessageTypeDefinition<_entente_federation_v1_TaskRef, _entente_federation_v1_TaskRef__Output>
        TaskStatus: EnumTypeDefinition
      }
    }
  }
}

