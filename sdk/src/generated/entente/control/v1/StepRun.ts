// Original file: proto/entente/control/v1/control.proto


export interface StepRun {
  'id'?: (string);
  /**
   * pending, running, waiting (a retry's backoff), completed, failed or skipped.
   */
  'status'?: (string);
  'attempt'?: (number);
  /**
   * The task of the current (or last) attempt: <run>.<step>.<attempt>.
   */
  'task_id'?: (string);
  'output_json'?: (string);
  'reason'?: (string);
  'message'?: (string);
}

export interface StepRun__Output {
  'id': (string);
  /**
   * pending, running, waiting (a retry's backoff), completed, failed or skipped.
   */
  'status': (string);
  'attempt': (number);
  /**
   * The task of the current (or last) attempt: <run>.<step>.<attempt>.
   */
  'task_id': (string);
  'output_json': (string);
  'reason': (string);
  'message': (string);
}
