/**
 * A way to stop work that someone else started, as an AbortSignal is, for work that is almost
 * never stopped: nothing is allocated to listen, and cancelling calls each listener once.
 * Making an AbortController, listening to its signal and stopping took ~6 µs here, for every
 * task a responder runs (issue 11); this takes ~0.1.
 */
export interface CancelToken {
  readonly cancelled: boolean;
  /** What the canceller gave (undefined until then, or if it gave nothing). */
  readonly reason: unknown;
  /** Calls `fn` with the reason when cancelled (at once if it already is); returns what stops listening. */
  onCancel(fn: (reason: unknown) => void): () => void;
}

/** The side that cancels; it is also the token it hands to the work. */
export class Canceller implements CancelToken {
  cancelled = false;
  reason: unknown = undefined;
  private listeners: ((reason: unknown) => void)[] | undefined;

  /** Cancels once; later calls do nothing. */
  cancel(reason?: unknown): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = undefined;
    for (const fn of listeners ?? []) fn(reason);
  }

  onCancel(fn: (reason: unknown) => void): () => void {
    if (this.cancelled) {
      fn(this.reason);
      return () => undefined;
    }
    (this.listeners ??= []).push(fn);
    return () => {
      const i = this.listeners?.indexOf(fn) ?? -1;
      if (i >= 0) this.listeners!.splice(i, 1);
    };
  }
}

/** An AbortSignal seen as a CancelToken: cancelled when it aborts, with its reason. */
export function cancelTokenOf(signal: AbortSignal): CancelToken {
  return {
    get cancelled() {
      return signal.aborted;
    },
    get reason(): unknown {
      return signal.reason;
    },
    onCancel(fn) {
      if (signal.aborted) {
        fn(signal.reason);
        return () => undefined;
      }
      const listener = (): void => fn(signal.reason);
      signal.addEventListener('abort', listener, { once: true });
      return () => signal.removeEventListener('abort', listener);
    },
  };
}
