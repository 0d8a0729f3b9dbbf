export { controlProto, federationProto, LOADER_OPTIONS, PROTO_ROOT, protoDefinition } from './proto.js';
export { bindServer, ListenError, shutdownServer } from './grpc-server.js';
