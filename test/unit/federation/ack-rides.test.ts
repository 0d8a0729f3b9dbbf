import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AckRides, decodeAckOutcomes, encodeAckOutcomes, MAX_RIDER_BYTES, MAX_RIDERS, type SendAcks } from '../../../gateway/src/federation/ack-rides.js';
import type { AckBatchOutcome, AckToSend } from '../../../gateway/src/tasks/index.js';

const ack = (taskId: string, size = 100): AckToSend => ({ taskId, ackStatement: 'x'.repeat(size) });
const stored = (acks: readonly AckToSend[]): AckBatchOutcome[] => acks.map((a) => ({ taskId: a.taskId }));

describe('acks riding on the next SubmitTask', () => {
  let sent: { partner: string; acks: readonly AckToSend[] }[];
  let send: SendAcks;
  let rides: AckRides;

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    send = async (partner, acks) => {
      sent.push({ partner, acks });
      return stored(acks);
    };
    rides = new AckRides((p, a, d) => send(p, a, d), 10);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('hands the waiting acks to the next SubmitTask and answers each from its outcomes, sending nothing alone', async () => {
    const outcomes = rides.wait('b', [ack('t1'), ack('t2')], Date.now() + 5000);
    const ride = rides.take('b')!;
    expect(ride.acks.map((a) => a.taskId)).toEqual(['t1', 't2']);
    ride.settle([{ taskId: 't1' }, { taskId: 't2', reason: 'receipt_invalid', message: 'does not verify' }]);
    await expect(outcomes).resolves.toEqual([{ taskId: 't1' }, { taskId: 't2', reason: 'receipt_invalid', message: 'does not verify' }]);
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toEqual([]);
    // Taken once: the next SubmitTask carries nothing.
    expect(rides.take('b')).toBeUndefined();
  });

  it('sends what no SubmitTask took within the wait, in one AcknowledgeBatch per handed-over group', async () => {
    const first = rides.wait('b', [ack('t1'), ack('t2')], Date.now() + 5000);
    const second = rides.wait('b', [ack('t3')], Date.now() + 5000);
    const other = rides.wait('c', [ack('t4')], Date.now() + 5000);
    await vi.advanceTimersByTimeAsync(9);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.map((s) => [s.partner, s.acks.map((a) => a.taskId)])).toEqual([
      ['b', ['t1', 't2']],
      ['b', ['t3']],
      ['c', ['t4']],
    ]);
    await expect(first).resolves.toEqual([{ taskId: 't1' }, { taskId: 't2' }]);
    await expect(second).resolves.toEqual([{ taskId: 't3' }]);
    await expect(other).resolves.toEqual([{ taskId: 't4' }]);
    expect(rides.take('b')).toBeUndefined();
  });

  it('sends at once, alone, the acks whose SubmitTask brought no outcomes or outcomes that do not match them', async () => {
    const lost = rides.wait('b', [ack('t1')], Date.now() + 5000);
    rides.take('b')!.settle(undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.acks.map((a) => a.taskId))).toEqual([['t1']]);
    await expect(lost).resolves.toEqual([{ taskId: 't1' }]);

    const mixed = rides.wait('b', [ack('t2'), ack('t3')], Date.now() + 5000);
    rides.take('b')!.settle([{ taskId: 't3' }, { taskId: 't2' }]);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.acks.map((a) => a.taskId))).toEqual([['t1'], ['t2', 't3']]);
    await expect(mixed).resolves.toEqual([{ taskId: 't2' }, { taskId: 't3' }]);
  });

  it('takes no more than one SubmitTask may carry, and the rest waits for the next one or the timer', async () => {
    const many = Array.from({ length: MAX_RIDERS + 5 }, (_, i) => ack(`t${i}`));
    const outcomes = rides.wait('b', many, Date.now() + 5000);
    const first = rides.take('b')!;
    expect(first.acks).toHaveLength(MAX_RIDERS);
    first.settle(stored(first.acks));
    // One group split across a ride and the timer: answered once both parts are, in order.
    await vi.advanceTimersByTimeAsync(10);
    expect(sent.map((s) => s.acks.length)).toEqual([5]);
    await expect(outcomes).resolves.toEqual(stored(many));

    const big = rides.wait('b', [ack('big1', MAX_RIDER_BYTES - 100), ack('big2', 200)], Date.now() + 5000);
    const bigRide = rides.take('b')!;
    expect(bigRide.acks.map((a) => a.taskId)).toEqual(['big1']);
    bigRide.settle(stored(bigRide.acks));
    const tooBig = rides.wait('c', [ack('huge', MAX_RIDER_BYTES + 1)], Date.now() + 5000);
    expect(rides.take('c')).toBeUndefined();
    await vi.advanceTimersByTimeAsync(10);
    expect(sent.slice(1).map((s) => s.acks.map((a) => a.taskId))).toEqual([['big2'], ['huge']]);
    await expect(tooBig).resolves.toEqual([{ taskId: 'huge' }]);
    await expect(big).resolves.toEqual([{ taskId: 'big1' }, { taskId: 'big2' }]);
  });

  it('rejects the handed-over group when sending it alone fails, so the outbox retries it', async () => {
    send = () => Promise.reject(new Error('partner down'));
    const outcomes = rides.wait('b', [ack('t1'), ack('t2')], Date.now() + 5000);
    const settled = outcomes.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    expect(await settled).toMatchObject({ message: 'partner down' });
  });

  it('fails everything waiting when the transport closes, so that the outbox keeps it, and sends nothing', async () => {
    const outcomes = rides.wait('b', [ack('t1')], Date.now() + 5000);
    const failed = outcomes.catch((e: unknown) => e);
    rides.abandon(new Error('stopping'));
    expect(await failed).toMatchObject({ message: 'stopping' });
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toEqual([]);
    expect(rides.take('b')).toBeUndefined();
  });
});

