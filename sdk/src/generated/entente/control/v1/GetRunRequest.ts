// Original file: proto/entente/control/v1/control.proto


export interface GetRunRequest {
  'run_id'?: (string);
  /**
   * Answer once the run has finished (within the call's deadline).
   */
  'wait'?: (boolean);
}

export interface GetRunRequest__Output {
  'run_id': (string);
  /**
   * Answer once the run has finished (within the call's deadline).
   */
  'wait': (boolean);
}
