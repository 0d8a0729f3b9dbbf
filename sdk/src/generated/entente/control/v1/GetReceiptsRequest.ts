// Original file: proto/entente/control/v1/control.proto


export interface GetReceiptsRequest {
  'task_id'?: (string);
  /**
   * Optional: the partner, when the same task id exists with several partners.
   */
  'partner'?: (string);
}

export interface GetReceiptsRequest__Output {
  'task_id': (string);
  /**
   * Optional: the partner, when the same task id exists with several partners.
   */
  'partner': (string);
}
