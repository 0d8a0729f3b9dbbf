// Original file: proto/entente/federation/v1/federation.proto


export interface CheckpointResponse {
  /**
   * A C2SP signed note: "<origin>\n<size>\n<base64 root>\n\n— <origin> <base64 signature>\n".
   */
  'checkpoint'?: (string);
}

export interface CheckpointResponse__Output {
  /**
   * A C2SP signed note: "<origin>\n<size>\n<base64 root>\n\n— <origin> <base64 signature>\n".
   */
  'checkpoint': (string);
}
