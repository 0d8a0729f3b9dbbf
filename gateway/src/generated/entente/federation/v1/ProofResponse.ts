// Original file: proto/entente/federation/v1/federation.proto


export interface ProofResponse {
  /**
   * 32-byte SHA-256 hashes, in the RFC's order.
   */
  'hashes'?: (Buffer | Uint8Array | string)[];
}

export interface ProofResponse__Output {
  /**
   * 32-byte SHA-256 hashes, in the RFC's order.
   */
  'hashes': (Buffer)[];
}
