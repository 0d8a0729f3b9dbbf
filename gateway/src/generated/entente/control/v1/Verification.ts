// Original file: proto/entente/control/v1/control.proto


export interface Verification {
  /**
   * verified, verified_local_denial, incomplete or invalid.
   */
  'state'?: (string);
  'problems'?: (string)[];
}

export interface Verification__Output {
  /**
   * verified, verified_local_denial, incomplete or invalid.
   */
  'state': (string);
  'problems': (string)[];
}
