/**
 * Time as the domain sees it: injected, so that deadlines, retries and timers can be tested
 * without waiting (Temporal's and Restate's test environments do the same).
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `fire` after `ms` unless the returned function is called first: a deadline that
   * usually does not come, without the AbortSignal a cancellable sleep needs (~5 µs each).
   */
  timer(ms: number, fire: () => void): () => void;
}

function aborted(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('aborted', 'AbortError');
}

/** A clock's sleep, made of its timer: resolves when it fires, rejects if `signal` aborts first. */
function sleepOn(timer: Clock['timer'], ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(aborted(signal));
      return;
    }
    const onAbort = (): void => {
      cancel();
      reject(aborted(signal!));
    };
    const cancel = timer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The real clock. Its timers do not keep the process alive on their own. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleepOn(systemClock.timer, ms, signal),
  timer: (ms, fire) => {
    const timer = setTimeout(fire, Math.max(0, ms));
    timer.unref();
    return () => clearTimeout(timer);
  },
};

interface Sleeper {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
}

/**
 * A clock that moves only when told: `advance(ms)` wakes, in time order, every sleeper due by
 * then, letting each one's continuation run before the next wakes.
 */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private sleepers: Sleeper[] = [];

  constructor(start = Date.now()) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn((t, fire) => this.timer(t, fire), ms, signal);
  }

  timer(ms: number, fire: () => void): () => void {
    const sleeper: Sleeper = { at: this.current + Math.max(0, ms), seq: this.seq++, fire };
    this.sleepers.push(sleeper);
    return () => {
      this.sleepers = this.sleepers.filter((s) => s !== sleeper);
    };
  }

  /** How many sleepers are waiting (for tests that wait until something is asleep). */
  get pending(): number {
    return this.sleepers.length;
  }

  /** Moves time forward by `ms`, waking due sleepers one by one in time order. */
  async advance(ms: number): Promise<void> {
    const until = this.current + ms;
    for (;;) {
      const next = this.sleepers.filter((s) => s.at <= until).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (next === undefined) break;
      this.sleepers = this.sleepers.filter((s) => s !== next);
      this.current = Math.max(this.current, next.at);
      next.fire();
      // Let the woken continuation run (and perhaps sleep again) before the next wakes.
      await new Promise<void>((r) => setImmediate(r));
    }
    this.current = until;
  }
}