describe('the outcomes metadata of acks that rode', () => {
  it('is an AcknowledgeBatchResponse, read back as the outbox reads AcknowledgeBatch', () => {
    const bytes = encodeAckOutcomes([{ taskId: 't1' }, { taskId: 't2', reason: 'task_unknown', message: 'no such task' }, { taskId: 't3', reason: 'no_such_reason', message: 'm' }]);
    expect(decodeAckOutcomes(bytes)).toEqual([
      { taskId: 't1' },
      { taskId: 't2', reason: 'task_unknown', message: 'no such task' },
      { taskId: 't3', reason: 'internal', message: 'm' },
    ]);
  });

  it('cuts long refusal messages, and is refused when it is not a message at all', () => {
    const [o] = decodeAckOutcomes(encodeAckOutcomes([{ taskId: 't1', reason: 'receipt_invalid', message: 'm'.repeat(5000) }]))!;
    expect(o!.message!.length).toBeLessThanOrEqual(160);
    // The most that may ride, each refused with a long message under the longest id: the
    // messages are dropped and the header stays near 5 KiB, under the 8 KiB of metadata stock
    // gRPC stacks take (a -bin value travels as base64: ~6.5 KiB).
    const worst = Array.from({ length: MAX_RIDERS }, (_, i) => ({ taskId: `${i}`.padEnd(128, 'x'), reason: 'receipt_invalid', message: 'm'.repeat(500) }));
    const bytes = encodeAckOutcomes(worst);
    expect(bytes.length).toBeLessThanOrEqual(5 * 1024);
    expect(decodeAckOutcomes(bytes)).toEqual(worst.map((w) => ({ taskId: w.taskId, reason: 'receipt_invalid', message: '' })));
    expect(decodeAckOutcomes(Buffer.from([0xff, 0xff, 0xff]))).toBeUndefined();
  });
});
