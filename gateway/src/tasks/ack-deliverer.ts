import type { Logger } from '../observability/index.js';
import { Semaphore, systemClock, type Clock } from '../lib/index.js';
import { isBatched } from '../audit/index.js';
import { backoffDelay, type Backoff } from './backoff.js';
import { TaskError, type ReasonCode } from './errors.js';
import type { AckAttempt, AckOutbox, OutboxAck } from './ports.js';

/** What delivering an ack needs of the transport: the partner's Acknowledge (PartnerTransport has it). */
export interface AckTransport {
  acknowledge(partner: string, taskId: string, ackStatement: string, deadline: number): Promise<void>;
  /**
   * Many acks to one partner in one call, when the transport can: each one's outcome, in order
   * (no reason: stored). A failure of the call itself rejects.
   */
  acknowledgeBatch?(partner: string, acks: readonly AckToSend[], deadline: number): Promise<AckBatchOutcome[]>;
}

export interface AckToSend {
  readonly taskId: string;
  readonly ackStatement: string;
}

export interface AckBatchOutcome {
  readonly taskId: string;
  readonly reason?: ReasonCode;
  readonly message?: string;
}

/** Most acks sent in one call (the protocol allows 512). */
const MAX_BATCH = 256;
/**
 * Most bytes of ack statements in one call: every gateway takes messages of its payload limit
 * (at least 1 KiB) plus 64 KiB, so a batch this size fits any partner's.
 */
const MAX_BATCH_BYTES = 56 * 1024;

interface Batch {
  readonly items: Queued[];
  deadline: number;
  bytes: number;
}

interface Queued {
  readonly ack: OutboxAck;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

export interface AckDelivererDeps {
  readonly outbox: AckOutbox;
  readonly transport: AckTransport;
  readonly log: Logger;
  /** Time for attempts, backoffs and records; the system clock by default. */
  readonly clock?: Clock;
  /** How retries back off; {@link DEFAULT_ACK_BACKOFF} by default. */
  readonly backoff?: Backoff;
  /** How long one attempt may take, from its start. */
  readonly attemptTimeoutMs: number;
  /** Retries in flight at once, all partners together; 8 by default. */
  readonly concurrency?: number;
  /** The backoff's jitter, in [0, 1); Math.random by default. */
  readonly random?: () => number;
}

/** Acks are retried after 1 s, doubling up to every 5 minutes, until the partner has them. */
export const DEFAULT_ACK_BACKOFF: Backoff = Object.freeze({ initialMs: 1000, maxMs: 300_000 });

/** delivered: the partner has it; retrying: the outbox tries again later; failed: the partner refused it for good. */
export type AckDeliveryOutcome = 'delivered' | 'retrying' | 'failed';

/**
 * Answers no later attempt can change: the partner does not know the task (or holds no result
 * for it), or refuses the ack itself. Anything else (unreachable, timed out, our certificate
 * refused, the partner's fault) can pass, so the ack is tried again.
 */
const REFUSED: ReadonlySet<ReasonCode> = new Set(['task_unknown', 'receipt_invalid', 'request_invalid']);

/** Retries read from the outbox at a time. */
const BATCH = 100;

/**
 * Delivers our acks from the durable outbox until each partner has its own. An ack enters the
 * outbox in the same store write as the ack statement ({@link entry}); the requester makes the
 * first attempt at once ({@link deliver}) and goes on whatever it brings; what was not
 * delivered is retried here with exponential backoff and jitter, across restarts (the outbox is
 * read again at {@link start}). A partner's refusal that no retry can change (NOT_FOUND,
 * receipt_invalid) ends the ack as failed, with its reason, logged as an error.
 */
export class AckDeliverer {
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly random: () => number;
  private readonly slots: Semaphore;
  /** Acks being attempted, until their outcome is recorded: never two attempts at one ack. */
  private readonly attempting = new Set<string>();
  /** Outcomes being written: stop() waits for them, so that none races the store's close. */
  private readonly recording = new Set<Promise<boolean>>();
  /** Acks to one partner released together (by one group commit), sent in one call. */
  private readonly batches = new Map<string, Batch>();
  private readonly stopping = new AbortController();
  /** Set once stop() has drained the writes: an attempt ending later records nothing (the ack stays pending). */
  private closed = false;
  private loop: Promise<void> | undefined;
  private wake: AbortController | undefined;
  /** Something changed since the loop last read the outbox: read it again before sleeping. */
  private nudged = false;

  constructor(private readonly deps: AckDelivererDeps) {
    this.clock = deps.clock ?? systemClock;
    this.backoff = deps.backoff ?? DEFAULT_ACK_BACKOFF;
    this.random = deps.random ?? Math.random;
    this.slots = new Semaphore(deps.concurrency ?? 8);
  }

  /**
   * The outbox row of an ack just signed, to store in the same write as the ack statement
   * (WriteBatch.acks). Should the first attempt never happen (the process dies first), it is
   * due one initial backoff later.
   */
  entry(peerOrg: string, taskId: string, ack: string): OutboxAck {
    const now = this.clock.now();
    return { peerOrg, taskId, ack, state: 'pending', attempts: 0, nextAt: now + this.backoff.initialMs, createdAt: now };
  }

