// Original file: proto/entente/federation/v1/federation.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AcknowledgeRequest as _entente_federation_v1_AcknowledgeRequest, AcknowledgeRequest__Output as _entente_federation_v1_AcknowledgeRequest__Output } from '../../../entente/federation/v1/AcknowledgeRequest.js';
import type { AcknowledgeResponse as _entente_federation_v1_AcknowledgeResponse, AcknowledgeResponse__Output as _entente_federation_v1_AcknowledgeResponse__Output } from '../../../entente/federation/v1/AcknowledgeResponse.js';
import type { Card as _entente_federation_v1_Card, Card__Output as _entente_federation_v1_Card__Output } from '../../../entente/federation/v1/Card.js';
import type { GetCardRequest as _entente_federation_v1_GetCardRequest, GetCardRequest__Output as _entente_federation_v1_GetCardRequest__Output } from '../../../entente/federation/v1/GetCardRequest.js';
import type { SubmitTaskRequest as _entente_federation_v1_SubmitTaskRequest, SubmitTaskRequest__Output as _entente_federation_v1_SubmitTaskRequest__Output } from '../../../entente/federation/v1/SubmitTaskRequest.js';
import type { Task as _entente_federation_v1_Task, Task__Output as _entente_federation_v1_Task__Output } from '../../../entente/federation/v1/Task.js';
import type { TaskRef as _entente_federation_v1_TaskRef, TaskRef__Output as _entente_federation_v1_TaskRef__Output } from '../../../entente/federation/v1/TaskRef.js';

