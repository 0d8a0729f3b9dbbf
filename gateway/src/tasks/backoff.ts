/** How a retried delivery backs off: the first retry after `initialMs`, doubling, at most `maxMs`. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/**
 * The wait before the retry that follows `failures` failed attempts (1 after the first):
 * initialMs·2^(failures−1), at most maxMs, scaled by a random factor in [0.5, 1] so that what
 * failed together (every ack owed to a partner that was down) does not all come back at once.
 *
 * @example backoffDelay({ initialMs: 1000, maxMs: 300_000 }, 3) // between 2 and 4 seconds
 */
export function backoffDelay(backoff: Backoff, failures: number, random: () => number = Math.random): number {
  // Capped before it is computed: 2^failures overflows to Infinity after a long outage.
  const doublings = Math.min(Math.max(failures - 1, 0), 52);
  const interval = Math.min(backoff.initialMs * 2 ** doublings, backoff.maxMs);
  return Math.round(interval * (0.5 + random() / 2));
}
