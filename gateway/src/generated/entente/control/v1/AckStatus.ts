// Original file: proto/entente/control/v1/control.proto


export interface AckStatus {
  /**
   * As TaskSummary.ack.
   */
  'state'?: (string);
  /**
   * Delivery attempts made so far (requester).
   */
  'attempts'?: (number);
  /**
   * RFC 3339: when the next attempt is due, while pending; empty otherwise.
   */
  'next_attempt_at'?: (string);
  /**
   * Why the last attempt failed: a reason code and its message (docs/errors.md).
   */
  'last_error'?: (string);
  /**
   * RFC 3339: when the partner took it, or refused it for good; empty otherwise.
   */
  'delivered_at'?: (string);
  'failed_at'?: (string);
}

export interface AckStatus__Output {
  /**
   * As TaskSummary.ack.
   */
  'state': (string);
  /**
   * Delivery attempts made so far (requester).
   */
  'attempts': (number);
  /**
   * RFC 3339: when the next attempt is due, while pending; empty otherwise.
   */
  'next_attempt_at': (string);
  /**
   * Why the last attempt failed: a reason code and its message (docs/errors.md).
   */
  'last_error': (string);
  /**
   * RFC 3339: when the partner took it, or refused it for good; empty otherwise.
   */
  'delivered_at': (string);
  'failed_at': (string);
}
