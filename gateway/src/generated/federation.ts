import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AcknowledgeRequest as _entente_federation_v1_AcknowledgeRequest, AcknowledgeRequest__Output as _entente_federation_v1_AcknowledgeRequest__Output } from './entente/federation/v1/AcknowledgeRequest.js';
import type { AcknowledgeResponse as _entente_federation_v1_AcknowledgeResponse, AcknowledgeResponse__Output as _entente_federation_v1_AcknowledgeResponse__Output } from './entente/federation/v1/AcknowledgeResponse.js';
import type { Capability as _entente_federation_v1_Capability, Capability__Output as _entente_federation_v1_Capability__Output } from './entente/federation/v1/Capability.js';
import type { Card as _entente_federation_v1_Card, Card__Output as _entente_federation_v1_Card__Output } from './entente/federation/v1/Card.js';
import type { FederationClient as _entente_federation_v1_FederationClient, FederationDefinition as _entente_federation_v1_FederationDefinition } from './entente/federation/v1/Federation.js';
import type { GetCardRequest as _entente_federation_v1_GetCardRequest, GetCardRequest__Output as _entente_federation_v1_GetCardRequest__Output } from './entente/federation/v1/GetCardRequest.js';
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
        AcknowledgeRequest: MessageTypeDefinition<_entente_federation_v1_AcknowledgeRequest, _entente_federation_v1_AcknowledgeRequest__Output>
        AcknowledgeResponse: MessageTypeDefinition<_entente_federation_v1_AcknowledgeResponse, _entente_federation_v1_AcknowledgeResponse__Output>
        Capability: MessageTypeDefinition<_entente_federation_v1_Capability, _entente_federation_v1_Capability__Output>
        Card: MessageTypeDefinition<_entente_federation_v1_Card, _entente_federation_v1_Card__Output>
        Federation: SubtypeConstructor<typeof grpc.Client, _entente_federation_v1_FederationClient> & { service: _entente_federation_v1_FederationDefinition }
        GetCardRequest: MessageTypeDefinition<_entente_federation_v1_GetCardRequest, _entente_federation_v1_GetCardRequest__Output>
        SubmitTaskRequest: MessageTypeDefinition<_entente_federation_v1_SubmitTaskRequest, _entente_federation_v1_SubmitTaskRequest__Output>
        Task: MessageTypeDefinition<_entente_federation_v1_Task, _entente_federation_v1_Task__Output>
        TaskRef: MessageTypeDefinition<_entente_federation_v1_TaskRef, _entente_federation_v1_TaskRef__Output>
        TaskStatus: EnumTypeDefinition
      }
    }
  }
}

