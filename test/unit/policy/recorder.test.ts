import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { saltedDigest, SealingKey } from '../../../gateway/src/crypto/index.js';
import { decide, decideCard, DecisionRecorder, loadPolicyEngine, openInput, type RetainedInput } from '../../../gateway/src/policy/index.js';
import { agreementsWith, capturedLogger, decisionScratch, type DecisionScratch } from '../../support/decisions.js';

const SECRET = 'Ada-Lovelace-1815';
const outboundInput = { task_id: 't1', partner: 'hospital-b', capability: 'patients.count', purpose: 'research', input: { condition: 'asthma', name: SECRET } };

describe('DecisionRecorder', () => {
  let scratch: DecisionScratch;
  afterEach(async () => {
    await scratch?.dispose();
  });

  const setup = (retention: { key?: SealingKey; periodMs?: number } = {}) => {
    scratch = decisionScratch(agreementsWith('hospital-b'));
    const { logger, lines } = capturedLogger();
    const recorder = new DecisionRecorder({
      log: scratch.store,
      retention: { ...(retention.key !== undefined ? { key: retention.key } : {}), periodMs: retention.periodMs ?? 30 * 86_400_000 },
      logger,
    });
    const engine = recorder.adopt(loadPolicyEngine({ engine: 'rego', dirs: scratch.policyDirs }));
    return { recorder, engine, lines };
  };

  /**
   * Waits until the store has committed the deferred records: a write submitted after them
   * brings them into its commit and resolves once that is durable (a fixed pause did not
   * always outlast the 100 ms deferral on a loaded machine).
   */
  const settled = () => scratch.store.write({});

  it('records each decision made with an adopted engine: id, point, revision, time, salted input digest, outcome without payload', async () => {
    const { engine } = setup();
    const at = Date.parse('2026-03-01T10:00:00Z');
    const decision = decide(engine, 'outbound', outboundInput, { now: at });
    expect(decision.allow).toBe(true);
    await settled();
    const record = await scratch.store.getDecision(decision.id);
    expect(record).toMatchObject({ decisionId: decision.id, point: 'outbound', revision: engine.revision, decidedAt: at });
    expect(record!.salt).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(record!.inputDigest).toBe(saltedDigest(record!.salt, outboundInput));
    expect(record!.outcome).toEqual({ kind: 'decision', allow: true, reasons: [], requireApproval: false, payloadDigest: saltedDigest(record!.salt, { condition: 'asthma' }) });
    expect(JSON.stringify(record)).not.toContain(SECRET);
    // No retention: the input is not kept.
    expect(await scratch.store.getRetainedInput(decision.id)).toBeUndefined();
  });

  it('records denials and the card, each with a salt of its own', async () => {
    const { engine } = setup();
    const denied = decide(engine, 'inbound', { requester: { org: 'bank-z' }, capability: 'patients.count', purpose: 'research', input: {} });
    const card = decideCard(engine, { requester: { org: 'hospital-b' }, capabilities: ['zeta', 'patients.count', 'alpha'] });
    await settled();
    const [d, c] = [await scratch.store.getDecision(denied.id), await scratch.store.getDecision(card.id)];
    expect(d?.outcome).toEqual({ kind: 'decision', allow: false, reasons: ['no_agreement'], requireApproval: false });
    expect(c).toMatchObject({ point: 'card', outcome: { kind: 'card', visible: ['patients.count'] } });
    expect(c!.inputDigest).toBe(saltedDigest(c!.salt, { requester: { org: 'hospital-b' }, capabilities: ['zeta', 'patients.count', 'alpha'] }));
    expect(c!.salt).not.toBe(d!.salt);
  });

  it("keeps the adopted engine's revision content once, so that it can be loaded again", async () => {
    const { engine, recorder } = setup();
    recorder.adopt(loadPolicyEngine({ engine: 'rego', dirs: scratch.policyDirs }));
    await settled();
    expect(await scratch.store.getPolicyRevision(engine.revision)).toEqual(engine.content);
  });

  describe('with retention', () => {
    it('keeps the input sealed with the key, which opens to the input the digest was made of', async () => {
      const key = new SealingKey(randomBytes(32));
      const { engine } = setup({ key });
      const decision = decide(engine, 'outbound', outboundInput);
      await settled();
      const kept = (await scratch.store.getRetainedInput(decision.id)) as RetainedInput;
      expect(kept).toMatchObject({ decisionId: decision.id, keyId: key.id });
      expect(JSON.parse(openInput(key, kept))).toEqual(outboundInput);
    });

    it('never writes the input to disk as plaintext: not in the database, not in its write-ahead log', async () => {
      const key = new SealingKey(randomBytes(32));
      const { engine } = setup({ key });
      for (let i = 0; i < 20; i++) decide(engine, 'outbound', { ...outboundInput, task_id: `t${i}` });
      await settled();
      const onDisk = () => Buffer.concat([scratch.file, `${scratch.file}-wal`].filter(existsSync).map((f) => readFileSync(f)));
      expect(onDisk().includes(Buffer.from('Lovelace'))).toBe(false);
      await scratch.store.close();
      expect(onDisk().includes(Buffer.from('Lovelace'))).toBe(false);
      // The control: the policy files, kept in the clear, are there.
      expect(onDisk().includes(Buffer.from('package entente.outbound'))).toBe(true);
    });

    it('deletes inputs at the end of their retention period and logs how many and which, never what they held', async () => {
      const key = new SealingKey(randomBytes(32));
      const { engine, recorder, lines } = setup({ key, periodMs: 60_000 });
      const t0 = Date.parse('2026-03-01T10:00:00Z');
      const old = decide(engine, 'outbound', outboundInput, { now: t0 });
      const recent = decide(engine, 'outbound', outboundInput, { now: t0 + 50_000 });
      await settled();
      expect(await recorder.sweep(t0 + 59_000)).toEqual([]);
      expect(await recorder.sweep(t0 + 61_000)).toEqual([old.id]);
      expect(await scratch.store.getRetainedInput(old.id)).toEqual({ decisionId: old.id, keyId: key.id, keptAt: t0, deletedAt: t0 + 61_000 });
      expect(await scratch.store.getRetainedInput(recent.id)).toHaveProperty('sealed');
      // The decision itself stays on record.
      expect(await scratch.store.getDecision(old.id)).toBeDefined();
      const logged = lines.filter((l) => l['msg'] === 'retained decision inputs deleted: their retention period ended');
      expect(logged).toEqual([expect.objectContaining({ level: 30, count: 1, decision_ids: [old.id], retention_ms: 60_000 })]);
      expect(JSON.stringify(lines)).not.toContain('Lovelace');
      expect(await recorder.sweep(t0 + 200_000)).toEqual([recent.id]);
    });
  });

  it('never fails a decision when recording fails: the decision stands and the loss is logged as our fault', async () => {
    const { engine, lines } = setup();
    await scratch.store.close();
    const decision = decide(engine, 'outbound', outboundInput);
    expect(decision.allow).toBe(true);
    await expect.poll(() => lines).toContainEqual(expect.objectContaining({ level: 50, msg: 'policy decision not recorded', decision_id: decision.id, point: 'outbound', err: expect.objectContaining({ code: 'STORE_CLOSED' }) }));
  });
});
