// Original file: proto/entente/control/v1/control.proto


export interface CapabilityStatus {
  'name'?: (string);
  'description'?: (string);
  /**
   * The local agent that serves it.
   */
  'agent'?: (string);
}

export interface CapabilityStatus__Output {
  'name': (string);
  'description': (string);
  /**
   * The local agent that serves it.
   */
  'agent': (string);
}
