import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../gateway/src/config/index.js';
import { certsInit } from '../../../gateway/src/pki/index.js';

const dir = mkdtempSync(join(tmpdir(), 'entente-config-'));
certsInit({ org: 'org-a', certsDir: join(dir, 'certs') });
const base = [
  'org: org-a',
  'listen: 127.0.0.1:7443',
  'dataDir: data',
  'tls: { ca: certs/org-a/ca.pem, cert: certs/org-a/gateway.pem, key: certs/org-a/gateway.key.pem }',
  'receipts: { signingKey: certs/org-a/receipt-signing.jwk.json }',
  'policies: { dir: policies }',
];

function load(lines: string[]): ReturnType<typeof loadConfig> {
  const path = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, lines.join('\n'));
  return loadConfig(path);
}

function problems(lines: string[]): readonly string[] {
  try {
    load(lines);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills defaults, resolves paths, reads the files and freezes the result', () => {
    const c = load(base);
    expect(c.limits).toEqual({ maxPayloadBytes: 1048576, callTimeoutMs: 10000, maxInFlightPerPartner: 64 });
    expect(c.dataDir).toBe(join(dir, 'data'));
    expect(c.tls.certPem).toMatch(/BEGIN CERTIFICATE/);
    expect(Object.isFrozen(c.limits)).toBe(true);
  });

  it('names the path and the missing file', () => {
    expect(problems([...base, 'partners:', '  - { org: org-b, address: "127.0.0.1:1", ca: nowhere/ca.pem, receiptKeys: nowhere/jwks.json }'])).toEqual([
      `partners[0].ca: file not found: ${join(dir, 'nowhere/ca.pem')}`,
      `partners[0].receiptKeys: file not found: ${join(dir, 'nowhere/jwks.json')}`,
    ]);
  });

  it('explains a bad duration', () => {
    expect(problems([...base, 'limits: { callTimeout: ten }'])).toEqual(['limits.callTimeout: expected a duration like "10s" or "250ms", got "ten"']);
  });

  it('refuses unknown keys and says which', () => {
    expect(problems([...base, 'colour: blue']).join()).toMatch(/colour/);
  });
});
