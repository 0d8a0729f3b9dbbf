import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../gateway/src/lib/index.js';
import { createLogger } from '../../../gateway/src/observability/index.js';
import { openSqliteStore, type SqliteStore } from '../../../gateway/src/store/index.js';
import { AckDeliverer, backoffDelay, TaskError, type AckTransport, type OutboxAck } from '../../../gateway/src/tasks/index.js';

const T0 = 1_700_000_000_000;
/** The jitter factor is 0.5 + random/2: with random = 0.5, every wait is 3/4 of its interval. */
const HALF = () => 0.5;

/** Lets queued work run: group commits, the deliverer's rounds (each waits for a few turns). */
async function turns(n = 20): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
}

/** A partner's Acknowledge as the test scripts it: each call gets the next answer (the last one repeats). */
function partner(...answers: ('ok' | 'down' | 'hang' | Error)[]) {
  const calls: { at: number; taskId: string }[] = [];
  const hung: (() => void)[] = [];
  let clock: ManualClock;
  const transport: AckTransport = {
    async acknowledge(_partner, taskId) {
      calls.push({ at: clock.now(), taskId });
      const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
      if (answer === 'down') throw new TaskError('partner_unavailable', 'connect ECONNREFUSED');
      if (answer === 'hang') return new Promise<void>((resolve) => hung.push(resolve));
      if (answer instanceof Error) throw answer;
    },
  };
  return { transport, calls, release: () => hung.splice(0).forEach((r) => r()), bind: (c: ManualClock) => (clock = c) };
}

describe('backoffDelay', () => {
  const backoff = { initialMs: 1000, maxMs: 300_000 };

  it('doubles from the initial interval up to the maximum, scaled by a jitter in [0.5, 1]', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(backoff, n, () => 0.999_999))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3].map((n) => backoffDelay(backoff, n, () => 0))).toEqual([500, 1000, 2000]);
    expect(backoffDelay(backoff, 20, () => 0.999_999)).toBe(300_000);
  });

  it('stays finite after any number of failures', () => {
    expect(backoffDelay(backoff, 5000, HALF)).toBe(225_000);
    expect(backoffDelay(backoff, 0, HALF)).toBe(750);
  });
});

