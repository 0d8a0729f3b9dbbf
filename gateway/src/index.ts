/**
 * @entente/gateway: the gateway as a library. The `entente` CLI is built on these.
 *
 * @example
 * const gateway = Gateway.create({ config: loadConfig('entente.yaml'), agents: [counter] });
 * await gateway.start();
 * const outcome = await gateway.call({ partner: 'hospital-b', capability: 'patients.count', purpose: 'research', input });
 */
export { Gateway } from './gateway.js';
export type { GatewayOptions } from './gateway.js';
export type { TaskReceipts } from './tasks/index.js';
export { verifyTaskReceipts } from './tasks/index.js';
export type { ReceiptState, ReceiptVerification } from './tasks/index.js';
export { compileConfig, ConfigError, importPartner, initConfig, loadConfig } from './config/index.js';
export type { GatewayConfig } from './config/index.js';
export { EntenteError } from './lib/index.js';
export type { GrpcStatusName } from './lib/index.js';
export { isRetryable, REASON_CODES, REASONS, TaskError } from './tasks/index.js';
export type { CallOptions, CallResult, ReasonCode, ReasonInfo } from './tasks/index.js';
export { certsInit, exportBundle, parseBundle, PeerIdentityError, TrustStore } from './pki/index.js';
export type { FederationBundle } from './pki/index.js';
export { ReceiptError, verifyStatement, verifyTriple } from './audit/index.js';
export { PolicyError, RegoEngine, WasmEngine, readPolicyDirs } from './policy/index.js';
export type { PolicyEngine } from './policy/index.js';
export { createLogger } from './observability/index.js';
export { ManualClock, systemClock } from './lib/index.js';
export type { Clock } from './lib/index.js';
export { defineAgent } from '@entente/sdk';
export type { AgentContext, AgentDefinition } from '@entente/sdk';
