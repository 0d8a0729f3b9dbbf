import { isIP } from 'node:net';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../observability/index.js';
import type { TrustStore } from '../pki/index.js';
import { TaskError, type AckBatchOutcome, type AckToSend, type PartnerTransport, type TaskView } from '../tasks/index.js';
import type { FederationClient } from '../generated/entente/federation/v1/Federation.js';
import type { Card__Output } from '../generated/entente/federation/v1/Card.js';
import type { Task__Output } from '../generated/entente/federation/v1/Task.js';
import { federationProto, Semaphore, splitHostPort } from '../lib/index.js';
import type { AcknowledgeBatchResponse__Output } from '../generated/entente/federation/v1/AcknowledgeBatchResponse.js';
import type { AcknowledgeRequest } from '../generated/entente/federation/v1/AcknowledgeRequest.js';
import type { AddCheckpointResponse__Output } from '../generated/entente/federation/v1/AddCheckpointResponse.js';
import type { CheckpointResponse__Output } from '../generated/entente/federation/v1/CheckpointResponse.js';
import type { ProofResponse__Output } from '../generated/entente/federation/v1/ProofResponse.js';
import { fromServiceError, MD_ACK_OUTCOMES, MD_ACKS_ON_SUBMIT, MD_BATCHED_STATEMENTS, MD_CHECKPOINT, MD_REASON, MD_WITNESS_SIZE } from './status.js';
import { AckRides, decodeAckOutcomes, OUTCOMES_WAIT_MS, outcomesOf } from './ack-rides.js';

export interface PartnerEndpoint {
  readonly org: string;
  readonly address: string;
}

export interface FederationClientsOptions {
  readonly partners: readonly PartnerEndpoint[];
  readonly certPem: string;
  readonly keyPem: string;
  readonly trust: () => TrustStore;
  readonly maxPayloadBytes: number;
  readonly maxInFlightPerPartner: number;
  readonly log: Logger;
  /** Our latest checkpoint, sent with every call (undefined: none yet). */
  readonly checkpoint?: () => Promise<string | undefined>;
  /** A partner's checkpoint, from the trailer of its answer. */
  readonly onCheckpoint?: (partner: string, note: string) => void;
  /** Whether the partner said, in an answer's trailers, that it verifies batched statements. */
  readonly onBatchVerifier?: (partner: string, verifies: boolean) => void;
  /** How long an ack waits for a SubmitTask to ride on (acks.rideWait; RIDE_WAIT_MS by default). */
  readonly ackRideWaitMs?: number;
}

const MESSAGE_OVERHEAD = 64 * 1024;

/**
 * Long-lived mutual-TLS channels to partners, one per partner (a new TLS connection costs
 * milliseconds; a call on an open one, microseconds). A partner's server certificate must
 * identify that partner by the same rules as incoming peers, whatever the address says.
 */
export class FederationClients implements PartnerTransport {
  private readonly clients = new Map<string, { client: FederationClient; slots: Semaphore; endpoint: PartnerEndpoint; caPem: string }>();
  /** Partners that answered AcknowledgeBatch with UNIMPLEMENTED: acks go to them one by one. */
  private readonly noAckBatch = new Set<string>();
  /** Partners whose latest answer said they take acks riding on SubmitTask (protocol §3.2a). */
  private readonly ridesTo = new Set<string>();
  /** Our acks waiting to ride on the next SubmitTask to their partner. */
  readonly ackRides: AckRides;
  /** What each partner's last answer (or silence) says about reaching it, for the gateway's status. */
  private readonly seen = new Map<string, { lastSeenAt?: Date; lastError?: string; certificateExpiresAt?: Date }>();

  constructor(private readonly opts: FederationClientsOptions) {
    this.ackRides = new AckRides((partner, acks, deadline) => this.sendAcks(partner, acks, deadline), opts.ackRideWaitMs);
    this.update(opts.partners);
  }

