// Original file: proto/entente/federation/v1/federation.proto

import type { AcknowledgeRequest as _entente_federation_v1_AcknowledgeRequest, AcknowledgeRequest__Output as _entente_federation_v1_AcknowledgeRequest__Output } from '../../../entente/federation/v1/AcknowledgeRequest.js';

export interface SubmitTaskRequest {
  /**
   * Chosen by the requester (a UUID is best); the idempotency key, scoped to the requester.
   * [A-Za-z0-9][A-Za-z0-9._:-]{0,127}
   */
  'task_id'?: (string);
  /**
   * [a-z0-9][a-z0-9._-]{0,127}
   */
  'capability'?: (string);
  /**
   * The stated purpose, judged by the responder's policy. [a-z0-9][a-z0-9._-]{0,127}
   */
  'purpose'?: (string);
  /**
   * The input as UTF-8 JSON, exactly what the requester's outbound policy let leave; at most
   * the responder's maxPayloadBytes. Its digest is over the canonical form of the parsed value,
   * so the spelling (whitespace, member order) does not matter.
   */
  'input'?: (Buffer | Uint8Array | string);
  /**
   * Per-task random salt of the salted digests in the receipts: 16-128 base64url characters
   * (16 random bytes, 22 characters, is what gateways send).
   */
  'salt'?: (string);
  /**
   * The requester's signed request statement (compact JWS, typ entente-request+jws).
   */
  'request_statement'?: (string);
  /**
   * Acks of earlier tasks with this responder, riding on this call rather than on an
   * AcknowledgeBatch of their own (docs/protocol.md section 3.2a). Sent only to a responder
   * whose answers carry `entente-acks-on-submit: 1`; at most 32. Each is checked and stored as
   * Acknowledge would, whatever becomes of this task, and their outcomes come back in the
   * answer's initial metadata `entente-ack-outcomes-bin` (an AcknowledgeBatchResponse, refusal
   * messages cut or left out to keep it within 4 KiB) once they are stored, before the task's
   * own answer.
   */
  'acks'?: (_entente_federation_v1_AcknowledgeRequest)[];
}

export interface SubmitTaskRequest__Output {
  /**
   * Chosen by the requester (a UUID is best); the idempotency key, scoped to the requester.
   * [A-Za-z0-9][A-Za-z0-9._:-]{0,127}
   */
  'task_id': (string);
  /**
   * [a-z0-9][a-z0-9._-]{0,127}
   */
  'capability': (string);
  /**
   * The stated purpose, judged by the responder's policy. [a-z0-9][a-z0-9._-]{0,127}
   */
  'purpose': (string);
  /**
   * The input as UTF-8 JSON, exactly what the requester's outbound policy let leave; at most
   * the responder's maxPayloadBytes. Its digest is over the canonical form of the parsed value,
   * so the spelling (whitespace, member order) does not matter.
   */
  'input': (Buffer);
  /**
   * Per-task random salt of the salted digests in the receipts: 16-128 base64url characters
   * (16 random bytes, 22 characters, is what gateways send).
   */
  'salt': (string);
  /**
   * The requester's signed request statement (compact JWS, typ entente-request+jws).
   */
  'request_statement': (string);
  /**
   * Acks of earlier tasks with this responder, riding on this call rather than on an
   * AcknowledgeBatch of their own (docs/protocol.md section 3.2a). Sent only to a responder
   * whose answers carry `entente-acks-on-submit: 1`; at most 32. Each is checked and stored as
   * Acknowledge would, whatever becomes of this task, and their outcomes come back in the
   * answer's initial metadata `entente-ack-outcomes-bin` (an AcknowledgeBatchResponse, refusal
   * messages cut or left out to keep it within 4 KiB) once they are stored, before the task's
   * own answer.
   */
  'acks': (_entente_federation_v1_AcknowledgeRequest__Output)[];
}
