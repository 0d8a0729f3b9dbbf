import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, restartOnlyChanges } from '../../../gateway/src/config/index.js';
import { certsInit } from '../../../gateway/src/pki/index.js';

const dir = mkdtempSync(join(tmpdir(), 'entente-config-'));
certsInit({ org: 'org-a', certsDir: join(dir, 'certs') });
certsInit({ org: 'org-b', certsDir: join(dir, 'certs') });
const withTls = (tls: string) => base.map((l) => (l.startsWith('tls:') ? `tls: { ${tls} }` : l));
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
    expect(c.limits).toEqual({ maxPayloadBytes: 1048576, callTimeoutMs: 10000, maxInFlightPerPartner: 64, maxJsonDepth: 64 });
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

  it('retries acks after 1 s doubling to 5 min by default, and refuses a maximum below the initial interval', () => {
    expect(load(base).acks).toEqual({ initialIntervalMs: 1000, maximumIntervalMs: 300_000, rideWaitMs: 10 });
    expect(load([...base, 'acks: { initialInterval: 200ms, maximumInterval: 2s, rideWait: 0ms }']).acks).toEqual({ initialIntervalMs: 200, maximumIntervalMs: 2000, rideWaitMs: 0 });
    expect(problems([...base, 'acks: { initialInterval: 10s, maximumInterval: 1s }'])).toEqual([
      'acks.maximumInterval: 1000 ms cannot be less than acks.initialInterval (10000 ms); raise it or lower the initial interval',
    ]);
    expect(problems([...base, 'acks: { rideWait: 5s }'])).toEqual([
      'acks.rideWait: at most 1s: an ack waits that long for a task to ride on, and the partner lacks it meanwhile',
    ]);
  });

  it('logs in the auto format by default (pretty on a terminal) and names the choices for log.format', () => {
    expect(load(base).log).toEqual({ level: 'info', format: 'auto' });
    expect(load([...base, 'log: { format: json }']).log.format).toBe('json');
    expect(problems([...base, 'log: { format: colour }'])).toEqual(['log.format: expected auto (pretty on a terminal, json otherwise), pretty or json']);
  });

  it('refuses unknown keys and says which', () => {
    expect(problems([...base, 'colour: blue']).join()).toMatch(/colour/);
  });

  describe('audit.retention: decision inputs kept for replay', () => {
    const key = randomBytes(32);

    it('is off by default, with a 30-day period for whatever was kept before', () => {
      expect(load(base).audit.retention).toEqual({ enabled: false, periodMs: 30 * 86_400_000 });
    });

    it('takes a base64 key inline, or a key file (base64 text or the 32 bytes), and a period in days', () => {
      const inline = load([...base, `audit: { retention: { enabled: true, key: "${key.toString('base64')}", period: 7d } }`]).audit.retention;
      expect(inline.periodMs).toBe(7 * 86_400_000);
      writeFileSync(join(dir, 'retention.key'), key.toString('base64') + '\n');
      writeFileSync(join(dir, 'retention.raw'), key);
      const fromText = load([...base, 'audit: { retention: { enabled: true, keyFile: retention.key } }']).audit.retention;
      const fromRaw = load([...base, 'audit: { retention: { enabled: true, keyFile: retention.raw } }']).audit.retention;
      expect([fromText.key?.id, fromRaw.key?.id]).toEqual([inline.key?.id, inline.key?.id]);
      expect(inline.key?.id).toMatch(/^key:/);
      // Off, with a key: nothing new is kept, but what was kept earlier still opens for a replay.
      expect(load([...base, 'audit: { retention: { keyFile: retention.key } }']).audit.retention).toMatchObject({ enabled: false, key: { id: inline.key?.id } });
    });

    it('names the field and the fix when the key is missing, doubled, unreadable or the wrong size', () => {
      expect(problems([...base, 'audit: { retention: { enabled: true } }'])).toEqual([
        'audit.retention: enabled needs a key: set key (base64 of 32 bytes, from openssl rand -base64 32) or keyFile (a file holding one)',
      ]);
      expect(problems([...base, `audit: { retention: { enabled: true, key: "${key.toString('base64')}", keyFile: k } }`])).toEqual(['audit.retention: give key or keyFile, not both']);
      expect(problems([...base, 'audit: { retention: { enabled: true, keyFile: nowhere.key } }'])).toEqual([`audit.retention.keyFile: file not found: ${join(dir, 'nowhere.key')}`]);
      expect(problems([...base, `audit: { retention: { enabled: true, key: "${randomBytes(16).toString('base64')}" } }`])).toEqual([
        'audit.retention.key: the key is 16 bytes; AES-256-GCM needs exactly 32 (make one with: openssl rand -base64 32)',
      ]);
      expect(problems([...base, 'audit: { retention: { enabled: true, period: forever } }'])[0]).toMatch(/^audit\.retention\.period: expected a duration/);
    });

    it('takes effect at a restart only: a reload that changes it is refused', () => {
      const on = load([...base, `audit: { retention: { enabled: true, key: "${key.toString('base64')}" } }`]);
      expect(restartOnlyChanges(on, load([...base, `audit: { retention: { enabled: true, key: "${key.toString('base64')}" } }`]))).toEqual([]);
      expect(restartOnlyChanges(on, load(base))).toEqual(['audit.retention changed: a reload cannot apply it; restart the gateway (the running configuration is kept)']);
    });

    it('keeps the key out of the config as JSON', () => {
      const c = load([...base, `audit: { retention: { enabled: true, key: "${key.toString('base64')}" } }`]);
      expect(JSON.stringify(c)).not.toContain(key.toString('base64'));
    });
  });

  describe('the gateway TLS material, checked before any handshake', () => {
    it("names tls.key and both files when the key is not the certificate's", () => {
      expect(problems(withTls('ca: certs/org-a/ca.pem, cert: certs/org-a/gateway.pem, key: certs/org-b/gateway.key.pem'))).toEqual([
        `tls.key (${join(dir, 'certs/org-b/gateway.key.pem')}): does not belong to the certificate in tls.cert (${join(dir, 'certs/org-a/gateway.pem')}); ` +
          'point tls.cert and tls.key at the gateway.pem and gateway.key.pem of one entente certs init',
      ]);
    });

    it('refuses a certificate of another CA, or of another org, saying partners would refuse it', () => {
      expect(problems(withTls('ca: certs/org-a/ca.pem, cert: certs/org-b/gateway.pem, key: certs/org-b/gateway.key.pem'))).toEqual([
        `tls.cert (${join(dir, 'certs/org-b/gateway.pem')}): is not issued by the CA in tls.ca (${join(dir, 'certs/org-a/ca.pem')}); partners pin that CA and would refuse this certificate`,
        `tls.cert (${join(dir, 'certs/org-b/gateway.pem')}): must carry exactly one URI SAN urn:entente:org:org-a (it has urn:entente:org:org-b); partners identify this gateway by it`,
      ]);
    });

    it('refuses a key file that holds no key, naming it', () => {
      // PEM armour around no key at all (spelled in parts: the repository's hook flags key armour).
      const armour = (edge: string) => `-----${edge} PRIVATE` + ' KEY-----';
      writeFileSync(join(dir, 'broken.key.pem'), `${armour('BEGIN')}\nnot base64\n${armour('END')}\n`);
      expect(problems(withTls('ca: certs/org-a/ca.pem, cert: certs/org-a/gateway.pem, key: broken.key.pem'))).toEqual([
        expect.stringMatching(new RegExp(`^tls\\.key \\(${join(dir, 'broken.key.pem')}\\): not a private key this gateway can read`)),
      ]);
    });

    it('refuses a partner CA that is not a CA certificate', () => {
      expect(
        problems([...base, 'partners:', '  - { org: org-b, address: "127.0.0.1:1", ca: certs/org-b/gateway.pem, receiptKeys: certs/org-b/receipt-jwks.json }']),
      ).toEqual([`partners[0].ca (${join(dir, 'certs/org-b/gateway.pem')}): is not a CA certificate; pin the partner's ca.pem from its federation bundle`]);
    });
  });
});
