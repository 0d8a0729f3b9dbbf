// Original file: proto/entente/federation/v1/federation.proto


export interface SubmitTaskRequest {
  /**
   * Chosen by the requester (a UUID); the idempotency key.
   */
  'task_id'?: (string);
  'capability'?: (string);
  'purpose'?: (string);
  /**
   * The input as UTF-8 JSON, exactly what the requester's outbound policy let leave.
   */
  'input'?: (Buffer | Uint8Array | string);
  /**
   * Per-task random salt of the digests in the receipts (base64url).
   */
  'salt'?: (string);
  /**
   * The requester's signed request statement (compact JWS).
   */
  'request_statement'?: (string);
}

export interface SubmitTaskRequest__Output {
  /**
   * Chosen by the requester (a UUID); the idempotency key.
   */
  'task_id': (string);
  'capability': (string);
  'purpose': (string);
  /**
   * The input as UTF-8 JSON, exactly what the requester's outbound policy let leave.
   */
  'input': (Buffer);
  /**
   * Per-task random salt of the digests in the receipts (base64url).
   */
  'salt': (string);
  /**
   * The requester's signed request statement (compact JWS).
   */
  'request_statement': (string);
}