  /**
   * Brings the channels in line with the partners (after a reload): closes those of removed
   * partners, opens channels to new ones, and replaces a channel whose address or pinned CA
   * changed. Calls in flight on a replaced channel finish on it. Reads the CAs from the
   * current TrustStore, so update that first.
   */
  update(partners: readonly PartnerEndpoint[]): { added: string[]; removed: string[]; changed: string[] } {
    const wanted = new Map(partners.map((p) => [p.org, p]));
    const changes = { added: [] as string[], removed: [] as string[], changed: [] as string[] };
    for (const [org, entry] of this.clients) {
      const next = wanted.get(org);
      if (next === undefined || next.address !== entry.endpoint.address || this.opts.trust().caPemOf(org) !== entry.caPem) {
        entry.client.close();
        this.clients.delete(org);
        this.seen.delete(org);
        // What the old endpoint said of itself does not hold for a new one.
        this.ridesTo.delete(org);
        this.noAckBatch.delete(org);
        if (next === undefined) changes.removed.push(org);
        else changes.changed.push(org);
      }
    }
    for (const p of partners) {
      if (this.clients.has(p.org)) continue;
      if (!changes.changed.includes(p.org)) changes.added.push(p.org);
      this.clients.set(p.org, this.open(p));
    }
    return changes;
  }

  private open(p: PartnerEndpoint) {
    const { opts } = this;
    const Ctor = federationProto().entente.federation.v1.Federation;
    const caPem = opts.trust().caPemOf(p.org);
    const { host } = splitHostPort(p.address);
    const creds = grpc.credentials.createSsl(Buffer.from(caPem), Buffer.from(opts.keyPem), Buffer.from(opts.certPem), {
      // The address, not the TLS server name, is what the certificate must cover (see serverNameFor).
      checkServerIdentity: (_servername: string, cert: PeerCertificate) => {
        const hostError = checkServerIdentity(host, cert);
        if (hostError !== undefined) return hostError;
        try {
          const id = opts.trust().expectServer(p.org, cert.raw);
          this.note(p.org, { certificateExpiresAt: id.notAfter });
          return undefined;
        } catch (err) {
          return err as Error;
        }
      },
    });
    const client = new Ctor(p.address, creds, {
      ...serverNameFor(p.org, host),
      'grpc.max_receive_message_length': opts.maxPayloadBytes + MESSAGE_OVERHEAD,
      'grpc.max_send_message_length': opts.maxPayloadBytes + MESSAGE_OVERHEAD,
      // A partner that comes back is found within seconds (grpc's default backs off to 120 s).
      'grpc.initial_reconnect_backoff_ms': 250,
      'grpc.max_reconnect_backoff_ms': 5000,
      'grpc.keepalive_time_ms': 30_000,
      'grpc.keepalive_timeout_ms': 10_000,
    });
    // Bounds the calls in flight to one partner, so one slow partner cannot take every socket.
    return { client, slots: new Semaphore(opts.maxInFlightPerPartner), endpoint: p, caPem };
  }

  has(partner: string): boolean {
    return this.clients.has(partner);
  }

  async submit(
    partner: string,
    req: { taskId: string; capability: string; purpose: string; inputBytes: Buffer; salt: string; requestStatement: string },
    deadline: number,
  ): Promise<TaskView> {
    const task = await this.unary<Task__Output>(partner, deadline, (c, md, d, cb) =>
      this.carryingAcks(partner, cb, (acks, done) =>
        c.SubmitTask(
          {
            task_id: req.taskId,
            capability: req.capability,
            purpose: req.purpose,
            input: req.inputBytes,
            salt: req.salt,
            request_statement: req.requestStatement,
            acks,
          },
          md,
          { deadline: d },
          done,
        ),
      ),
    );
    return fromTask(task);
  }

