// Original file: proto/entente/control/v1/control.proto

import type { Long } from '@grpc/proto-loader';

export interface WitnessedLog {
  'partner'?: (string);
  'size'?: (number | string | Long);
  'verified_at'?: (string);
}

export interface WitnessedLog__Output {
  'partner': (string);
  'size': (string);
  'verified_at': (string);
}
