// Original file: proto/entente/federation/v1/federation.proto


export interface AcknowledgeRequest {
  'task_id'?: (string);
  /**
   * The requester's signed ack statement (compact JWS, typ entente-ack+jws); its
   * result_statement_digest is the digest of the result statement received.
   */
  'ack_statement'?: (string);
}

export interface AcknowledgeRequest__Output {
  'task_id': (string);
  /**
   * The requester's signed ack statement (compact JWS, typ entente-ack+jws); its
   * result_statement_digest is the digest of the result statement received.
   */
  'ack_statement': (string);
}
