// Original file: proto/entente/control/v1/control.proto


export interface CancelRunRequest {
  'run_id'?: (string);
  /**
   * Required: why, kept in the run's events with who asked.
   */
  'reason'?: (string);
}

export interface CancelRunRequest__Output {
  'run_id': (string);
  /**
   * Required: why, kept in the run's events with who asked.
   */
  'reason': (string);
}
