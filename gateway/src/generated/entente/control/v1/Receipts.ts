// Original file: proto/entente/control/v1/control.proto


export interface Receipts {
  /**
   * Compact JWS statements; empty when the statement does not exist (yet).
   */
  'request'?: (string);
  'result'?: (string);
  'ack'?: (string);
}

export interface Receipts__Output {
  /**
   * Compact JWS statements; empty when the statement does not exist (yet).
   */
  'request': (string);
  'result': (string);
  'ack': (string);
}