  /**
   * A SubmitTask carrying the acks that wait for `partner` (protocol §3.2a), taken at the last
   * moment so that those released meanwhile ride too. Their outcomes come in the answer's
   * initial metadata; acks that get none (the call failed first, or was never made) leave on
   * their own.
   */
  private carryingAcks<T>(
    partner: string,
    cb: (err: grpc.ServiceError | null, res?: T) => void,
    call: (acks: AcknowledgeRequest[], done: (err: grpc.ServiceError | null, res?: T) => void) => grpc.ClientUnaryCall,
  ): grpc.ClientUnaryCall {
    const ride = this.ridesTo.has(partner) ? this.ackRides.take(partner) : undefined;
    if (ride === undefined) return call([], cb);
    let settled = false;
    // A partner that stopped taking riding acks (it went back a version) never answers them:
    // they are not held for as long as the task runs.
    const late = setTimeout(() => settle(undefined), OUTCOMES_WAIT_MS);
    const settle = (outcomes: AckBatchOutcome[] | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(late);
      ride.settle(outcomes);
    };
    let made: grpc.ClientUnaryCall;
    try {
      made = call(
        ride.acks.map((a) => ({ task_id: a.taskId, ack_statement: a.ackStatement })),
        (err, res) => {
          settle(undefined);
          cb(err, res);
        },
      );
    } catch (err) {
      settle(undefined);
      throw err;
    }
    made.on('metadata', (headers: grpc.Metadata) => {
      const outcomes = headers.get(MD_ACK_OUTCOMES)[0];
      if (Buffer.isBuffer(outcomes)) settle(decodeAckOutcomes(outcomes));
    });
    return made;
  }

  async acknowledge(partner: string, taskId: string, ackStatement: string, deadline: number): Promise<void> {
    await this.unary(partner, deadline, (c, md, d, cb) => c.Acknowledge({ task_id: taskId, ack_statement: ackStatement }, md, { deadline: d }, cb));
  }

  /**
   * Many acks in one AcknowledgeBatch call, each one's outcome in order. A partner that does not
   * know the call (UNIMPLEMENTED: an older gateway) gets them one by one with Acknowledge.
   */
  async acknowledgeBatch(partner: string, acks: readonly AckToSend[], deadline: number): Promise<AckBatchOutcome[]> {
    // A partner that takes acks on SubmitTask gets them on the next one, if one comes soon.
    if (this.ridesTo.has(partner)) return this.ackRides.wait(partner, acks, deadline);
    return this.sendAcks(partner, acks, deadline);
  }

  /** Acks in an AcknowledgeBatch call of their own (or one by one to a partner without it). */
  private async sendAcks(partner: string, acks: readonly AckToSend[], deadline: number): Promise<AckBatchOutcome[]> {
    if (!this.noAckBatch.has(partner)) {
      try {
        const res = await this.unary<AcknowledgeBatchResponse__Output>(partner, deadline, (c, md, d, cb) =>
          c.AcknowledgeBatch({ acks: acks.map((a) => ({ task_id: a.taskId, ack_statement: a.ackStatement })) }, md, { deadline: d }, cb),
        );
        return outcomesOf(res);
      } catch (err) {
        if (!(err instanceof TaskError && (err.cause as grpc.ServiceError | undefined)?.code === grpc.status.UNIMPLEMENTED)) throw err;
        this.noAckBatch.add(partner);
      }
    }
    return Promise.all(
      acks.map(async (a): Promise<AckBatchOutcome> => {
        try {
          await this.acknowledge(partner, a.taskId, a.ackStatement, deadline);
          return { taskId: a.taskId };
        } catch (err) {
          if (err instanceof TaskError && (err.reason === 'task_unknown' || err.reason === 'receipt_invalid')) return { taskId: a.taskId, reason: err.reason, message: err.message };
          throw err;
        }
      }),
    );
  }

  async getTask(partner: string, taskId: string, deadline: number): Promise<TaskView> {
    return fromTask(await this.unary<Task__Output>(partner, deadline, (c, md, d, cb) => c.GetTask({ task_id: taskId }, md, { deadline: d }, cb)));
  }

  async cancelTask(partner: string, taskId: string, deadline: number): Promise<TaskView> {
    return fromTask(await this.unary<Task__Output>(partner, deadline, (c, md, d, cb) => c.CancelTask({ task_id: taskId }, md, { deadline: d }, cb)));
  }

