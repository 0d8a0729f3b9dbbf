// Original file: proto/entente/control/v1/control.proto


export interface ListApprovalsRequest {
  /**
   * Optional: only this run's approvals.
   */
  'run_id'?: (string);
}

export interface ListApprovalsRequest__Output {
  /**
   * Optional: only this run's approvals.
   */
  'run_id': (string);
}
