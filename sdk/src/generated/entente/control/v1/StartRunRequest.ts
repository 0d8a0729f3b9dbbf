// Original file: proto/entente/control/v1/control.proto


export interface StartRunRequest {
  /**
   * The workflow definition as YAML or JSON text (see `entente workflows validate`).
   */
  'workflow'?: (string);
  /**
   * The run's input as JSON text.
   */
  'input_json'?: (string);
}

export interface StartRunRequest__Output {
  /**
   * The workflow definition as YAML or JSON text (see `entente workflows validate`).
   */
  'workflow': (string);
  /**
   * The run's input as JSON text.
   */
  'input_json': (string);
}