describe('AckDeliverer', () => {
  const dirs: string[] = [];
  const stores: SqliteStore[] = [];
  const deliverers: AckDeliverer[] = [];
  afterEach(async () => {
    for (const d of deliverers.splice(0)) await d.stop();
    for (const s of stores.splice(0)) await s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** A deliverer over a real store, on a manual clock; `lines` holds what it logged. */
  function setup(p: ReturnType<typeof partner>, opts: { file?: string; clock?: ManualClock } = {}) {
    let file = opts.file;
    if (file === undefined) {
      const dir = mkdtempSync(join(tmpdir(), 'entente-outbox-'));
      dirs.push(dir);
      file = join(dir, 'entente.db');
    }
    // The disk's flush answers at the next turn: these tests drive the retry schedule on a manual
    // clock through a fixed number of turns, and a real fdatasync takes real milliseconds. For
    // the same reason a delivery's record, which waits for the next commit (deferMs, real
    // time), is committed at the next turn.
    const store = openSqliteStore(file, { checkpointMs: 0, deferMs: 0, walSync: (done) => setImmediate(() => done(null)) });
    stores.push(store);
    const clock = opts.clock ?? new ManualClock(T0);
    p.bind(clock);
    const lines: Record<string, unknown>[] = [];
    const log = createLogger({
      level: 'debug',
      destination: new Writable({
        write(chunk: Buffer, _enc, cb) {
          for (const l of chunk.toString('utf8').split('\n')) if (l !== '') lines.push(JSON.parse(l) as Record<string, unknown>);
          cb();
        },
      }),
    });
    const acks = new AckDeliverer({ outbox: store, transport: p.transport, log, clock, backoff: { initialMs: 1000, maxMs: 8000 }, attemptTimeoutMs: 2000, random: HALF });
    deliverers.push(acks);
    /** An ack signed now (`batched`: in the six-part form of a batch), stored with its outbox row as the requester stores it. */
    const signed = async (taskId: string, batched = false): Promise<OutboxAck> => {
      const entry = acks.entry('org-b', taskId, batched ? `h.ack-${taskId}.proof.bh.bp.bs` : `h.ack-${taskId}.s`);
      await store.write({ acks: [entry] });
      return entry;
    };
    return { store, clock, acks, lines, signed, file };
  }

  describe('when the partner takes the ack at once', () => {
    it('delivers it at the first attempt and records when', async () => {
      const p = partner('ok');
      const { store, clock, acks, signed } = setup(p);
      const entry = await signed('t1');
      expect(entry).toMatchObject({ state: 'pending', attempts: 0, nextAt: T0 + 1000, createdAt: T0 });
      await clock.advance(5);
      expect(await acks.deliver(entry, clock.now() + 2000)).toBe('delivered');
      await turns();
      expect(await store.getAck('org-b', 't1')).toMatchObject({ state: 'delivered', attempts: 1, deliveredAt: T0 + 5 });
      expect(await store.pendingAcks()).toEqual([]);
    });
  });

  describe('when many acks to one partner leave together', () => {
    it('sends them in one call when the transport can, each settled by its own outcome, batches bounded in bytes', async () => {
      const batches: string[][] = [];
      const p = partner('ok');
      p.transport.acknowledgeBatch = async (_partner, acks) => {
        batches.push(acks.map((a) => a.taskId));
        return acks.map((a) => (a.taskId === 't2' ? { taskId: a.taskId, reason: 'task_unknown' as const, message: 'no such task' } : { taskId: a.taskId }));
      };
      const { store, clock, acks, signed } = setup(p);
      const entries = await Promise.all(['t1', 't2', 't3'].map((id) => signed(id)));
      const outcomes = await Promise.all(entries.map((e) => acks.deliver(e, clock.now() + 2000)));
      expect(batches).toEqual([['t1', 't2', 't3']]);
      expect(outcomes).toEqual(['delivered', 'failed', 'delivered']);
      await turns();
      expect(await store.getAck('org-b', 't2')).toMatchObject({ state: 'failed', lastError: expect.stringMatching(/task_unknown/) });
      // Statements of ~4 KiB each: a batch never carries more than a partner's smallest message.
      batches.length = 0;
      const big = await Promise.all(Array.from({ length: 30 }, async (_, i) => {
        const entry = acks.entry('org-b', `big${i}`, `h.${'a'.repeat(4000)}.s`);
        await store.write({ acks: [entry] });
        return entry;
      }));
      await Promise.all(big.map((e) => acks.deliver(e, clock.now() + 2000)));
      expect(batches.length).toBeGreaterThan(1);
      expect(batches.flat()).toHaveLength(30);
      for (const b of batches) expect(b.length * 4000).toBeLessThanOrEqual(56 * 1024);
    });
  });

  describe('when the partner is down', () => {
    it('retries with exponential backoff and jitter until the partner is back, then records it delivered', async () => {
      const p = partner('down', 'down', 'down', 'down', 'down', 'ok');
      const { store, clock, acks, signed, lines } = setup(p);
      acks.start();
      const entry = await signed('t1');
      expect(await acks.deliver(entry, clock.now() + 2000)).toBe('retrying');
      await turns();
      expect(await store.getAck('org-b', 't1')).toMatchObject({ state: 'pending', attempts: 1, nextAt: T0 + 750, lastError: 'partner_unavailable: connect ECONNREFUSED' });
      // 750, then 1500, 3000, 6000 (8000 at most, times 3/4), each after the last.
      for (const step of [749, 1, 1500, 3000, 6000, 6000]) {
        await clock.advance(step);
        await turns();
      }
      expect(p.calls.map((c) => c.at - T0)).toEqual([0, 750, 2250, 5250, 11250, 17250]);
      expect(await store.getAck('org-b', 't1')).toMatchObject({ state: 'delivered', attempts: 6, deliveredAt: T0 + 17250, lastError: 'partner_unavailable: connect ECONNREFUSED' });
      await clock.advance(60_000);
      await turns();
      expect(p.calls).toHaveLength(6);
      // One warning for the first failure, quieter after; one line when it finally arrives.
      expect(lines.filter((l) => l['msg'] === 'ack not delivered; retrying from the outbox').map((l) => l['level'])).toEqual([40, 20, 20, 20, 20]);
      expect(lines.find((l) => l['msg'] === 'ack delivered from the outbox')).toMatchObject({ task_id: 't1', partner: 'org-b', attempts: 6 });
    });

    it('keeps retrying at the maximum interval, however long it takes', async () => {
      const p = partner('down');
      const { store, clock, acks, signed } = setup(p);
      acks.start();
      await acks.deliver(await signed('t1'), clock.now() + 2000);
      for (let i = 0; i < 40; i++) {
        await clock.advance(6000);
        await turns();
      }
      expect((await store.getAck('org-b', 't1'))?.attempts).toBeGreaterThan(30);
      const gaps = p.calls.slice(1).map((c, i) => c.at - p.calls[i]!.at);
      expect(gaps.slice(-5)).toEqual([6000, 6000, 6000, 6000, 6000]);
    });
  });

  describe('after a restart', () => {
    it('delivers the acks an earlier process left pending: those due at once, the others when due', async () => {
      const p = partner('ok');
      const { file, clock } = setup(partner('down'));
      const first = setup(partner('down'), { file, clock });
      await first.store.write({
        acks: [
          { ...first.acks.entry('org-b', 'overdue', 'h.a.s'), nextAt: T0 - 1 },
          { ...first.acks.entry('org-b', 'later', 'h.b.s'), attempts: 3, nextAt: T0 + 4000 },
        ],
      });
      await first.store.close();
      const second = setup(p, { file, clock });
      second.acks.start();
      await turns();
      expect(p.calls.map((c) => [c.taskId, c.at - T0])).toEqual([['overdue', 0]]);
      await clock.advance(4000);
      await turns();
      expect(p.calls.map((c) => [c.taskId, c.at - T0])).toEqual([['overdue', 0], ['later', 4000]]);
      expect(await second.store.getAck('org-b', 'later')).toMatchObject({ state: 'delivered', attempts: 4 });
      expect(await second.store.pendingAcks()).toEqual([]);
    });
  });

  describe('when the partner refuses the ack', () => {
    it.each([
      ['task_unknown', new TaskError('task_unknown', 'no such task for this requester')],
      ['receipt_invalid', new TaskError('receipt_invalid', 'the ack statement does not verify')],
    ])('records %s as failed with the reason, logs an error, and never tries again', async (reason, answer) => {
      const p = partner(answer);
      const { store, clock, acks, signed, lines } = setup(p);
      acks.start();
      expect(await acks.deliver(await signed('t1'), clock.now() + 2000)).toBe('failed');
      await turns();
      expect(await store.getAck('org-b', 't1')).toMatchObject({ state: 'failed', attempts: 1, failedAt: T0, lastError: `${reason}: ${answer.message}` });
      await clock.advance(600_000);
      await turns();
      expect(p.calls).toHaveLength(1);
      expect(lines.find((l) => l['level'] === 50)).toMatchObject({ task_id: 't1', partner: 'org-b', reason, msg: expect.stringMatching(/refused our ack/) });
    });
  });

  it('keeps an ack signed in a batch that the partner refuses as invalid, and delivers it once the partner takes it (a partner back on a version without batches, protocol §5.9)', async () => {
    const p = partner(new TaskError('receipt_invalid', 'the ack statement does not verify'), 'ok');
    const { store, clock, acks, signed, lines } = setup(p);
    acks.start();
    expect(await acks.deliver(await signed('t1', true), clock.now() + 2000)).toBe('retrying');
    await turns();
    expect(await store.getAck('org-b', 't1')).toMatchObject({ state: 'pending', attempts: 1, lastError: 'receipt_invalid: the ack statement does not verify' });
    expect(lines.find((l) => l['level'] === 40)).toMatchObject({ task_id: 't1', msg: expect.stringMatching(/signed in a batch: it may no longer verify batched statements/) });
    await clock.advance(750);
    await turns();
    expect((await store.getAck('org-b', 't1'))?.state).toBe('delivered');
  });

  it('retries an unexpected failure (ours), logging it as an error', async () => {
    const p = partner(new Error('a bug'), 'ok');
    const { store, clock, acks, signed, lines } = setup(p);
    acks.start();
    expect(await acks.deliver(await signed('t1'), clock.now() + 2000)).toBe('retrying');
    await turns();
    expect(await store.getAck('org-b', 't1')).toMatchObject({ state: 'pending', lastError: 'internal: a bug' });
    expect(lines.find((l) => l['level'] === 50)).toMatchObject({ msg: 'ack delivery failed unexpectedly; retrying from the outbox' });
    await clock.advance(750);
    await turns();
    expect((await store.getAck('org-b', 't1'))?.state).toBe('delivered');
  });

  it('never attempts one ack twice at once: the background does not retry an ack the requester is still delivering', async () => {
    const p = partner('hang');
    const { store, clock, acks, signed } = setup(p);
    const entry = await signed('t1');
    const first = acks.deliver(entry, clock.now() + 60_000);
    acks.start();
    // Its row is due (nextAt passed) while the first attempt still waits for the partner.
    await clock.advance(5000);
    await turns();
    expect(p.calls).toHaveLength(1);
    p.release();
    expect(await first).toBe('delivered');
    await turns();
    expect((await store.getAck('org-b', 't1'))?.state).toBe('delivered');
    await clock.advance(10_000);
    await turns();
    expect(p.calls).toHaveLength(1);
  });

  it('stops without waiting for a partner that hangs; the ack stays pending for the next start', async () => {
    const p = partner('hang');
    const { store, clock, acks, signed } = setup(p);
    acks.start();
    const entry = await signed('t1');
    const first = acks.deliver(entry, clock.now() + 60_000);
    await turns();
    await acks.stop();
    // The partner answers after the gateway stopped: nothing is written any more.
    p.release();
    expect(await first).toBe('delivered');
    await turns();
    expect(await store.getAck('org-b', 't1')).toMatchObject({ state: 'pending', attempts: 0 });
    expect(await acks.deliver(entry, clock.now() + 1000)).toBe('retrying');
    expect(p.calls).toHaveLength(1);
  });

  it('waits, when stopping, for the outcomes being recorded', async () => {
    const p = partner('ok');
    const { store, clock, acks, signed } = setup(p);
    const entry = await signed('t1');
    await acks.deliver(entry, clock.now() + 2000);
    // The outcome is queued in the store's group commit; stop() returns once it is written.
    await acks.stop();
    expect((await store.getAck('org-b', 't1'))?.state).toBe('delivered');
  });
});
