// Original file: proto/entente/federation/v1/federation.proto

import type { TaskStatus as _entente_federation_v1_TaskStatus, TaskStatus__Output as _entente_federation_v1_TaskStatus__Output } from '../../../entente/federation/v1/TaskStatus.js';

export interface Task {
  'task_id'?: (string);
  'status'?: (_entente_federation_v1_TaskStatus);
  /**
   * The minimised result as UTF-8 JSON (only when completed): exactly what the responder's
   * disclosure policy let leave. The result statement's result_digest is
   * salted_digest(salt, parsed result).
   */
  'result'?: (Buffer | Uint8Array | string);
  /**
   * A reason code the requester can act on (e.g. "inbound_denied", "agent_failed"), when the
   * task failed, was denied or cancelled; empty otherwise.
   */
  'reason'?: (string);
  /**
   * The responder's signed result statement (compact JWS, typ entente-result+jws), once the
   * task is final.
   */
  'result_statement'?: (string);
}

export interface Task__Output {
  'task_id': (string);
  'status': (_entente_federation_v1_TaskStatus__Output);
  /**
   * The minimised result as UTF-8 JSON (only when completed): exactly what the responder's
   * disclosure policy let leave. The result statement's result_digest is
   * salted_digest(salt, parsed result).
   */
  'result': (Buffer);
  /**
   * A reason code the requester can act on (e.g. "inbound_denied", "agent_failed"), when the
   * task failed, was denied or cancelled; empty otherwise.
   */
  'reason': (string);
  /**
   * The responder's signed result statement (compact JWS, typ entente-result+jws), once the
   * task is final.
   */
  'result_statement': (string);
}
