// Original file: proto/entente/control/v1/control.proto


export interface PartnerStatus {
  'org'?: (string);
  'address'?: (string);
  /**
   * reachable, unreachable or unknown (never called since start).
   */
  'reachability'?: (string);
  /**
   * RFC 3339; empty when never.
   */
  'last_seen_at'?: (string);
  /**
   * The last error talking to it, when unreachable (a reason code and a message).
   */
  'last_error'?: (string);
  /**
   * RFC 3339 expiry of the partner's pinned CA certificate, and of the last certificate it
   * presented (empty until it has presented one).
   */
  'ca_expires_at'?: (string);
  'certificate_expires_at'?: (string);
  /**
   * RFC 3339: until when workflow steps skip this partner, its circuit open after repeated
   * failures to reach it (then one attempt probes it); empty when the circuit is closed.
   */
  'circuit_open_until'?: (string);
}

export interface PartnerStatus__Output {
  'org': (string);
  'address': (string);
  /**
   * reachable, unreachable or unknown (never called since start).
   */
  'reachability': (string);
  /**
   * RFC 3339; empty when never.
   */
  'last_seen_at': (string);
  /**
   * The last error talking to it, when unreachable (a reason code and a message).
   */
  'last_error': (string);
  /**
   * RFC 3339 expiry of the partner's pinned CA certificate, and of the last certificate it
   * presented (empty until it has presented one).
   */
  'ca_expires_at': (string);
  'certificate_expires_at': (string);
  /**
   * RFC 3339: until when workflow steps skip this partner, its circuit open after repeated
   * failures to reach it (then one attempt probes it); empty when the circuit is closed.
   */
  'circuit_open_until': (string);
}
