import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { saltedDigest, SealingKey } from '../../../gateway/src/crypto/index.js';
import { decide, decideCard, DecisionRecorder, loadPolicyEngine, RegoEngine, replayDecision, type PolicyEngine } from '../../../gateway/src/policy/index.js';
import { agreementsWith, capturedLogger, decisionScratch, type DecisionScratch } from '../../support/decisions.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const inbound = (purpose = 'research') => ({
  task_id: 't1',
  requester: { org: 'hospital-b', certificate: { serial: '01', fingerprint256: 'AA' } },
  capability: 'patients.count',
  purpose,
  input: { condition: 'asthma' },
});
const outbound = { task_id: 't2', partner: 'hospital-b', capability: 'patients.count', purpose: 'research', input: { condition: 'asthma', name: 'Ada' } };
const disclosure = { task_id: 't1', requester: { org: 'hospital-b' }, capability: 'patients.count', purpose: 'research', result: { count: 3, names: ['Ada'] } };

describe('replayDecision', () => {
  let scratch: DecisionScratch;
  afterEach(async () => {
    await scratch?.dispose();
  });

  const key = new SealingKey(randomBytes(32));
  /** A recorder over a fresh store (retention on unless told), and a way to load the policies as they are on disk now. */
  const setup = (opts: { retain?: boolean } = {}) => {
    scratch = decisionScratch(agreementsWith('hospital-b'));
    const { logger } = capturedLogger();
    const recorder = new DecisionRecorder({ log: scratch.store, retention: { ...(opts.retain === false ? {} : { key }), periodMs: 86_400_000 }, logger });
    const load = (): PolicyEngine => recorder.adopt(loadPolicyEngine({ engine: 'rego', dirs: scratch.policyDirs }));
    return { recorder, load };
  };
  /**
   * Waits until the store has committed the deferred records: a write submitted after them
   * brings them into its commit and resolves once that is durable (a fixed pause did not
   * always outlast the 100 ms deferral on a loaded machine).
   */
  const settled = () => scratch.store.write({});

  it('gives the same outcome for every decision point, from the retained input', async () => {
    const { load } = setup();
    const engine = load();
    const made = [
      decide(engine, 'outbound', outbound, { now: T0 }),
      decide(engine, 'inbound', inbound(), { now: T0 }),
      decide(engine, 'inbound', inbound('marketing'), { now: T0 }),
      decide(engine, 'disclosure', disclosure, { now: T0 }),
      decideCard(engine, { requester: { org: 'hospital-b' }, capabilities: ['patients.count', 'other'] }, { now: T0 }),
    ];
    await settled();
    for (const { id } of made) {
      const replay = await replayDecision(scratch.store, id, { key });
      expect(replay, id).toMatchObject({ same: true, differences: [], input: { source: 'retained', keptAt: T0 } });
      expect(replay.replayed).toEqual(replay.record.outcome);
    }
    const denied = await replayDecision(scratch.store, made[2]!.id, { key });
    expect(denied.replayed).toEqual({ kind: 'decision', allow: false, reasons: ['purpose_not_agreed'], requireApproval: false });
    const disclosed = await replayDecision(scratch.store, made[3]!.id, { key });
    // What may leave is compared by its digest: the count, suppressed below 5; never the names.
    expect(disclosed.replayed).toMatchObject({ allow: true, payloadDigest: saltedDigest(disclosed.record.salt, { count: '<5' }) });
  });

  it('after a reload with edited policy files, replays an old decision under its own revision: the old outcome', async () => {
    const { load } = setup();
    const before = load();
    const allowed = decide(before, 'inbound', inbound(), { now: T0 });
    // The agreement no longer covers research: the same request is now refused.
    scratch.writeAgreements(agreementsWith('hospital-b', ['treatment']));
    const after = load();
    expect(after.revision).not.toBe(before.revision);
    const refused = decide(after, 'inbound', inbound(), { now: T0 });
    expect([allowed.allow, refused.allow]).toEqual([true, false]);
    await settled();

    const old = await replayDecision(scratch.store, allowed.id, { key });
    expect(old).toMatchObject({ same: true, record: { revision: before.revision }, replayed: { allow: true } });
    const recent = await replayDecision(scratch.store, refused.id, { key });
    expect(recent).toMatchObject({ same: true, record: { revision: after.revision }, replayed: { allow: false, reasons: ['purpose_not_agreed'] } });
  });

  it('evaluates at the time of the decision: an agreement that has ended since does not change the outcome', async () => {
    const { load } = setup();
    scratch.writeAgreements({ inbound: { 'hospital-b': { 'patients.count': { purposes: ['research'], until: '2026-06-01T00:00:00Z', disclose: ['count'] } } } });
    const engine = load();
    const inTime = decide(engine, 'inbound', inbound(), { now: Date.parse('2026-05-31T23:59:59Z') });
    const late = decide(engine, 'inbound', inbound(), { now: Date.parse('2026-06-01T00:00:01Z') });
    expect([inTime.allow, late.reasons]).toEqual([true, ['agreement_expired']]);
    await settled();
    expect((await replayDecision(scratch.store, inTime.id, { key })).replayed).toMatchObject({ allow: true });
    expect((await replayDecision(scratch.store, late.id, { key })).replayed).toMatchObject({ allow: false, reasons: ['agreement_expired'] });
  });

  it('says DIFFERENT, naming each field, when the revision does not decide as recorded', async () => {
    const { load } = setup({ retain: false });
    const engine = load();
    const real = decide(engine, 'inbound', inbound(), { now: T0 });
    await settled();
    const record = (await scratch.store.getDecision(real.id))!;
    // A record claiming a refusal the revision never made (what a forged or mistaken log would look like).
    await scratch.store.recordDecision({ ...record, decisionId: 'forged', outcome: { kind: 'decision', allow: false, reasons: ['no_agreement'], requireApproval: false } });
    const replay = await replayDecision(scratch.store, 'forged', { input: inbound() });
    expect(replay.same).toBe(false);
    expect(replay.differences).toEqual(['allow: recorded false, replayed true', 'reasons: recorded ["no_agreement"], replayed []']);
  });

  describe('with the input from the caller', () => {
    it('replays with an input whose digest matches the record', async () => {
      const { load } = setup({ retain: false });
      const made = decide(load(), 'outbound', outbound, { now: T0 });
      await settled();
      // Key order does not matter: the digest is over canonical JSON.
      const reordered = { input: { name: 'Ada', condition: 'asthma' }, purpose: 'research', capability: 'patients.count', partner: 'hospital-b', task_id: 't2' };
      expect(await replayDecision(scratch.store, made.id, { input: reordered })).toMatchObject({ same: true, input: { source: 'given' } });
    });

    it('refuses an input whose digest does not match, saying what to give instead', async () => {
      const { load } = setup();
      const made = decide(load(), 'outbound', outbound, { now: T0 });
      await settled();
      const record = (await scratch.store.getDecision(made.id))!;
      await expect(replayDecision(scratch.store, made.id, { input: { ...outbound, input: { condition: 'flu', name: 'Ada' } }, key })).rejects.toMatchObject({
        code: 'DECISION_INPUT_MISMATCH',
        message: `the input given is not the input of decision ${made.id}: its salted digest differs from the recorded ${record.inputDigest}; give the exact input the outbound policy saw (the whole input document, not only the payload)`,
      });
      // Only the payload is not the input either.
      await expect(replayDecision(scratch.store, made.id, { input: outbound.input })).rejects.toMatchObject({ code: 'DECISION_INPUT_MISMATCH' });
    });
  });

  describe('refuses, saying why and what to do', () => {
    it('an unknown decision', async () => {
      setup();
      await expect(replayDecision(scratch.store, 'nope')).rejects.toMatchObject({ code: 'DECISION_UNKNOWN', message: expect.stringContaining('this store holds no decision "nope"') });
    });

    it('a decision whose input was not kept, was deleted at the end of its period, or is sealed with another key or none', async () => {
      const { load, recorder } = setup();
      const kept = decide(load(), 'inbound', inbound(), { now: T0 });
      const expired = decide(load(), 'inbound', inbound(), { now: T0 - 2 * 86_400_000 });
      await settled();
      await recorder.sweep(T0);
      await expect(replayDecision(scratch.store, expired.id, { key })).rejects.toMatchObject({
        code: 'DECISION_INPUT_UNAVAILABLE',
        message: `the input of decision ${expired.id} was deleted on ${new Date(T0).toISOString()}, at the end of its retention period (audit.retention.period); give it with --input <file>`,
      });
      await expect(replayDecision(scratch.store, kept.id)).rejects.toMatchObject({ code: 'DECISION_INPUT_UNAVAILABLE', message: expect.stringContaining(`kept sealed with key ${key.id}`) });
      await expect(replayDecision(scratch.store, kept.id, { key: new SealingKey(randomBytes(32)) })).rejects.toMatchObject({ code: 'SEALED_INVALID', message: expect.stringContaining(`sealed with key ${key.id}`) });
      // The input, given, still replays it.
      expect((await replayDecision(scratch.store, expired.id, { input: inbound() })).same).toBe(true);

      await scratch.dispose();
      const off = setup({ retain: false });
      const notKept = decide(off.load(), 'inbound', inbound(), { now: T0 });
      await settled();
      await expect(replayDecision(scratch.store, notKept.id, { key })).rejects.toMatchObject({
        code: 'DECISION_INPUT_UNAVAILABLE',
        message: `the input of decision ${notKept.id} was not kept (audit.retention was not enabled then); give it with --input <file>`,
      });
    });

    it('a decision whose revision the store does not keep (an engine built in code)', async () => {
      const { recorder } = setup();
      const inline = recorder.adopt(new RegoEngine({ dirs: ['inline'], modules: { 'p.rego': 'package entente.inbound\n\ndecision := {"allow": true}\n' }, data: {}, revision: 'sha256:inline' }));
      const made = decide(inline, 'inbound', inbound());
      await settled();
      await expect(replayDecision(scratch.store, made.id, { key })).rejects.toMatchObject({ code: 'POLICY_REVISION_MISSING', message: expect.stringContaining('sha256:inline') });
    });
  });
});
