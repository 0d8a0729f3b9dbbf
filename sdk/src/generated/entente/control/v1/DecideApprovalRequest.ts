// Original file: proto/entente/control/v1/control.proto


export interface DecideApprovalRequest {
  'approval_id'?: (string);
  /**
   * One of the approval's decisions: approve or reject; retry, skip or fail (escalation).
   */
  'decision'?: (string);
  /**
   * Required: why, kept in the run's events with who decided.
   */
  'reason'?: (string);
  /**
   * With skip, and only with skip: the output the step gets, as JSON text (none when empty).
   */
  'output_json'?: (string);
}

export interface DecideApprovalRequest__Output {
  'approval_id': (string);
  /**
   * One of the approval's decisions: approve or reject; retry, skip or fail (escalation).
   */
  'decision': (string);
  /**
   * Required: why, kept in the run's events with who decided.
   */
  'reason': (string);
  /**
   * With skip, and only with skip: the output the step gets, as JSON text (none when empty).
   */
  'output_json': (string);
}