export interface FederationClient extends grpc.Client {
  /**
   * The requester's countersignature of the result it received.
   */
  Acknowledge(argument: _entente_federation_v1_AcknowledgeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeResponse__Output>): grpc.ClientUnaryCall;
  Acknowledge(argument: _entente_federation_v1_AcknowledgeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeResponse__Output>): grpc.ClientUnaryCall;
  Acknowledge(argument: _entente_federation_v1_AcknowledgeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeResponse__Output>): grpc.ClientUnaryCall;
  Acknowledge(argument: _entente_federation_v1_AcknowledgeRequest, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The requester's countersignature of the result it received.
   */
  acknowledge(argument: _entente_federation_v1_AcknowledgeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeResponse__Output>): grpc.ClientUnaryCall;
  acknowledge(argument: _entente_federation_v1_AcknowledgeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeResponse__Output>): grpc.ClientUnaryCall;
  acknowledge(argument: _entente_federation_v1_AcknowledgeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeResponse__Output>): grpc.ClientUnaryCall;
  acknowledge(argument: _entente_federation_v1_AcknowledgeRequest, callback: grpc.requestCallback<_entente_federation_v1_AcknowledgeResponse__Output>): grpc.ClientUnaryCall;
  
  CancelTask(argument: _entente_federation_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  CancelTask(argument: _entente_federation_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  CancelTask(argument: _entente_federation_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  CancelTask(argument: _entente_federation_v1_TaskRef, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  cancelTask(argument: _entente_federation_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  cancelTask(argument: _entente_federation_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  cancelTask(argument: _entente_federation_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  cancelTask(argument: _entente_federation_v1_TaskRef, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  
  /**
   * The capabilities this caller may see, their schemas, and the receipt keys.
   */
  GetCard(argument: _entente_federation_v1_GetCardRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Card__Output>): grpc.ClientUnaryCall;
  GetCard(argument: _entente_federation_v1_GetCardRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_Card__Output>): grpc.ClientUnaryCall;
  GetCard(argument: _entente_federation_v1_GetCardRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Card__Output>): grpc.ClientUnaryCall;
  GetCard(argument: _entente_federation_v1_GetCardRequest, callback: grpc.requestCallback<_entente_federation_v1_Card__Output>): grpc.ClientUnaryCall;
  /**
   * The capabilities this caller may see, their schemas, and the receipt keys.
   */
  getCard(argument: _entente_federation_v1_GetCardRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Card__Output>): grpc.ClientUnaryCall;
  getCard(argument: _entente_federation_v1_GetCardRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_Card__Output>): grpc.ClientUnaryCall;
  getCard(argument: _entente_federation_v1_GetCardRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Card__Output>): grpc.ClientUnaryCall;
  getCard(argument: _entente_federation_v1_GetCardRequest, callback: grpc.requestCallback<_entente_federation_v1_Card__Output>): grpc.ClientUnaryCall;
  
  GetTask(argument: _entente_federation_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  GetTask(argument: _entente_federation_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  GetTask(argument: _entente_federation_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  GetTask(argument: _entente_federation_v1_TaskRef, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  getTask(argument: _entente_federation_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  getTask(argument: _entente_federation_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  getTask(argument: _entente_federation_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  getTask(argument: _entente_federation_v1_TaskRef, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  
  /**
   * Ask for one capability. Idempotent on task_id: the same id with the same content returns
   * the existing task; with other content it is refused (ALREADY_EXISTS).
   */
  SubmitTask(argument: _entente_federation_v1_SubmitTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  SubmitTask(argument: _entente_federation_v1_SubmitTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  SubmitTask(argument: _entente_federation_v1_SubmitTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  SubmitTask(argument: _entente_federation_v1_SubmitTaskRequest, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  /**
   * Ask for one capability. Idempotent on task_id: the same id with the same content returns
   * the existing task; with other content it is refused (ALREADY_EXISTS).
   */
  submitTask(argument: _entente_federation_v1_SubmitTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  submitTask(argument: _entente_federation_v1_SubmitTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  submitTask(argument: _entente_federation_v1_SubmitTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  submitTask(argument: _entente_federation_v1_SubmitTaskRequest, callback: grpc.requestCallback<_entente_federation_v1_Task__Output>): grpc.ClientUnaryCall;
  
  /**
   * Follow a task until it reaches a final state (the last message is the final task).
   */
  WatchTask(argument: _entente_federation_v1_TaskRef, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_entente_federation_v1_Task__Output>;
  WatchTask(argument: _entente_federation_v1_TaskRef, options?: grpc.CallOptions): grpc.ClientReadableStream<_entente_federation_v1_Task__Output>;
  /**
   * Follow a task until it reaches a final state (the last message is the final task).
   */
  watchTask(argument: _entente_federation_v1_TaskRef, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_entente_federation_v1_Task__Output>;
  watchTask(argument: _entente_federation_v1_TaskRef, options?: grpc.CallOptions): grpc.ClientReadableStream<_entente_federation_v1_Task__Output>;
  
}

export interface FederationHandlers extends grpc.UntypedServiceImplementation {
  /**
   * The requester's countersignature of the result it received.
   */
  Acknowledge: grpc.handleUnaryCall<_entente_federation_v1_AcknowledgeRequest__Output, _entente_federation_v1_AcknowledgeResponse>;
  
  CancelTask: grpc.handleUnaryCall<_entente_federation_v1_TaskRef__Output, _entente_federation_v1_Task>;
  
  /**
   * The capabilities this caller may see, their schemas, and the receipt keys.
   */
  GetCard: grpc.handleUnaryCall<_entente_federation_v1_GetCardRequest__Output, _entente_federation_v1_Card>;
  
  GetTask: grpc.handleUnaryCall<_entente_federation_v1_TaskRef__Output, _entente_federation_v1_Task>;
  
  /**
   * Ask for one capability. Idempotent on task_id: the same id with the same content returns
   * the existing task; with other content it is refused (ALREADY_EXISTS).
   */
  SubmitTask: grpc.handleUnaryCall<_entente_federation_v1_SubmitTaskRequest__Output, _entente_federation_v1_Task>;
  
  /**
   * Follow a task until it reaches a final state (the last message is the final task).
   */
  WatchTask: grpc.handleServerStreamingCall<_entente_federation_v1_TaskRef__Output, _entente_federation_v1_Task>;
  
}

export interface FederationDefinition extends grpc.ServiceDefinition {
  Acknowledge: MethodDefinition<_entente_federation_v1_AcknowledgeRequest, _entente_federation_v1_AcknowledgeResponse, _entente_federation_v1_AcknowledgeRequest__Output, _entente_federation_v1_AcknowledgeResponse__Output>
  CancelTask: MethodDefinition<_entente_federation_v1_TaskRef, _entente_federation_v1_Task, _entente_federation_v1_TaskRef__Output, _entente_federation_v1_Task__Output>
  GetCard: MethodDefinition<_entente_federation_v1_GetCardRequest, _entente_federation_v1_Card, _entente_federation_v1_GetCardRequest__Output, _entente_federation_v1_Card__Output>
  GetTask: MethodDefinition<_entente_federation_v1_TaskRef, _entente_federation_v1_Task, _entente_federation_v1_TaskRef__Output, _entente_federation_v1_Task__Output>
  SubmitTask: MethodDefinition<_entente_federation_v1_SubmitTaskRequest, _entente_federation_v1_Task, _entente_federation_v1_SubmitTaskRequest__Output, _entente_federation_v1_Task__Output>
  WatchTask: MethodDefinition<_entente_federation_v1_TaskRef, _entente_federation_v1_Task, _entente_federation_v1_TaskRef__Output, _entente_federation_v1_Task__Output>
}
