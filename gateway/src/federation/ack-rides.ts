import { federationProto } from '../lib/index.js';
import { isReasonCode, TaskError, type AckBatchOutcome, type AckToSend } from '../tasks/index.js';
import type { AcknowledgeBatchResponse, AcknowledgeBatchResponse__Output } from '../generated/entente/federation/v1/AcknowledgeBatchResponse.js';

/**
 * Most acks riding on one SubmitTask (protocol §3.2a): their outcomes travel in one header, and
 * stock gRPC stacks take a few KiB of metadata (grpc-java's and C core's default is 8 KiB).
 */
export const MAX_RIDERS = 32;
/**
 * Most bytes of ack statements riding on one SubmitTask. A partner takes messages of its
 * payload limit plus 64 KiB, and the input itself may use the whole payload limit: the acks,
 * the request statement and framing share the 64 KiB.
 */
export const MAX_RIDER_BYTES = 24 * 1024;
/**
 * How long an ack waits for a SubmitTask to the same partner to carry it before it leaves in an
 * AcknowledgeBatch of its own, by default (acks.rideWait). A caller with one call at a time
 * sends its next task within a millisecond or two of the previous result; an ack costs nothing
 * while it waits (it is durable in the outbox) but the partner's receipt lacks it that much
 * longer.
 */
export const RIDE_WAIT_MS = 10;
/** Longest refusal message sent back per ack in the outcomes metadata. */
const MAX_OUTCOME_MESSAGE = 160;
/** Largest outcomes header sent: beyond it the refusals go without their messages. */
const MAX_OUTCOMES_BYTES = 4096;
/**
 * How long a SubmitTask's answer may take to bring the outcomes of the acks it carries (a
 * responder sends them once the acks are stored, before the task runs): after it, they are sent
 * again on their own rather than held for as long as the task runs.
 */
export const OUTCOMES_WAIT_MS = 2000;
/** The least time a resent ack gets for its AcknowledgeBatch (its first deadline may have passed). */
const RESEND_MS = 5000;

/** The acks one AckTransport.acknowledgeBatch call handed over, answered together. */
interface Group {
  readonly outcomes: (AckBatchOutcome | undefined)[];
  left: number;
  settled: boolean;
  readonly deadline: number;
  readonly resolve: (outcomes: AckBatchOutcome[]) => void;
  readonly reject: (err: unknown) => void;
}

interface Rider {
  readonly ack: AckToSend;
  readonly group: Group;
  readonly index: number;
}

/** The acks a SubmitTask carries: settle() with the outcomes its answer brought, or undefined. */
export interface Ride {
  readonly acks: readonly AckToSend[];
  settle(outcomes: readonly AckBatchOutcome[] | undefined): void;
}

/** Sends acks in an AcknowledgeBatch call of their own (FederationClients.sendAcks). */
export type SendAcks = (partner: string, acks: readonly AckToSend[], deadline: number) => Promise<AckBatchOutcome[]>;

/**
 * Acks waiting to ride on the next SubmitTask to their partner (protocol §3.2a), so that a
 * requester sending one task after another makes one call per task instead of two, and the
 * partner stores the ack in the same commit as the next request. What no SubmitTask takes
 * within `waitMs` leaves in an AcknowledgeBatch of its own; what a SubmitTask took but whose
 * answer brought no outcomes (the call failed, the partner changed its mind) is sent the same
 * way at once. Either way each ack's outcome is what AcknowledgeBatch would have said, so the
 * ack outbox above cannot tell how its acks travelled.
 */
export class AckRides {
  private readonly waiting = new Map<string, { riders: Rider[]; timer: NodeJS.Timeout }>();
  /** Acks answered by the SubmitTask they rode on. */
  rode = 0;
  /** Acks sent in an AcknowledgeBatch of their own (none took them, or their ride brought no outcomes). */
  sentAlone = 0;

  constructor(
    private readonly send: SendAcks,
    private readonly waitMs: number = RIDE_WAIT_MS,
  ) {}

