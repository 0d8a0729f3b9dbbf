import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileBundles, signResult, verifyBundle, verifyStatement } from '../../gateway/src/audit/index.js';
import { rotateKeys } from '../../gateway/src/config/index.js';
import { KeyRing, SigningKey } from '../../gateway/src/crypto/index.js';
import { Gateway, logKeyOf } from '../../gateway/src/gateway.js';
import { createLogger } from '../../gateway/src/observability/index.js';
import { generateLogKey, generateReceiptKey } from '../../gateway/src/pki/index.js';
import { acked, cohortCounter, countAgreements, startFederation, type TestFederation } from '../support/federation.js';

const A = 'clinic-a';
const B = 'lab-b';
const ask = (fed: TestFederation) => fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'asthma' } });
const roundTrip = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('rotating a gateway’s keys', () => {
  let fed: TestFederation;
  beforeAll(async () => {
    fed = await startFederation({
      [A]: { agreements: countAgreements(A, [B]) },
      [B]: { agents: [cohortCounter(9)], agreements: countAgreements(B, [A]) },
    });
  });
  afterAll(async () => {
    await fed?.stop();
  });

  it('keeps old receipts and checkpoints verifying, and partners take the new keys from the card', async () => {
    const first = await ask(fed);
    expect(first.status).toBe('completed');
    await acked(fed.gateways[A]!, B, first.taskId);
    const before = fed.config(B);
    const oldKey = before.receipts.signingJwk;
    // B's operator rotates both keys (the old receipt key may sign for an hour more) and restarts.
    await fed.gateways[B]!.stop(500);
    const outcome = rotateKeys(
      fed.configPaths[B]!,
      { receiptJwk: generateReceiptKey().privateJwk, logJwk: generateLogKey(), retiredLogVkey: logKeyOf(before).vkey() },
      { now: new Date(), overlapMs: 3600_000 },
    );
    const after = fed.config(B);
    expect(after.receipts.signingJwk.kid).toBe(outcome.receipt!.kid);
    expect(after.receipts.previousJwks).toEqual([expect.objectContaining({ kid: oldKey.kid, exp: expect.any(Number) })]);
    expect(after.receipts.previousJwks[0]).not.toHaveProperty('d');
    expect(after.audit.previousLogKeys).toEqual([logKeyOf(before).vkey()]);
    fed.gateways[B] = Gateway.create({ config: after, agents: [cohortCounter(9)], logger: createLogger({ org: B, level: 'silent' }) });
    await fed.gateways[B]!.start();

    // A has only B's old key pinned: it learns the new one from B's card and the task verifies.
    // (A's channel to B may still be backing off from B's restart: ask until it is through.)
    let r = await ask(fed);
    for (let i = 0; i < 40 && r.reason === 'partner_unavailable'; i++) {
      await new Promise((done) => setTimeout(done, 100));
      r = await ask(fed);
    }
    expect(r.status).toBe('completed');
    await acked(fed.gateways[A]!, B, r.taskId);
    expect((await fed.gateways[A]!.receipts(r.taskId, B))[0]?.verification.state).toBe('verified');
    expect(fed.logs[A]!.some((l) => l['msg'] === "learned receipt keys from a partner's card")).toBe(true);
    // A witnesses B's log across the log key's rotation, without an alarm.
    await expect
      .poll(async () => (await fed.gateways[A]!.logStatus()).witnessed.find((w) => w.partner === B)?.size, { timeout: 8000 })
      .toBe((await fed.gateways[B]!.logStatus()).size);
    expect((await fed.gateways[A]!.logStatus()).alarmCount).toBe(0);

    // Both exports verify with the key history they carry, and reconcile.
    const [ea, eb] = [roundTrip(await fed.gateways[A]!.exportAudit()), roundTrip(await fed.gateways[B]!.exportAudit())];
    expect(eb.keys[B]!.receipt.map((k) => [k.jwk.kid, k.valid_until !== null])).toEqual([
      [outcome.receipt!.kid, false],
      [oldKey.kid, true],
    ]);
    expect(eb.keys[B]!.log).toHaveLength(2);
    expect(verifyBundle(eb).findings).toEqual([]);
    expect(verifyBundle(ea).findings).toEqual([]);
    expect(reconcileBundles(ea, eb).findings).toEqual([]);
  });

  it('refuses a statement the retired key signs after its overlap', () => {
    const old = SigningKey.fromJwk(JSON.parse(readFileSync(join(fed.certsDir, B, 'receipt-signing.jwk.json'), 'utf8')));
    const ring = new KeyRing();
    ring.addJwks(B, { keys: fed.config(B).receipts.previousJwks as never });
    const exp = (fed.config(B).receipts.previousJwks[0] as unknown as { exp: number }).exp;
    const fields = { task_id: 't-late', from: B, to: A, request_digest: `sha256:${'A'.repeat(43)}`, status: 'denied' as const, reason: 'inbound_denied', inbound: null, disclosure: null };
    expect(() => verifyStatement(signResult(old, { ...fields, iat: exp - 10 }).jws, ring, { kind: 'result', signerOrg: B })).not.toThrow();
    expect(() => verifyStatement(signResult(old, { ...fields, iat: exp + 10 }).jws, ring, { kind: 'result', signerOrg: B })).toThrow(expect.objectContaining({ code: 'RECEIPT_KEY_NOT_VALID' }));
  });
});
