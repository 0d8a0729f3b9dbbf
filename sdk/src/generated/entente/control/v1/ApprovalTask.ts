// Original file: proto/entente/control/v1/control.proto


export interface ApprovalTask {
  'task_id'?: (string);
  /**
   * The partner that asked.
   */
  'partner'?: (string);
  'capability'?: (string);
  'purpose'?: (string);
}

export interface ApprovalTask__Output {
  'task_id': (string);
  /**
   * The partner that asked.
   */
  'partner': (string);
  'capability': (string);
  'purpose': (string);
}
