import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '@entente/sdk';
import { AgentRegistry } from '../../../gateway/src/agents/index.js';
import { KeyRing, SigningKey } from '../../../gateway/src/crypto/index.js';
import { createLogger } from '../../../gateway/src/observability/index.js';
import { RegoEngine } from '../../../gateway/src/policy/index.js';
import { generateReceiptKey } from '../../../gateway/src/pki/index.js';
import { cardFor } from '../../../gateway/src/tasks/index.js';

const agent = (name: string, capability: string) =>
  defineAgent({ name, capabilities: [capability], input: z.object({}), output: z.object({}), handler: () => ({}) });

/** The card of hospital-b for `peer`, decided by a Rego module given as text. */
function card(rego: string, peer = 'hospital-a') {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({
    org: 'hospital-b',
    level: 'info',
    destination: new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>), cb()) }),
  });
  const engine = new RegoEngine({ dirs: ['inline'], modules: { 'card.rego': rego }, data: {}, revision: 'sha256:test' });
  const signer = SigningKey.fromJwk(generateReceiptKey('ES256').privateJwk);
  const keys = new KeyRing();
  keys.addJwks('hospital-b', { keys: [signer.publicJwk] });
  const view = cardFor(
    { org: 'hospital-b', policy: () => engine, agents: new AgentRegistry([agent('counter', 'patients.count'), agent('billing', 'billing.export')]), keys: () => keys, log },
    { org: peer, serial: '01', fingerprint256: 'AA' },
  );
  return { view, lines, kid: signer.publicJwk.kid };
}

describe('cardFor', () => {
  it('shows exactly the capabilities the card decision names, with our receipt keys, and logs the decision', () => {
    const { view, lines, kid } = card('package entente.inbound\ncard contains "patients.count" if input.requester.org == "hospital-a"');
    expect(view.capabilities.map((c) => c.name)).toEqual(['patients.count']);
    expect(view.receiptJwks.keys.map((k) => k.kid)).toEqual([kid]);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'card', partner: 'hospital-a', policy_revision: 'sha256:test', shown: 1, decision_id: expect.any(String) }));
  });

  describe('when the decision does not name a capability', () => {
    it('shows nothing to a partner the policy does not cover (default deny)', () => {
      expect(card('package entente.inbound\ncard contains "patients.count" if input.requester.org == "hospital-a"', 'hospital-c').view.capabilities).toEqual([]);
    });

    it('shows nothing when the card rule is missing', () => {
      expect(card('package entente.inbound\nother := 1').view.capabilities).toEqual([]);
    });

    it('ignores names the gateway does not offer', () => {
      expect(card('package entente.inbound\ncard := {"nothing.here", "patients.count"}').view.capabilities.map((c) => c.name)).toEqual(['patients.count']);
    });
  });

  it('fails closed when the card policy errors: no capabilities, and an error in our log', () => {
    const { view, lines } = card('package entente.inbound\ncard contains x if x := 1 / 0');
    expect(view.capabilities).toEqual([]);
    expect(lines).toContainEqual(expect.objectContaining({ level: 50, msg: 'card policy failed; showing no capabilities' }));
  });
});