  /**
   * The first attempt at an ack whose outbox row is durable: resolves once the partner has
   * answered or `deadline` passed, without waiting for the outcome's record. Not delivered, it
   * is retried in the background; it never throws.
   */
  async deliver(ack: OutboxAck, deadline: number): Promise<AckDeliveryOutcome> {
    if (this.stopping.signal.aborted || this.attempting.has(keyOf(ack))) return 'retrying';
    return (await this.attempt(ack, deadline)).outcome;
  }

  /** Starts retrying what the outbox holds (acks left pending by an earlier process too). */
  start(): void {
    this.loop ??= this.run().catch((err: unknown) => this.deps.log.error({ err }, 'the ack outbox stopped retrying; restart the gateway'));
  }

  /**
   * Stops retrying and waits for the outcomes being recorded. An attempt still waiting for its
   * partner is abandoned (closing the partner channels ends it); its ack stays pending and is
   * retried after the next start.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    while (this.recording.size > 0) await Promise.all([...this.recording]);
    this.closed = true;
  }

  private async run(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      let waitMs: number;
      try {
        waitMs = await this.round();
      } catch (err) {
        if (signal.aborted) return;
        this.deps.log.error({ err }, 'the ack outbox could not be read; trying again');
        waitMs = this.backoff.initialMs;
      }
      await this.pause(waitMs);
    }
  }

  /** Attempts the acks due now, a batch at a time; returns how long to wait before the next round. */
  private async round(): Promise<number> {
    this.nudged = false;
    const { outbox } = this.deps;
    const idle = (a: OutboxAck) => !this.attempting.has(keyOf(a));
    const due = (await outbox.pendingAcks({ dueBy: this.clock.now(), limit: BATCH + this.attempting.size })).filter(idle).slice(0, BATCH);
    if (due.length > 0) {
      // Again at once, for what else is due; after a backoff if an outcome could not be
      // written, since its ack would still look due.
      return (await this.attemptAll(due)) ? 0 : this.backoff.initialMs;
    }
    const next = (await outbox.pendingAcks({ limit: this.attempting.size + 1 })).find(idle);
    // Nothing pending: look again now and then, for acks another process sharing the store wrote.
    if (next === undefined) return this.backoff.maxMs;
    return Math.min(Math.max(next.nextAt - this.clock.now(), 0), this.backoff.maxMs);
  }

  /** Attempts each ack with at most `concurrency` in flight; resolves whether every outcome was recorded. */
  private async attemptAll(acks: readonly OutboxAck[]): Promise<boolean> {
    const recorded = await Promise.all(
      acks.map(async (ack) => {
        await this.slots.acquire();
        try {
          if (this.stopping.signal.aborted || this.attempting.has(keyOf(ack))) return true;
          const attempt = await this.attempt(ack, this.clock.now() + this.deps.attemptTimeoutMs);
          return await attempt.recorded;
        } finally {
          this.slots.release();
        }
      }),
    );
    return recorded.every(Boolean);
  }

  private async attempt(ack: OutboxAck, deadline: number): Promise<{ outcome: AckDeliveryOutcome; recorded: Promise<boolean> }> {
    const key = keyOf(ack);
    this.attempting.add(key);
    const attempts = ack.attempts + 1;
    let outcome: AckAttempt;
    try {
      await this.send(ack, deadline);
      outcome = { state: 'delivered', attempts, at: this.clock.now() };
      if (attempts > 1) this.deps.log.info({ task_id: ack.taskId, partner: ack.peerOrg, attempts }, 'ack delivered from the outbox');
    } catch (err) {
      outcome = this.failure(ack, attempts, err);
    }
    // Held as attempting until recorded: until then the outbox still shows it as due.
    const recorded = this.record(ack, outcome).then((written) => {
      this.attempting.delete(key);
      // Its retry may be due before the time the loop sleeps until.
      if (written && outcome.state === 'pending') this.nudge();
      return written;
    });
    return { outcome: outcome.state === 'pending' ? 'retrying' : outcome.state, recorded };
  }

  /**
   * Sends one ack: with the others to the same partner that were sent during this event-loop
   * turn, in one call when the transport can; settles with this ack's own outcome (a refusal of
   * this ack alone rejects with its reason, as a single Acknowledge would).
   */
  private send(ack: OutboxAck, deadline: number): Promise<void> {
    const { transport } = this.deps;
    if (transport.acknowledgeBatch === undefined) return transport.acknowledge(ack.peerOrg, ack.taskId, ack.ack, deadline);
    return new Promise<void>((resolve, reject) => {
      const size = ack.ack.length + ack.taskId.length + 16;
      let batch = this.batches.get(ack.peerOrg);
      if (batch !== undefined && batch.bytes + size > MAX_BATCH_BYTES) {
        void this.flush(ack.peerOrg, batch);
        batch = undefined;
      }
      if (batch === undefined) {
        const fresh: Batch = { items: [], deadline, bytes: 0 };
        this.batches.set(ack.peerOrg, fresh);
        // After the current burst of continuations: the acks whose writes one group commit made
        // durable are released together and leave together, without waiting for the next turn
        // (which, with one call in flight, would push the ack into the next call's way).
        process.nextTick(() => void this.flush(ack.peerOrg, fresh));
        batch = fresh;
      }
      batch.items.push({ ack, resolve, reject });
      batch.bytes += size;
      batch.deadline = Math.max(batch.deadline, deadline);
      if (batch.items.length >= MAX_BATCH) void this.flush(ack.peerOrg, batch);
    });
  }

