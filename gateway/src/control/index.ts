export { ControlServer } from './server.js';
export type { ControlServerOptions } from './server.js';
export type { ControlBackend, GatewayStatus, PartnerState } from './backend.js';
export { authorize, isRole, METHOD_ROLES, ROLES } from './roles.js';
export type { Caller, ControlMethod, Role } from './roles.js';
export { CONTROL_ERROR_CODES, ControlError } from './errors.js';
export type { ControlErrorCode } from './errors.js';
