// Original file: proto/entente/federation/v1/federation.proto

import type { Capability as _entente_federation_v1_Capability, Capability__Output as _entente_federation_v1_Capability__Output } from '../../../entente/federation/v1/Capability.js';

export interface Card {
  /**
   * The responder's org id.
   */
  'org'?: (string);
  'capabilities'?: (_entente_federation_v1_Capability)[];
  /**
   * The receipt verification keys, a JWKS ({"keys":[...]}) as UTF-8 JSON: current and
   * previous keys. Verifiers use the keys exchanged in the federation bundle.
   */
  'receipt_jwks'?: (Buffer | Uint8Array | string);
  /**
   * The verifier key of the responder's audit log (C2SP vkey, Ed25519, type 0x01): its
   * checkpoints are signed with it, and its cosignatures (type 0x04) with the same key.
   */
  'log_key'?: (string);
  /**
   * Log keys the responder rotated from (vkeys): its older checkpoints are signed by them.
   */
  'previous_log_keys'?: (string)[];
}

export interface Card__Output {
  /**
   * The responder's org id.
   */
  'org': (string);
  'capabilities': (_entente_federation_v1_Capability__Output)[];
  /**
   * The receipt verification keys, a JWKS ({"keys":[...]}) as UTF-8 JSON: current and
   * previous keys. Verifiers use the keys exchanged in the federation bundle.
   */
  'receipt_jwks': (Buffer);
  /**
   * The verifier key of the responder's audit log (C2SP vkey, Ed25519, type 0x01): its
   * checkpoints are signed with it, and its cosignatures (type 0x04) with the same key.
   */
  'log_key': (string);
  /**
   * Log keys the responder rotated from (vkeys): its older checkpoints are signed by them.
   */
  'previous_log_keys': (string)[];
}
