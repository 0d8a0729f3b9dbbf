// Original file: proto/entente/control/v1/control.proto


export interface RunSummary {
  'run_id'?: (string);
  'workflow'?: (string);
  /**
   * running, completed, failed or cancelled.
   */
  'status'?: (string);
  /**
   * RFC 3339: when the run started, and when its last event was written.
   */
  'started_at'?: (string);
  'updated_at'?: (string);
}

export interface RunSummary__Output {
  'run_id': (string);
  'workflow': (string);
  /**
   * running, completed, failed or cancelled.
   */
  'status': (string);
  /**
   * RFC 3339: when the run started, and when its last event was written.
   */
  'started_at': (string);
  'updated_at': (string);
}
