import type { GatewayConfig } from './load.js';

/** The parts of a config a running gateway can take without a restart. */
const RELOADABLE = new Set(['partners', 'policies', 'receipts.previousKeys', 'control.revoked', 'log.level']);

/**
 * What changed between the running config and the one a reload brings, among the fields a
 * reload cannot apply (ports, identity, storage, limits, agents): each named, with what to do.
 * Empty when the reload may proceed.
 */
export function restartOnlyChanges(running: GatewayConfig, next: GatewayConfig): string[] {
  const fields: [string, (c: GatewayConfig) => unknown][] = [
    ['org', (c) => c.org],
    ['listen', (c) => c.listen],
    ['advertise', (c) => c.advertise],
    ['dataDir', (c) => c.dataDir],
    ['tls.ca', (c) => c.tls.caPem],
    ['tls.cert', (c) => c.tls.certPem],
    ['tls.key', (c) => c.tls.keyPem],
    ['receipts.signingKey', (c) => c.receipts.signingJwk],
    ['agents', (c) => c.agents],
    ['workflows', (c) => c.workflows],
    ['limits', (c) => c.limits],
    ['circuits', (c) => c.circuits],
    ['acks', (c) => c.acks],
    ['control.socket', (c) => c.control.socket],
    ['control.listen', (c) => c.control.listen],
    ['audit.retention', (c) => ({ enabled: c.audit.retention.enabled, keyId: c.audit.retention.key?.id, periodMs: c.audit.retention.periodMs })],
  ];
  return fields
    .filter(([field, get]) => !RELOADABLE.has(field) && JSON.stringify(get(running)) !== JSON.stringify(get(next)))
    .map(([field]) => `${field} changed: a reload cannot apply it; restart the gateway (the running configuration is kept)`);
}