  private async flush(partner: string, batch: Batch): Promise<void> {
    if (this.batches.get(partner) !== batch) return;
    this.batches.delete(partner);
    let outcomes: AckBatchOutcome[];
    try {
      outcomes = await this.deps.transport.acknowledgeBatch!(
        partner,
        batch.items.map((i) => ({ taskId: i.ack.taskId, ackStatement: i.ack.ack })),
        batch.deadline,
      );
    } catch (err) {
      for (const item of batch.items) item.reject(err);
      return;
    }
    batch.items.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome === undefined || outcome.taskId !== item.ack.taskId) item.reject(new TaskError('internal', 'the partner answered the acks out of order'));
      else if (outcome.reason === undefined) item.resolve();
      else item.reject(new TaskError(outcome.reason, outcome.message));
    });
  }

  private failure(ack: OutboxAck, attempts: number, err: unknown): AckAttempt {
    const fields = { task_id: ack.taskId, partner: ack.peerOrg, attempts };
    // A partner that went back to a version that does not verify batched statements refuses an
    // ack signed in a batch while it still said it did (protocol §5.9): kept, and tried again,
    // rather than failed for good; it is delivered once the partner verifies batches again.
    const batchedRefused = err instanceof TaskError && err.reason === 'receipt_invalid' && isBatched(ack.ack);
    if (err instanceof TaskError && REFUSED.has(err.reason) && !batchedRefused) {
      this.deps.log.error({ ...fields, reason: err.reason, err }, 'the partner refused our ack; it is not retried (see the outbox record)');
      return { state: 'failed', attempts, at: this.clock.now(), error: describe(err.reason, err.message) };
    }
    const delay = backoffDelay(this.backoff, attempts, this.random);
    if (batchedRefused) {
      this.deps.log[attempts === 1 ? 'warn' : 'debug'](
        { ...fields, reason: (err as TaskError).reason, err, retry_in_ms: delay },
        'the partner refused our ack, signed in a batch: it may no longer verify batched statements (protocol §5.9); retrying from the outbox',
      );
      return { state: 'pending', attempts, nextAt: this.clock.now() + delay, error: describe('receipt_invalid', (err as TaskError).message) };
    }
    if (err instanceof TaskError) {
      // A partner down for hours fails every few minutes: one warning, then quieter.
      this.deps.log[attempts === 1 ? 'warn' : 'debug']({ ...fields, reason: err.reason, err, retry_in_ms: delay }, 'ack not delivered; retrying from the outbox');
      return { state: 'pending', attempts, nextAt: this.clock.now() + delay, error: describe(err.reason, err.message) };
    }
    this.deps.log.error({ ...fields, err, retry_in_ms: delay }, 'ack delivery failed unexpectedly; retrying from the outbox');
    return { state: 'pending', attempts, nextAt: this.clock.now() + delay, error: describe('internal', (err as Error)?.message ?? String(err)) };
  }

  /** Writes an attempt's outcome; resolves whether it is recorded (or needed no record: stopped). */
  private record(ack: OutboxAck, outcome: AckAttempt): Promise<boolean> {
    if (this.closed) return Promise.resolve(true);
    const written = this.deps.outbox.recordAckAttempt(ack.peerOrg, ack.taskId, outcome).then(
      () => true,
      (err: unknown) => {
        this.deps.log.error({ task_id: ack.taskId, partner: ack.peerOrg, err }, 'could not record an ack delivery attempt; the ack stays pending');
        return false;
      },
    );
    const tracked = written.finally(() => this.recording.delete(tracked));
    this.recording.add(tracked);
    return tracked;
  }

  private nudge(): void {
    this.nudged = true;
    this.wake?.abort();
  }

  private async pause(ms: number): Promise<void> {
    if (ms <= 0 || this.nudged || this.stopping.signal.aborted) return;
    const wake = new AbortController();
    this.wake = wake;
    try {
      await this.clock.sleep(ms, AbortSignal.any([this.stopping.signal, wake.signal]));
    } catch {
      // woken early: nudged, or stopping
    } finally {
      this.wake = undefined;
    }
  }
}

function keyOf(ack: Pick<OutboxAck, 'peerOrg' | 'taskId'>): string {
  return ack.peerOrg + '\u0000' + ack.taskId;
}

/** An attempt's error as the outbox keeps it: the reason code, and a bounded message. */
function describe(reason: string, message: string): string {
  return `${reason}: ${message}`.slice(0, 500);
}
