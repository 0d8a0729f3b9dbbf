import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../../gateway/src/lib/index.js';

describe('ManualClock', () => {
  it('wakes sleepers in time order, each seeing its own wake-up time, and only when advanced past them', async () => {
    const clock = new ManualClock(1_000);
    const woke: string[] = [];
    void clock.sleep(300).then(() => woke.push(`b@${clock.now()}`));
    void clock.sleep(100).then(() => woke.push(`a@${clock.now()}`));
    await clock.advance(99);
    expect(woke).toEqual([]);
    await clock.advance(150);
    expect(woke).toEqual(['a@1100']);
    expect(clock.now()).toBe(1249);
    await clock.advance(51);
    expect(woke).toEqual(['a@1100', 'b@1300']);
    expect(clock.now()).toBe(1300);
  });

  it('wakes a sleeper that sleeps again within the same advance', async () => {
    const clock = new ManualClock(0);
    const ticks: number[] = [];
    void (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(10);
        ticks.push(clock.now());
      }
    })();
    await clock.advance(35);
    expect(ticks).toEqual([10, 20, 30]);
  });

  it('rejects a sleep with the signal\'s reason when aborted, and forgets it', async () => {
    const clock = new ManualClock();
    const ac = new AbortController();
    const sleeping = clock.sleep(1_000, ac.signal);
    expect(clock.pending).toBe(1);
    ac.abort(new Error('cancelled'));
    await expect(sleeping).rejects.toThrow('cancelled');
    expect(clock.pending).toBe(0);
  });
});

describe('systemClock', () => {
  it('rejects at once for an already aborted signal', async () => {
    await expect(systemClock.sleep(10_000, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
  });
});
