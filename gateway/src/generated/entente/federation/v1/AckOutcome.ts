// Original file: proto/entente/federation/v1/federation.proto


export interface AckOutcome {
  'task_id'?: (string);
  /**
   * Empty: stored. Otherwise a reason code and what is wrong.
   */
  'reason'?: (string);
  'message'?: (string);
}

export interface AckOutcome__Output {
  'task_id': (string);
  /**
   * Empty: stored. Otherwise a reason code and what is wrong.
   */
  'reason': (string);
  'message': (string);
}
