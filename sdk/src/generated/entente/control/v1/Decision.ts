// Original file: proto/entente/control/v1/control.proto


export interface Decision {
  /**
   * approve, reject, retry, skip or fail.
   */
  'decision'?: (string);
  /**
   * Who decided: a client certificate's name, `local` on the socket, or `timeout`.
   */
  'by'?: (string);
  'reason'?: (string);
  /**
   * RFC 3339.
   */
  'decided_at'?: (string);
}

export interface Decision__Output {
  /**
   * approve, reject, retry, skip or fail.
   */
  'decision': (string);
  /**
   * Who decided: a client certificate's name, `local` on the socket, or `timeout`.
   */
  'by': (string);
  'reason': (string);
  /**
   * RFC 3339.
   */
  'decided_at': (string);
}
