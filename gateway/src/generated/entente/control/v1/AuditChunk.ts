// Original file: proto/entente/control/v1/control.proto


export interface AuditChunk {
  'data'?: (Buffer | Uint8Array | string);
}

export interface AuditChunk__Output {
  'data': (Buffer);
}
