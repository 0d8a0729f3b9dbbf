import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../observability/index.js';
import type { TrustStore } from '../pki/index.js';
import { TaskError, type CardView, type Peer, type Responder, type TaskView } from '../tasks/index.js';
import type { Card } from '../generated/entente/federation/v1/Card.js';
import type { FederationHandlers } from '../generated/entente/federation/v1/Federation.js';
import type { Task } from '../generated/entente/federation/v1/Task.js';
import { HealthImplementation } from 'grpc-health-check';
import { bindServer, closeConnectionOf, federationProto, peerCertificateOf, shutdownServer } from '../lib/index.js';
import { WitnessConflictError } from '../audit/index.js';
import { ReloadableTls } from './reloadable-tls.js';
import { MD_ACK_OUTCOMES, MD_ACKS_ON_SUBMIT, MD_BATCHED_STATEMENTS, MD_CHECKPOINT, MD_WITNESS_SIZE, toServiceError } from './status.js';
import { encodeAckOutcomes, MAX_RIDERS } from './ack-rides.js';
import type { SubmitTaskRequest__Output } from '../generated/entente/federation/v1/SubmitTaskRequest.js';

/** The audit log as the federation service serves it (the gateway wires it to audit/). */
export interface FederationAudit {
  /** Our latest checkpoint (a signed note), covering every statement stored so far. */
  checkpoint(): Promise<string>;
  /** The latest checkpoint already signed, for a trailer: it may trail the log by a commit. */
  recentCheckpoint(): Promise<string>;
  inclusionProof(index: bigint, size: bigint): Buffer[];
  consistencyProof(first: bigint, second: bigint): Buffer[];
  /**
   * Witnesses a partner's checkpoint it pushed (AddCheckpoint); returns our cosignature line.
   * Throws TaskError (checkpoint_invalid, log_inconsistent) or, when `oldSize` is not what we
   * hold, an error with `heldSize`.
   */
  addCheckpoint(partner: string, oldSize: bigint, proof: Buffer[], note: string): Promise<string>;
  /** A partner's checkpoint that came with one of its calls: checked in the background. */
  observe(partner: string, note: string): void;
}

export interface FederationServerOptions {
  readonly listen: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly trust: () => TrustStore;
  readonly responder: Responder;
  readonly card: (peer: Peer) => CardView;
  readonly audit: FederationAudit;
  /** Largest payload accepted; the gRPC message limit adds room for statements and framing. */
  readonly maxPayloadBytes: number;
  /** Upper bound on how long a task may run when the caller set no deadline. */
  readonly callTimeoutMs: number;
  readonly log: Logger;
  /** Whether the caller said, in its call's metadata, that it verifies batched statements. */
  readonly onBatchVerifier?: (org: string, verifies: boolean) => void;
}

/** Most acks one AcknowledgeBatch call may carry (docs/protocol.md). */
const MAX_ACK_BATCH = 512;
/** Headroom above the payload limit for the request statement, salt and protobuf framing. */
const MESSAGE_OVERHEAD = 64 * 1024;
const SERVICE = 'entente.federation.v1.Federation';

/**
 * The federation service over mutual TLS. Thin: it establishes who the peer is from its
 * verified certificate, hands the request to the Responder, and maps outcomes to statuses.
 */
export class FederationServer {
  private readonly server: grpc.Server;
  /** The gRPC health service, for a partner's (or a load balancer's) stock client: NOT_SERVING until bound. */
  private readonly health = new HealthImplementation({ '': 'NOT_SERVING', [SERVICE]: 'NOT_SERVING' });
  private boundPort: number | undefined;
  /** Open WatchTask streams: a task awaiting approval may be watched for days, so stop() ends them. */
  private readonly watches = new Set<AbortController>();
  /** Set when stop() begins: a call that still arrives is refused, never handed to a stopping gateway. */
  private stopping = false;

  private readonly tls: ReloadableTls;

