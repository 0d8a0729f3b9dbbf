// Original file: proto/entente/federation/v1/federation.proto

import type { Capability as _entente_federation_v1_Capability, Capability__Output as _entente_federation_v1_Capability__Output } from '../../../entente/federation/v1/Capability.js';

export interface Card {
  'org'?: (string);
  'capabilities'?: (_entente_federation_v1_Capability)[];
  /**
   * The receipt verification keys, a JWKS as UTF-8 JSON.
   */
  'receipt_jwks'?: (Buffer | Uint8Array | string);
}

export interface Card__Output {
  'org': (string);
  'capabilities': (_entente_federation_v1_Capability__Output)[];
  /**
   * The receipt verification keys, a JWKS as UTF-8 JSON.
   */
  'receipt_jwks': (Buffer);
}
