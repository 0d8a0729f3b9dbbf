// Original file: proto/entente/federation/v1/federation.proto


export interface AcknowledgeRequest {
  'task_id'?: (string);
  /**
   * The requester's signed ack statement (compact JWS).
   */
  'ack_statement'?: (string);
}

export interface AcknowledgeRequest__Output {
  'task_id': (string);
  /**
   * The requester's signed ack statement (compact JWS).
   */
  'ack_statement': (string);
}
