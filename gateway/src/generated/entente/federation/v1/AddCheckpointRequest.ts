// Original file: proto/entente/federation/v1/federation.proto

import type { Long } from '@grpc/proto-loader';

export interface AddCheckpointRequest {
  'old_size'?: (number | string | Long);
  'consistency_proof'?: (Buffer | Uint8Array | string)[];
  'checkpoint'?: (string);
}

export interface AddCheckpointRequest__Output {
  'old_size': (string);
  'consistency_proof': (Buffer)[];
  'checkpoint': (string);
}
