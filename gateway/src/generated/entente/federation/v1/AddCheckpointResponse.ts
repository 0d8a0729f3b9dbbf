// Original file: proto/entente/federation/v1/federation.proto


export interface AddCheckpointResponse {
  /**
   * The responder's cosignature line ("— <name> <base64(key ID || timestamp || signature)>"),
   * to append to the checkpoint's signature lines.
   */
  'cosignature'?: (string);
}

export interface AddCheckpointResponse__Output {
  /**
   * The responder's cosignature line ("— <name> <base64(key ID || timestamp || signature)>"),
   * to append to the checkpoint's signature lines.
   */
  'cosignature': (string);
}
