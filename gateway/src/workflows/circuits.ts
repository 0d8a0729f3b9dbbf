import type { Clock } from '../lib/index.js';

/** Failures that say the partner itself is not answering, as opposed to answering "no". */
const UNREACHABLE = new Set(['partner_unavailable', 'deadline_exceeded', 'attempt_timeout']);

export interface CircuitOptions {
  /** Consecutive unreachable failures that open a partner's circuit. */
  readonly threshold?: number;
  /** How long an open circuit skips the partner before one attempt may probe it again. */
  readonly openMs?: number;
}

/**
 * Per-partner circuit breakers for `at: any` and fallbacks: after `threshold` consecutive
 * failures to reach a partner, steps skip it for `openMs`; then the next attempt probes it
 * (half-open): a success closes the circuit, a failure opens it again. In memory only: the
 * choice each attempt made is in its step_started event, so a restart replays it, and a new
 * process starts with every circuit closed.
 */
export class Circuits {
  private readonly failures = new Map<string, number>();
  private readonly openedAt = new Map<string, number>();
  private readonly threshold: number;
  private readonly openMs: number;

  constructor(
    private readonly clock: Clock,
    opts: CircuitOptions = {},
  ) {
    this.threshold = opts.threshold ?? 3;
    this.openMs = opts.openMs ?? 30_000;
  }

  record(partner: string, outcome: { readonly ok: true } | { readonly ok: false; readonly reason: string }): void {
    if (partner === 'local') return;
    if (outcome.ok) {
      this.failures.delete(partner);
      this.openedAt.delete(partner);
      return;
    }
    if (!UNREACHABLE.has(outcome.reason)) return;
    const n = (this.failures.get(partner) ?? 0) + 1;
    this.failures.set(partner, n);
    if (n >= this.threshold) this.openedAt.set(partner, this.clock.now());
  }

  isOpen(partner: string): boolean {
    const at = this.openedAt.get(partner);
    return at !== undefined && this.clock.now() < at + this.openMs;
  }

  /** Until when the partner's circuit is open; undefined when it is closed (or half-open). */
  openUntil(partner: string): number | undefined {
    const at = this.openedAt.get(partner);
    return at !== undefined && this.isOpen(partner) ? at + this.openMs : undefined;
  }
}
