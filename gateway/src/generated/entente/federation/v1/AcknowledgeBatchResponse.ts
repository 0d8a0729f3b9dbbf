// Original file: proto/entente/federation/v1/federation.proto

import type { AckOutcome as _entente_federation_v1_AckOutcome, AckOutcome__Output as _entente_federation_v1_AckOutcome__Output } from '../../../entente/federation/v1/AckOutcome.js';

export interface AcknowledgeBatchResponse {
  /**
   * One per ack of the request, in its order.
   */
  'outcomes'?: (_entente_federation_v1_AckOutcome)[];
}

export interface AcknowledgeBatchResponse__Output {
  /**
   * One per ack of the request, in its order.
   */
  'outcomes': (_entente_federation_v1_AckOutcome__Output)[];
}