  /** Every state the partner reports for the task until it is final (or the deadline). */
  async watchTask(partner: string, taskId: string, deadline: number, onUpdate?: (view: TaskView) => void, signal?: AbortSignal): Promise<TaskView[]> {
    const entry = this.clients.get(partner);
    if (entry === undefined) throw new TaskError('partner_unknown', `no partner named ${JSON.stringify(partner)}`);
    const stream = entry.client.WatchTask({ task_id: taskId }, await this.metadata(), { deadline: new Date(deadline) });
    // Closing the channel does not end a stream already open: the one who asked for it may.
    if (signal !== undefined) {
      const cancel = () => stream.cancel();
      if (signal.aborted) cancel();
      signal.addEventListener('abort', cancel, { once: true });
      stream.on('close', () => signal.removeEventListener('abort', cancel));
    }
    stream.on('status', (status: grpc.StatusObject) => this.theirCheckpoint(partner, status.metadata));
    const views: TaskView[] = [];
    return new Promise((resolve, reject) => {
      stream.on('data', (t: Task__Output) => {
        let view: TaskView;
        try {
          view = fromTask(t);
        } catch (err) {
          // Thrown in an event handler it would be uncaught: end the stream with it instead.
          stream.cancel();
          reject(err as TaskError);
          return;
        }
        views.push(view);
        onUpdate?.(view);
      });
      stream.on('error', (err: grpc.ServiceError) => reject(fromServiceError(err)));
      stream.on('end', () => resolve(views));
    });
  }

  async getCard(partner: string, deadline: number): Promise<Card__Output> {
    return this.unary<Card__Output>(partner, deadline, (c, md, d, cb) => c.GetCard({}, md, { deadline: d }, cb));
  }

  /** The partner's latest checkpoint (a signed note). */
  async getCheckpoint(partner: string, deadline: number): Promise<string> {
    return (await this.unary<CheckpointResponse__Output>(partner, deadline, (c, md, d, cb) => c.GetCheckpoint({}, md, { deadline: d }, cb))).checkpoint;
  }

  /** The partner's consistency proof between two sizes of its log. */
  async getConsistencyProof(partner: string, first: bigint, second: bigint, deadline: number): Promise<Buffer[]> {
    const res = await this.unary<ProofResponse__Output>(partner, deadline, (c, md, d, cb) =>
      c.GetConsistencyProof({ first: first.toString(), second: second.toString() }, md, { deadline: d }, cb),
    );
    return res.hashes;
  }

  /** The partner's inclusion proof of leaf `index` in its tree of `size` leaves. */
  async getInclusionProof(partner: string, index: bigint, size: bigint, deadline: number): Promise<Buffer[]> {
    const res = await this.unary<ProofResponse__Output>(partner, deadline, (c, md, d, cb) =>
      c.GetInclusionProof({ index: index.toString(), tree_size: size.toString() }, md, { deadline: d }, cb),
    );
    return res.hashes;
  }

  /**
   * Asks the partner to witness our checkpoint: its cosignature line, or the size it holds when
   * that is not `oldSize` (resend with a proof from there).
   */
  async addCheckpoint(
    partner: string,
    oldSize: bigint,
    proof: readonly Buffer[],
    note: string,
    deadline: number,
  ): Promise<{ readonly cosignature: string } | { readonly heldSize: bigint }> {
    try {
      const res = await this.unary<AddCheckpointResponse__Output>(partner, deadline, (c, md, d, cb) =>
        c.AddCheckpoint({ old_size: oldSize.toString(), consistency_proof: [...proof], checkpoint: note }, md, { deadline: d }, cb),
      );
      return { cosignature: res.cosignature };
    } catch (err) {
      const held = err instanceof TaskError && err.reason === 'checkpoint_conflict' ? ((err.cause as grpc.ServiceError).metadata?.get(MD_WITNESS_SIZE)[0] ?? undefined) : undefined;
      if (typeof held === 'string' && /^[0-9]{1,20}$/.test(held)) return { heldSize: BigInt(held) };
      throw err;
    }
  }

  /**
   * Whether `partner` answered lately: any answer from its gateway, a refusal included, means
   * it is reachable; a transport failure without an answer means it is not.
   */
  reachability(partner: string): {
    reachability: 'reachable' | 'unreachable' | 'unknown';
    lastSeenAt?: Date;
    lastError?: string;
    certificateExpiresAt?: Date;
  } {
    const s = this.seen.get(partner);
    const reachability = s?.lastError !== undefined ? 'unreachable' : s?.lastSeenAt !== undefined ? 'reachable' : 'unknown';
    return { reachability, ...s };
  }

  private note(partner: string, update: { lastSeenAt?: Date; lastError?: string; certificateExpiresAt?: Date }): void {
    const { lastError: _previousError, ...kept } = this.seen.get(partner) ?? {};
    this.seen.set(partner, { ...kept, ...update });
  }

