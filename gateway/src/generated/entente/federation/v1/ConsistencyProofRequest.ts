// Original file: proto/entente/federation/v1/federation.proto

import type { Long } from '@grpc/proto-loader';

export interface ConsistencyProofRequest {
  'first'?: (number | string | Long);
  'second'?: (number | string | Long);
}

export interface ConsistencyProofRequest__Output {
  'first': (string);
  'second': (string);
}
