// Original file: proto/entente/federation/v1/federation.proto


export interface Capability {
  /**
   * [a-z0-9][a-z0-9._-]{0,127}
   */
  'name'?: (string);
  'description'?: (string);
  /**
   * JSON Schema documents, as UTF-8 JSON.
   */
  'input_schema'?: (Buffer | Uint8Array | string);
  'output_schema'?: (Buffer | Uint8Array | string);
}

export interface Capability__Output {
  /**
   * [a-z0-9][a-z0-9._-]{0,127}
   */
  'name': (string);
  'description': (string);
  /**
   * JSON Schema documents, as UTF-8 JSON.
   */
  'input_schema': (Buffer);
  'output_schema': (Buffer);
}