  constructor(private readonly opts: FederationServerOptions) {
    this.tls = new ReloadableTls(opts.trust().rootCaPems(), opts.certPem, opts.keyPem);
    this.server = new grpc.Server({
      'grpc.max_receive_message_length': opts.maxPayloadBytes + MESSAGE_OVERHEAD,
      'grpc.max_send_message_length': opts.maxPayloadBytes + MESSAGE_OVERHEAD,
      'grpc.keepalive_permit_without_calls': 1,
    });
    this.server.addService(federationProto().entente.federation.v1.Federation.service, this.handlers());
    this.health.addToServer(this.server);
  }

  /** Binds and starts serving; resolves with the bound port (useful with port 0). */
  async start(): Promise<number> {
    const creds = this.tls.credentials();
    this.boundPort = await bindServer(this.server, this.opts.listen, creds, 'listen');
    this.health.setStatus('', 'SERVING');
    this.health.setStatus(SERVICE, 'SERVING');
    return this.boundPort;
  }

  /** Takes the current TrustStore's partner CAs as client-certificate roots for new connections. */
  reloadTrust(): void {
    this.tls.setRoots(this.opts.trust().rootCaPems());
  }

  get port(): number | undefined {
    return this.boundPort;
  }

  /** Stops accepting calls, lets in-flight ones finish for `graceMs`, then cuts the rest. */
  async stop(graceMs = 5000): Promise<void> {
    this.stopping = true;
    this.health.setStatus('', 'NOT_SERVING');
    this.health.setStatus(SERVICE, 'NOT_SERVING');
    // A watcher whose stream ends before the task's final state calls WatchTask again.
    for (const watch of this.watches) watch.abort();
    await shutdownServer(this.server, graceMs);
  }

  private handlers(): FederationHandlers {
    const { responder } = this.opts;
    return {
      GetCard: (call, callback) => {
        this.unary(call, callback, async (peer) => toCard(this.opts.card(peer)));
      },
      SubmitTask: (call, callback) => {
        this.unary(call, callback, async (peer) => {
          const r = call.request;
          if (r.acks.length > MAX_RIDERS) throw new TaskError('request_invalid', `at most ${MAX_RIDERS} acks may ride on one SubmitTask (send more with AcknowledgeBatch); this one has ${r.acks.length}`);
          const acks = this.ridingAcks(call, peer);
          try {
            const view = await responder.submit(peer, {
              taskId: r.task_id,
              capability: r.capability,
              purpose: r.purpose,
              inputBytes: r.input,
              salt: r.salt,
              requestStatement: r.request_statement,
              timeoutMs: this.timeoutOf(call),
            });
            return toTask(view);
          } finally {
            // Their outcomes go in the initial metadata, which must precede the answer.
            await acks;
          }
        });
      },
      GetTask: (call, callback) => {
        this.unary(call, callback, async (peer) => toTask(await responder.get(peer, call.request.task_id)));
      },
      CancelTask: (call, callback) => {
        this.unary(call, callback, async (peer) => toTask(await responder.cancel(peer, call.request.task_id)));
      },
      Acknowledge: (call, callback) => {
        this.unary(call, callback, async (peer) => {
          await responder.acknowledge(peer, call.request.task_id, call.request.ack_statement);
          return {};
        });
      },
      GetCheckpoint: (call, callback) => {
        this.unary(call, callback, async () => ({ checkpoint: await this.opts.audit.checkpoint() }));
      },
      GetInclusionProof: (call, callback) => {
        this.unary(call, callback, async () => ({
          hashes: this.opts.audit.inclusionProof(uint64(call.request.index, 'index'), uint64(call.request.tree_size, 'tree_size')),
        }));
      },
      GetConsistencyProof: (call, callback) => {
        this.unary(call, callback, async () => ({
          hashes: this.opts.audit.consistencyProof(uint64(call.request.first, 'first'), uint64(call.request.second, 'second')),
        }));
      },
      AddCheckpoint: (call, callback) => {
        this.unary(call, callback, async (peer) => {
          const r = call.request;
          const cosignature = await this.opts.audit.addCheckpoint(peer.org, uint64(r.old_size, 'old_size'), r.consistency_proof, r.checkpoint);
          return { cosignature };
        });
      },
      AcknowledgeBatch: (call, callback) => {
        this.unary(call, callback, async (peer) => {
          const acks = call.request.acks;
          if (acks.length > MAX_ACK_BATCH) throw new TaskError('request_invalid', `at most ${MAX_ACK_BATCH} acks in one call; this one has ${acks.length}`);
          const outcomes = await responder.acknowledgeMany(peer, acks.map((a) => ({ taskId: a.task_id, ackStatement: a.ack_statement })));
          return { outcomes: outcomes.map((o) => ({ task_id: o.taskId, reason: o.reason ?? '', message: o.message ?? '' })) };
        });
      },
      WatchTask: (call) => {
        const refused = this.refuseIfStopping(call);
        if (refused !== undefined) {
          call.emit('error', refused);
          return;
        }
        const watch = new AbortController();
        this.watches.add(watch);
        call.on('cancelled', () => watch.abort());
        void (async () => {
          try {
            const peer = this.identify(call);
            for await (const view of responder.watch(peer, call.request.task_id, watch.signal)) {
              if (call.cancelled) return;
              call.write(toTask(view));
            }
            if (!call.cancelled) call.end();
          } catch (err) {
            // grpc-js ends a server stream with the status object emitted as its error.
            call.emit('error', toServiceError(err));
          } finally {
            this.watches.delete(watch);
          }
        })();
      },
    };
  }