  /** Records what a call's outcome says about reaching the partner, and passes the error on. */
  private observe(partner: string, err: grpc.ServiceError | null): void {
    if (err === null || err.metadata?.get(MD_REASON).length) this.note(partner, { lastSeenAt: new Date() });
    else this.note(partner, { lastError: `${grpc.status[err.code]}: ${err.details}`.slice(0, 300) });
  }

  close(): void {
    // Acks waiting for a SubmitTask stay pending in the outbox, sent again after a restart.
    this.ackRides.abandon(new TaskError('partner_unavailable', 'this gateway is stopping; the ack is sent again once it has restarted'));
    for (const { client } of this.clients.values()) client.close();
  }

  private async unary<T>(
    partner: string,
    deadline: number,
    invoke: (client: FederationClient, metadata: grpc.Metadata, deadline: Date, cb: (err: grpc.ServiceError | null, res?: T) => void) => grpc.ClientUnaryCall,
  ): Promise<T> {
    const entry = this.clients.get(partner);
    if (entry === undefined) throw new TaskError('partner_unknown', `no partner named ${JSON.stringify(partner)}`);
    const md = await this.metadata();
    await entry.slots.acquire();
    try {
      return await new Promise<T>((resolve, reject) => {
        const call = invoke(entry.client, md, new Date(deadline), (err, res) => {
          this.observe(partner, err);
          if (err) reject(fromServiceError(err));
          else resolve(res as T);
        });
        call.on('status', (status: grpc.StatusObject) => this.theirCheckpoint(partner, status.metadata));
      });
    } finally {
      entry.slots.release();
    }
  }

  /** Our latest checkpoint, to send with a call. */
  private async metadata(): Promise<grpc.Metadata> {
    const md = new grpc.Metadata();
    md.set(MD_BATCHED_STATEMENTS, '1');
    try {
      const note = await this.opts.checkpoint?.();
      if (note !== undefined) md.set(MD_CHECKPOINT, Buffer.from(note, 'utf8'));
    } catch (err) {
      this.opts.log.error({ err }, 'could not make a checkpoint to send');
    }
    return md;
  }

  /**
   * What an answer's trailers say of the partner: its latest checkpoint, whether it verifies
   * batches, whether it takes acks on SubmitTask.
   */
  private theirCheckpoint(partner: string, md: grpc.Metadata | undefined): void {
    const note = md?.get(MD_CHECKPOINT)[0];
    // Only trailers from the partner's gateway say what it does: a transport failure's (or a
    // watch stream's) carry none of its keys, and change nothing.
    if (md === undefined || !Buffer.isBuffer(note)) return;
    this.opts.onCheckpoint?.(partner, note.toString('utf8'));
    this.opts.onBatchVerifier?.(partner, md.get(MD_BATCHED_STATEMENTS)[0] === '1');
    if (md.get(MD_ACKS_ON_SUBMIT)[0] === '1') this.ridesTo.add(partner);
    else this.ridesTo.delete(partner);
  }
}

/**
 * TLS must not send an IP address as the server name (RFC 6066; Node warns DEP0123 on every
 * connection). For a partner at an IP address, SNI carries a name that can match nothing, and
 * checkServerIdentity checks the certificate against the address itself.
 */
function serverNameFor(org: string, host: string): Record<string, string> {
  return isIP(host) === 0 ? {} : { 'grpc.ssl_target_name_override': `${org}.partner.invalid` };
}

const TASK_STATUSES: ReadonlySet<string> = new Set<TaskView['status']>(['awaiting_approval', 'approved', 'running', 'completed', 'failed', 'denied', 'cancelled']);

function fromTask(t: Task__Output): TaskView {
  const lowered = t.status.replace('TASK_STATUS_', '').toLowerCase();
  if (!TASK_STATUSES.has(lowered)) throw new TaskError('internal', `the partner sent an unknown task status ${t.status}`);
  const status = lowered as TaskView['status'];
  return {
    taskId: t.task_id,
    status,
    ...(status === 'completed' ? { resultBytes: t.result } : {}),
    ...(t.reason !== '' ? { reason: t.reason } : {}),
    ...(t.result_statement !== '' ? { resultStatement: t.result_statement } : {}),
  };
}
