import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseDocument } from 'yaml';
import { defineAgent } from '@entente/sdk';
import { FederationClients } from '../../gateway/src/federation/index.js';
import { createLogger } from '../../gateway/src/observability/index.js';
import { createOrgCa, issueGatewayCert, TrustStore } from '../../gateway/src/pki/index.js';
import { loadConfig } from '../../gateway/src/config/index.js';
import { countAgreements, startFederation, type TestFederation } from '../support/federation.js';

const A = 'hospital-a';
const B = 'hospital-b';
const C = 'hospital-c';
const DAY = 24 * 3600 * 1000;

describe('who may call a gateway: identity from the verified certificate only', () => {
  let fed: TestFederation;
  const runs = { n: 0 };
  const agent = defineAgent({
    name: 'counter',
    capabilities: ['patients.count'],
    input: z.object({ condition: z.string() }),
    output: z.object({ count: z.number() }),
    handler: () => {
      runs.n++;
      return { count: 42 };
    },
  });

  beforeAll(async () => {
    fed = await startFederation({
      [A]: { agents: [agent], agreements: countAgreements(A, [B, C]) },
      [B]: { agreements: countAgreements(B, [A, C]) },
      [C]: { agreements: countAgreements(C, [A, B]) },
    });
  });
  afterAll(async () => {
    await fed?.stop();
  });

  /** A client of A's federation service presenting the given certificate. */
  function clientWith(cert: { certPem: string; keyPem: string }) {
    const aCa = readFileSync(join(fed.certsDir, A, 'ca.pem'), 'utf8');
    return new FederationClients({
      partners: [{ org: A, address: `127.0.0.1:${fed.ports[A]}` }],
      certPem: cert.certPem,
      keyPem: cert.keyPem,
      trust: () => new TrustStore([{ org: A, caPem: aCa }]),
      maxPayloadBytes: 1 << 20,
      maxInFlightPerPartner: 4,
      log: createLogger({ level: 'silent' }),
    });
  }

  function caOf(org: string) {
    return {
      certPem: readFileSync(join(fed.certsDir, org, 'ca.pem'), 'utf8'),
      keyPem: readFileSync(join(fed.certsDir, org, 'ca.key.pem'), 'utf8'),
    };
  }

  async function expectRefused(cert: { certPem: string; keyPem: string }, reasons: string[]) {
    const client = clientWith(cert);
    const before = runs.n;
    try {
      await expect(client.getCard(A, Date.now() + 3000)).rejects.toSatisfy((e: { reason: string }) => reasons.includes(e.reason));
      await expect(
        client.submit(
          A,
          {
            taskId: `attack-${Math.random().toString(36).slice(2)}`,
            capability: 'patients.count',
            purpose: 'research',
            inputBytes: Buffer.from('{"condition":"x"}'),
            salt: 'AAAAAAAAAAAAAAAAAAAAAA',
            requestStatement: 'x.y.z',
          },
          Date.now() + 3000,
        ),
      ).rejects.toSatisfy((e: { reason: string }) => reasons.includes(e.reason));
    } finally {
      client.close();
    }
    expect(runs.n).toBe(before);
  }

  it('accepts a genuine partner certificate (control case)', async () => {
    const b = {
      certPem: readFileSync(join(fed.certsDir, B, 'gateway.pem'), 'utf8'),
      keyPem: readFileSync(join(fed.certsDir, B, 'gateway.key.pem'), 'utf8'),
    };
    const client = clientWith(b);
    try {
      const card = await client.getCard(A, Date.now() + 3000);
      expect(card.org).toBe(A);
      expect(card.capabilities.map((c) => c.name)).toEqual(['patients.count']);
    } finally {
      client.close();
    }
  });

  it('refuses a certificate from an unknown CA at the TLS layer', async () => {
    const stranger = createOrgCa('stranger');
    await expectRefused(issueGatewayCert(stranger, 'stranger'), ['partner_unavailable', 'peer_unauthenticated']);
  });

  it("refuses a certificate from B's CA claiming to be C", async () => {
    await expectRefused(issueGatewayCert(caOf(B), C), ['peer_unauthenticated']);
  });

  it('refuses an expired certificate', async () => {
    const now = Date.now();
    const expired = issueGatewayCert(caOf(B), B, { notBefore: new Date(now - 10 * DAY), notAfter: new Date(now - DAY) });
    await expectRefused(expired, ['partner_unavailable', 'peer_unauthenticated']);
  });

  it('refuses a not-yet-valid certificate', async () => {
    const now = Date.now();
    const early = issueGatewayCert(caOf(B), B, { notBefore: new Date(now + DAY), notAfter: new Date(now + 10 * DAY) });
    await expectRefused(early, ['partner_unavailable', 'peer_unauthenticated']);
  });

  it('refuses a deny-listed certificate after a reload, without a restart', async () => {
    const revoked = issueGatewayCert(caOf(B), B);
    // Before the deny-list: accepted.
    const ok = clientWith(revoked);
    await expect(ok.getCard(A, Date.now() + 3000)).resolves.toMatchObject({ org: A });
    ok.close();
    const path = fed.configPaths[A]!;
    const doc = parseDocument(readFileSync(path, 'utf8'));
    const partners = doc.get('partners') as { items: { get(k: string): unknown; set(k: string, v: unknown): void }[] };
    const entry = partners.items.find((p) => p.get('org') === B)!;
    entry.set('revoked', { serials: [revoked.serial] });
    writeFileSync(path, doc.toString());
    fed.gateways[A]!.reload(loadConfig(path));
    await expectRefused(revoked, ['peer_unauthenticated']);
  });
});
