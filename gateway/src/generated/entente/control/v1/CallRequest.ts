// Original file: proto/entente/control/v1/control.proto


export interface CallRequest {
  /**
   * The partner's org id, as configured in this gateway's partners.
   */
  'partner'?: (string);
  /**
   * Capability and purpose names: [a-z0-9][a-z0-9._-]*.
   */
  'capability'?: (string);
  'purpose'?: (string);
  /**
   * The input as JSON text. The outbound policy decides how much of it may leave.
   */
  'input_json'?: (string);
  /**
   * Optional; reuse it to retry a call idempotently. A new UUID when empty.
   */
  'task_id'?: (string);
  /**
   * Optional; milliseconds for the whole call (the gateway's limits.callTimeout when 0). The
   * gRPC deadline of this call, when earlier, wins.
   */
  'timeout_ms'?: (number);
}

export interface CallRequest__Output {
  /**
   * The partner's org id, as configured in this gateway's partners.
   */
  'partner': (string);
  /**
   * Capability and purpose names: [a-z0-9][a-z0-9._-]*.
   */
  'capability': (string);
  'purpose': (string);
  /**
   * The input as JSON text. The outbound policy decides how much of it may leave.
   */
  'input_json': (string);
  /**
   * Optional; reuse it to retry a call idempotently. A new UUID when empty.
   */
  'task_id': (string);
  /**
   * Optional; milliseconds for the whole call (the gateway's limits.callTimeout when 0). The
   * gRPC deadline of this call, when earlier, wins.
   */
  'timeout_ms': (number);
}
