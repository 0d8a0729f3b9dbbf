import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType } from '../generated/federation.js';

/** The repository's `proto/` folder: three levels above both src/federation and dist/federation. */
export const PROTO_ROOT = fileURLToPath(new URL('../../../proto/', import.meta.url));

/** Options that match the generated types (keepCase, string enums, defaults filled). */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
};

let cached: ProtoGrpcType | undefined;

export function federationProto(): ProtoGrpcType {
  cached ??= grpc.loadPackageDefinition(
    protoLoader.loadSync('entente/federation/v1/federation.proto', LOADER_OPTIONS),
  ) as unknown as ProtoGrpcType;
  return cached;
}
