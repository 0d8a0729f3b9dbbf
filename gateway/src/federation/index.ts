export { FederationServer } from './server.js';
export type { FederationServerOptions } from './server.js';
export { FederationClients } from './client.js';
export type { FederationClientsOptions, PartnerEndpoint } from './client.js';
export { bounded, grpcStatusOfReason, MD_REASON } from './status.js';
export { LogExchange } from './log-exchange.js';
export type { FederationAudit } from './server.js';
