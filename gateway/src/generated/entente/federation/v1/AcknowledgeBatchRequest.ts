// Original file: proto/entente/federation/v1/federation.proto

import type { AcknowledgeRequest as _entente_federation_v1_AcknowledgeRequest, AcknowledgeRequest__Output as _entente_federation_v1_AcknowledgeRequest__Output } from '../../../entente/federation/v1/AcknowledgeRequest.js';

export interface AcknowledgeBatchRequest {
  'acks'?: (_entente_federation_v1_AcknowledgeRequest)[];
}

export interface AcknowledgeBatchRequest__Output {
  'acks': (_entente_federation_v1_AcknowledgeRequest__Output)[];
}