  /**
   * The acks riding on a SubmitTask (protocol §3.2a): checked and stored as AcknowledgeBatch
   * would, beside the task (their write joins the request's commit when both are ready
   * together), and answered in the initial metadata once stored. Settles when that is done;
   * never rejects (the requester sends acks it got no outcome for again, in AcknowledgeBatch).
   */
  private async ridingAcks(call: grpc.ServerUnaryCall<SubmitTaskRequest__Output, Task>, peer: Peer): Promise<void> {
    const acks = call.request.acks;
    if (acks.length === 0) return;
    try {
      const outcomes = await this.opts.responder.acknowledgeMany(peer, acks.map((a) => ({ taskId: a.task_id, ackStatement: a.ack_statement })));
      const md = new grpc.Metadata();
      md.set(MD_ACK_OUTCOMES, encodeAckOutcomes(outcomes));
      call.sendMetadata(md);
    } catch (err) {
      this.opts.log.error({ partner: peer.org, err }, 'could not store the acks that came with a task; the partner sends them again');
    }
  }

  /**
   * One call from a partner: identified by its certificate, its checkpoint (if it sent one)
   * handed to the witness, and our own checkpoint sent back in the trailer, errors included.
   */
  private unary<Req, Res>(
    call: grpc.ServerUnaryCall<Req, Res>,
    callback: grpc.sendUnaryData<Res>,
    handle: (peer: Peer) => Promise<Res>,
  ): void {
    const refused = this.refuseIfStopping(call);
    if (refused !== undefined) {
      callback(refused);
      return;
    }
    let peer: Peer;
    try {
      peer = this.identify(call);
    } catch (err) {
      callback(toServiceError(err));
      return;
    }
    const theirs = call.metadata.get(MD_CHECKPOINT)[0];
    if (Buffer.isBuffer(theirs)) this.opts.audit.observe(peer.org, theirs.toString('utf8'));
    this.opts.onBatchVerifier?.(peer.org, call.metadata.get(MD_BATCHED_STATEMENTS)[0] === '1');
    handle(peer).then(
      async (res) => callback(null, res, await this.trailer()),
      async (err: unknown) => {
        if (!(err instanceof TaskError) && !(err instanceof WitnessConflictError)) {
          this.opts.log.error({ partner: peer.org, method: call.getPath(), err }, 'federation call failed');
        }
        const status = err instanceof WitnessConflictError ? toServiceError(new TaskError('checkpoint_conflict', err.message)) : toServiceError(err);
        if (err instanceof WitnessConflictError) status.metadata!.set(MD_WITNESS_SIZE, err.heldSize.toString());
        status.metadata!.merge(await this.trailer());
        callback(status);
      },
    );
  }

