export { compileConfig, loadConfig } from './load.js';
export type { GatewayConfig } from './load.js';
export { importPartner, initConfig, rotateKeys } from './edit.js';
export type { ImportOutcome, RotationOutcome } from './edit.js';
export { CONFIG_ERROR_CODES, ConfigError } from './errors.js';
export type { ConfigErrorCode } from './errors.js';
export { configSchema } from './schema.js';
export type { RawConfig } from './schema.js';
export { restartOnlyChanges } from './reload.js';
