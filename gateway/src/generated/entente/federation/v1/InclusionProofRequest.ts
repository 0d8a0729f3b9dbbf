// Original file: proto/entente/federation/v1/federation.proto

import type { Long } from '@grpc/proto-loader';

export interface InclusionProofRequest {
  'index'?: (number | string | Long);
  'tree_size'?: (number | string | Long);
}

export interface InclusionProofRequest__Output {
  'index': (string);
  'tree_size': (string);
}