  /**
   * UNAVAILABLE (retryable) for a call that arrives once stop() has begun, and its connection
   * closed: the store and the agents may be gone, and the caller should reach whatever serves
   * next. See closeConnectionOf for how a stopped grpc-js server can still get calls.
   */
  private refuseIfStopping(call: object): Partial<grpc.StatusObject> | undefined {
    if (!this.stopping) return undefined;
    closeConnectionOf(call);
    return toServiceError(new TaskError('partner_unavailable', 'the gateway is stopping: call again once it has restarted'));
  }

  /** Our latest checkpoint as a trailer; an answer goes without one rather than not at all. */
  private async trailer(): Promise<grpc.Metadata> {
    const md = new grpc.Metadata();
    md.set(MD_BATCHED_STATEMENTS, '1');
    md.set(MD_ACKS_ON_SUBMIT, '1');
    try {
      md.set(MD_CHECKPOINT, Buffer.from(await this.opts.audit.recentCheckpoint(), 'utf8'));
    } catch (err) {
      this.opts.log.error({ err }, 'could not make a checkpoint for an answer');
    }
    return md;
  }

  /** Who is calling: decided by the verified client certificate alone. */
  private identify(call: Pick<grpc.ServerUnaryCall<unknown, unknown>, 'getAuthContext' | 'getPeer'>): Peer {
    const der = peerCertificateOf(call);
    try {
      const id = this.opts.trust().identifyPeer(der);
      return { org: id.org, serial: id.serial, fingerprint256: id.fingerprint256 };
    } catch (err) {
      this.opts.log.info({ remote: call.getPeer(), err }, 'peer refused');
      throw new TaskError('peer_unauthenticated', `client certificate refused: ${(err as Error).message}`, {}, { cause: err });
    }
  }

  /** The caller's deadline as a budget from now, capped by limits.callTimeout. */
  private timeoutOf(call: grpc.ServerUnaryCall<unknown, unknown>): number {
    const d = call.getDeadline();
    const ms = d instanceof Date ? d.getTime() : d;
    const left = Number.isFinite(ms) && ms > 0 ? ms - Date.now() : Infinity;
    return Math.max(0, Math.min(left, this.opts.callTimeoutMs));
  }
}

/** A uint64 field (a decimal string, as proto-loader gives it) as a bigint. */
function uint64(value: string | number, field: string): bigint {
  try {
    return BigInt(value);
  } catch {
    throw new TaskError('request_invalid', `${field} is not an unsigned integer`);
  }
}

function toTask(view: TaskView): Task {
  return {
    task_id: view.taskId,
    status: `TASK_STATUS_${view.status.toUpperCase()}` as NonNullable<Task['status']>,
    ...(view.resultBytes !== undefined ? { result: view.resultBytes } : {}),
    ...(view.reason !== undefined ? { reason: view.reason } : {}),
    ...(view.resultStatement !== undefined ? { result_statement: view.resultStatement } : {}),
  };
}

function toCard(card: CardView): Card {
  return {
    org: card.org,
    capabilities: card.capabilities.map((c) => ({
      name: c.name,
      description: c.description,
      input_schema: Buffer.from(JSON.stringify(c.inputSchema)),
      output_schema: Buffer.from(JSON.stringify(c.outputSchema)),
    })),
    receipt_jwks: Buffer.from(JSON.stringify(card.receiptJwks)),
    log_key: card.logKey ?? '',
    previous_log_keys: [...(card.previousLogKeys ?? [])],
  };
}
