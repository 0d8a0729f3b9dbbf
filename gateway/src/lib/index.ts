export { EntenteError, GRPC_STATUS_NAMES } from './errors.js';
export type { GrpcStatusName } from './errors.js';
