import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '@entente/sdk';
import { importPartner, loadConfig } from '../../gateway/src/config/index.js';
import { exportBundle } from '../../gateway/src/pki/index.js';
import { countAgreements, startFederation, type TestFederation } from '../support/federation.js';

const A = 'hospital-a';
const B = 'hospital-b';
const C = 'hospital-c';

const counter = defineAgent({
  name: 'cohort-counter',
  capabilities: ['patients.count'],
  input: z.object({ condition: z.string() }),
  output: z.strictObject({ count: z.number().int() }),
  handler: () => ({ count: 9 }),
});
const ask = (fed: TestFederation, from: string, to: string) =>
  fed.gateways[from]!.call({ partner: to, capability: 'patients.count', purpose: 'research', input: { condition: 'asthma' } });

describe('reloading a running gateway', () => {
  let fed: TestFederation;
  beforeAll(async () => {
    fed = await startFederation({
      [A]: { agents: [counter], agreements: countAgreements(A, [B, C]) },
      [B]: { agents: [counter], agreements: countAgreements(B, [A, C]) },
      [C]: { agents: [counter], agreements: countAgreements(C, [A, B]) },
    });
  });
  afterAll(async () => {
    await fed?.stop();
  });

  const edit = (org: string, change: (yaml: string) => string) => {
    const path = fed.configPaths[org]!;
    writeFileSync(path, change(readFileSync(path, 'utf8')));
    return path;
  };
  /** Removes one partner's entry (org, address, ca, receiptKeys lines) from a YAML config written by importPartner. */
  const withoutPartner = (yaml: string, org: string) => yaml.replace(new RegExp(`  - org: ${org}\\n(    .*\\n)+`), '');

  it('removes a partner: our calls to it stop, and its calls to us are refused, without a restart', async () => {
    expect((await ask(fed, A, C)).status).toBe('completed');
    const path = edit(A, (y) => withoutPartner(y, C));
    fed.gateways[A]!.reload(loadConfig(path));
    await expect(ask(fed, A, C)).rejects.toMatchObject({ reason: 'partner_unknown' });
    // C still has A configured, but A no longer trusts C's certificate.
    const fromC = await ask(fed, C, A);
    expect(fromC).toMatchObject({ status: 'failed' });
    expect(['peer_unauthenticated', 'partner_unavailable']).toContain(fromC.reason);
    expect((await ask(fed, A, B)).status).toBe('completed');
  });

  it('adds a partner imported from its bundle: calls work both ways after SIGHUP-style reload', async () => {
    const path = fed.configPaths[A]!;
    expect(importPartner(path, exportBundle({ org: C, address: `127.0.0.1:${fed.ports[C]}`, certsDir: fed.certsDir }))).toBe('added');
    fed.gateways[A]!.reload(loadConfig(path));
    expect((await ask(fed, A, C)).status).toBe('completed');
    // C's new connection is accepted: A's TLS roots now include C's CA again.
    // C's channel to A failed its handshakes while A refused it and is backing off; once it
    // reconnects, A's TLS roots include C's CA again.
    await expect.poll(async () => (await ask(fed, C, A)).status, { timeout: 10_000, interval: 250 }).toBe('completed');
    expect(fed.logs[A]!.some((l) => l['msg'] === 'reloaded configuration' && JSON.stringify(l['partners']).includes(C))).toBe(true);
  });

  it('takes a brand-new partner, unknown at start, whose CA the TLS layer has never seen', async () => {
    const D = 'lab-d';
    const other = await startFederation({ [D]: { agents: [counter], agreements: countAgreements(D, [A]) } });
    try {
      const agreements = JSON.parse(readFileSync(join(fed.dir, 'policies', A, 'data.json'), 'utf8')) as { agreements: ReturnType<typeof countAgreements> };
      const both = countAgreements(A, [B, C, D]);
      writeFileSync(join(fed.dir, 'policies', A, 'data.json'), JSON.stringify({ agreements: { ...agreements.agreements, ...both } }));
      importPartner(fed.configPaths[A]!, exportBundle({ org: D, address: `127.0.0.1:${other.ports[D]}`, certsDir: other.certsDir }));
      importPartner(other.configPaths[D]!, exportBundle({ org: A, address: `127.0.0.1:${fed.ports[A]}`, certsDir: fed.certsDir }));
      fed.gateways[A]!.reload(loadConfig(fed.configPaths[A]!));
      other.gateways[D]!.reload(loadConfig(other.configPaths[D]!));
      expect((await ask(other, D, A)).status).toBe('completed');
      expect((await ask(fed, A, D)).status).toBe('completed');
    } finally {
      await other.stop();
    }
  });

  it('refuses, whole, a config that changes what only a restart can apply, and keeps running', async () => {
    const before = fed.gateways[A]!.policyRevision;
    const path = edit(A, (y) => y.replace(/^listen: .*$/m, 'listen: 127.0.0.1:1'));
    try {
      expect(() => fed.gateways[A]!.reload(loadConfig(path))).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('listen changed: a reload cannot apply it; restart the gateway') }),
      );
      expect(fed.gateways[A]!.policyRevision).toBe(before);
      expect((await ask(fed, A, B)).status).toBe('completed');
    } finally {
      edit(A, (y) => y.replace(/^listen: .*$/m, `listen: 127.0.0.1:${fed.ports[A]}`));
    }
  });

  it('refuses policies whose agreements do not validate, keeping the running policies', async () => {
    const before = fed.gateways[A]!.policyRevision;
    const dataFile = join(fed.dir, 'policies', A, 'data.json');
    const good = readFileSync(dataFile, 'utf8');
    writeFileSync(dataFile, good.replace('"disclose"', '"diclose"'));
    try {
      expect(() => fed.gateways[A]!.reload(loadConfig(fed.configPaths[A]!))).toThrow(expect.objectContaining({ code: 'POLICY_LOAD_FAILED', message: expect.stringContaining('unknown key "diclose"') }));
      expect(fed.gateways[A]!.policyRevision).toBe(before);
      expect((await ask(fed, B, A)).status).toBe('completed');
    } finally {
      writeFileSync(dataFile, good);
    }
  });
});
