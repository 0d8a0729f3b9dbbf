import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType as ControlProto } from '../generated/control.js';
import type { ProtoGrpcType as FederationProto } from '../generated/federation.js';

/** The repository's `proto/` folder: three levels above both src/lib and dist/lib. */
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

const definitions = new Map<string, protoLoader.PackageDefinition>();

/** A .proto under proto/ (or an absolute path), loaded once. */
export function protoDefinition(...files: string[]): protoLoader.PackageDefinition {
  const key = files.join('\n');
  let def = definitions.get(key);
  if (def === undefined) {
    def = protoLoader.loadSync(files, LOADER_OPTIONS);
    definitions.set(key, def);
  }
  return def;
}

export function federationProto(): FederationProto {
  return grpc.loadPackageDefinition(protoDefinition('entente/federation/v1/federation.proto')) as unknown as FederationProto;
}

export function controlProto(): ControlProto {
  return grpc.loadPackageDefinition(protoDefinition('entente/control/v1/control.proto')) as unknown as ControlProto;
}
