// Original file: proto/entente/control/v1/control.proto


export interface Compensation {
  /**
   * running, completed or failed.
   */
  'status'?: (string);
  'task_id'?: (string);
  /**
   * Why it failed: a reason code and its explanation.
   */
  'reason'?: (string);
}

export interface Compensation__Output {
  /**
   * running, completed or failed.
   */
  'status': (string);
  'task_id': (string);
  /**
   * Why it failed: a reason code and its explanation.
   */
  'reason': (string);
}
