// Original file: proto/entente/control/v1/control.proto


export interface Statement {
  /**
   * request, result or ack.
   */
  'kind'?: (string);
  'signer_org'?: (string);
  'kid'?: (string);
  /**
   * sha256: + base64url of SHA-256 over the compact JWS text.
   */
  'digest'?: (string);
  /**
   * The signed payload as JSON text (digests and metadata only, never task data).
   */
  'payload_json'?: (string);
  'jws'?: (string);
}

export interface Statement__Output {
  /**
   * request, result or ack.
   */
  'kind': (string);
  'signer_org': (string);
  'kid': (string);
  /**
   * sha256: + base64url of SHA-256 over the compact JWS text.
   */
  'digest': (string);
  /**
   * The signed payload as JSON text (digests and metadata only, never task data).
   */
  'payload_json': (string);
  'jws': (string);
}