  /** Queues acks for `partner`'s next SubmitTask; settles with each one's outcome, in order. */
  wait(partner: string, acks: readonly AckToSend[], deadline: number): Promise<AckBatchOutcome[]> {
    if (acks.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const group: Group = { outcomes: acks.map(() => undefined), left: acks.length, settled: false, deadline, resolve, reject };
      let queue = this.waiting.get(partner);
      if (queue === undefined) {
        queue = { riders: [], timer: setTimeout(() => this.sendWaiting(partner), this.waitMs) };
        this.waiting.set(partner, queue);
      }
      acks.forEach((ack, index) => queue.riders.push({ ack, group, index }));
    });
  }

  /** The oldest acks waiting for `partner`, within the limits of one SubmitTask; undefined if none. */
  take(partner: string): Ride | undefined {
    const queue = this.waiting.get(partner);
    if (queue === undefined) return undefined;
    let bytes = 0;
    let n = 0;
    for (const r of queue.riders) {
      const size = r.ack.ackStatement.length + r.ack.taskId.length;
      if (n === MAX_RIDERS || bytes + size > MAX_RIDER_BYTES) break;
      bytes += size;
      n++;
    }
    if (n === 0) return undefined;
    const riders = queue.riders.splice(0, n);
    if (queue.riders.length === 0) this.drain(partner);
    return {
      acks: riders.map((r) => r.ack),
      settle: (outcomes) => {
        if (outcomes !== undefined && answersAll(riders, outcomes)) {
          this.rode += riders.length;
          riders.forEach((r, i) => answer(r, outcomes[i]!));
        } else {
          this.sendNow(partner, riders);
        }
      },
    };
  }

  /** Fails everything waiting with `err` (the transport is closing): the outbox sends it again later. */
  abandon(err: unknown): void {
    for (const partner of [...this.waiting.keys()]) for (const r of this.drain(partner)) fail(r.group, err);
  }

  /** What waits for `partner`, no longer waiting: its timer stopped. */
  private drain(partner: string): Rider[] {
    const queue = this.waiting.get(partner);
    if (queue === undefined) return [];
    clearTimeout(queue.timer);
    this.waiting.delete(partner);
    return queue.riders;
  }

  private sendWaiting(partner: string): void {
    // Per group: each came within one AcknowledgeBatch's limits.
    const groups = new Map<Group, Rider[]>();
    for (const r of this.drain(partner)) {
      const riders = groups.get(r.group);
      if (riders === undefined) groups.set(r.group, [r]);
      else riders.push(r);
    }
    for (const riders of groups.values()) this.sendNow(partner, riders);
  }

  private sendNow(partner: string, riders: readonly Rider[]): void {
    this.sentAlone += riders.length;
    const deadline = Math.max(...riders.map((r) => r.group.deadline), Date.now() + RESEND_MS);
    this.send(
      partner,
      riders.map((r) => r.ack),
      deadline,
    ).then(
      (outcomes) => {
        if (answersAll(riders, outcomes)) riders.forEach((r, i) => answer(r, outcomes[i]!));
        else for (const r of riders) fail(r.group, new TaskError('internal', 'the partner answered the acks out of order'));
      },
      (err: unknown) => {
        for (const r of riders) fail(r.group, err);
      },
    );
  }
}

function answersAll(riders: readonly Rider[], outcomes: readonly AckBatchOutcome[]): boolean {
  return outcomes.length === riders.length && riders.every((r, i) => outcomes[i]!.taskId === r.ack.taskId);
}

function answer(rider: Rider, outcome: AckBatchOutcome): void {
  const { group } = rider;
  if (group.settled || group.outcomes[rider.index] !== undefined) return;
  group.outcomes[rider.index] = outcome;
  if (--group.left === 0) {
    group.settled = true;
    group.resolve(group.outcomes as AckBatchOutcome[]);
  }
}

function fail(group: Group, err: unknown): void {
  if (group.settled) return;
  group.settled = true;
  group.reject(err);
}

let method: ReturnType<typeof loadAckBatchMethod> | undefined;
function loadAckBatchMethod() {
  return federationProto().entente.federation.v1.Federation.service.AcknowledgeBatch;
}
function ackBatchMethod() {
  return (method ??= loadAckBatchMethod());
}

/** The outcomes of acks that rode on a SubmitTask, for `entente-ack-outcomes-bin`. */
export function encodeAckOutcomes(outcomes: readonly { readonly taskId: string; readonly reason?: string; readonly message?: string }[]): Buffer {
  const encode = (messages: boolean) => {
    const res: AcknowledgeBatchResponse = {
      outcomes: outcomes.map((o) => ({ task_id: o.taskId, reason: o.reason ?? '', message: messages ? (o.message ?? '').slice(0, MAX_OUTCOME_MESSAGE) : '' })),
    };
    return ackBatchMethod().responseSerialize(res);
  };
  const full = encode(true);
  return full.length <= MAX_OUTCOMES_BYTES ? full : encode(false);
}

/** What `entente-ack-outcomes-bin` says; undefined when it is not a well-formed AcknowledgeBatchResponse. */
export function decodeAckOutcomes(bytes: Buffer): AckBatchOutcome[] | undefined {
  try {
    return outcomesOf(ackBatchMethod().responseDeserialize(bytes));
  } catch {
    return undefined;
  }
}

/** An AcknowledgeBatchResponse as the ack outbox reads it (an unknown reason is internal). */
export function outcomesOf(res: AcknowledgeBatchResponse__Output): AckBatchOutcome[] {
  return res.outcomes.map((o) => ({
    taskId: o.task_id,
    ...(o.reason === '' ? {} : { reason: isReasonCode(o.reason) ? o.reason : 'internal', message: o.message }),
  }));
}
