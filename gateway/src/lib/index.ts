export { EntenteError, GRPC_STATUS_NAMES } from './errors.js';
export type { GrpcStatusName } from './errors.js';
export { controlProto, federationProto, LOADER_OPTIONS, PROTO_ROOT, protoDefinition } from './proto.js';
export { bindServer, LISTEN_ERROR_CODES, ListenError, shutdownServer } from './grpc-server.js';
export { decodeUtf8Strict, jsonTextDepth, jsonValueDepth } from './json.js';
export { ManualClock, systemClock } from './clock.js';
export type { Clock } from './clock.js';
export { durationSchema } from './duration.js';
export { nearest } from './suggest.js';
