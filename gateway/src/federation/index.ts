export { FederationServer } from './server.js';
export type { FederationServerOptions } from './server.js';
export { FederationClients } from './client.js';
export type { FederationClientsOptions, PartnerEndpoint } from './client.js';
export { federationProto, LOADER_OPTIONS, PROTO_ROOT } from './proto.js';
