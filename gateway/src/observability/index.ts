export { createLogger } from './logger.js';
export type { LogFormat, Logger, LoggerOptions } from './logger.js';
