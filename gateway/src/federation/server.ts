import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../observability/index.js';
import type { TrustStore } from '../pki/index.js';
import { TaskError, type Peer, type Responder, type TaskView } from '../tasks/index.js';
import type { Card } from '../generated/entente/federation/v1/Card.js';
import type { FederationHandlers } from '../generated/entente/federation/v1/Federation.js';
import type { Task } from '../generated/entente/federation/v1/Task.js';
import { federationProto } from './proto.js';
import { toServiceError } from './status.js';

export interface FederationServerOptions {
  readonly listen: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly trust: () => TrustStore;
  readonly responder: Responder;
  readonly card: (peer: Peer) => Card;
  /** Largest payload accepted; the gRPC message limit adds room for statements and framing. */
  readonly maxPayloadBytes: number;
  /** Upper bound on how long a task may run when the caller set no deadline. */
  readonly callTimeoutMs: number;
  readonly log: Logger;
}

/** Headroom above the payload limit for the request statement, salt and protobuf framing. */
const MESSAGE_OVERHEAD = 64 * 1024;

/**
 * The federation service over mutual TLS. Thin: it establishes who the peer is from its
 * verified certificate, hands the request to the Responder, and maps outcomes to statuses.
 */
export class FederationServer {
  private readonly server: grpc.Server;
  private boundPort: number | undefined;

  constructor(private readonly opts: FederationServerOptions) {
    this.server = new grpc.Server({
      'grpc.max_receive_message_length': opts.maxPayloadBytes + MESSAGE_OVERHEAD,
      'grpc.max_send_message_length': opts.maxPayloadBytes + MESSAGE_OVERHEAD,
      'grpc.keepalive_permit_without_calls': 1,
    });
    this.server.addService(federationProto().entente.federation.v1.Federation.service, this.handlers());
  }

  /** Binds and starts serving; resolves with the bound port (useful with port 0). */
  async start(): Promise<number> {
    const creds = grpc.ServerCredentials.createSsl(
      Buffer.from(this.opts.trust().rootCaPems()),
      [{ private_key: Buffer.from(this.opts.keyPem), cert_chain: Buffer.from(this.opts.certPem) }],
      true,
    );
    this.boundPort = await new Promise<number>((resolve, reject) => {
      this.server.bindAsync(this.opts.listen, creds, (err, port) => (err ? reject(err) : resolve(port)));
    });
    return this.boundPort;
  }

  get port(): number | undefined {
    return this.boundPort;
  }

  /** Stops accepting calls, lets in-flight ones finish for `graceMs`, then cuts the rest. */
  async stop(graceMs = 5000): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private handlers(): FederationHandlers {
    const { responder } = this.opts;
    return {
      GetCard: (call, callback) => {
        this.unary(call, callback, async (peer) => this.opts.card(peer));
      },
      SubmitTask: (call, callback) => {
        this.unary(call, callback, async (peer) => {
          const r = call.request;
          const view = await responder.submit(peer, {
            taskId: r.task_id,
            capability: r.capability,
            purpose: r.purpose,
            inputBytes: r.input,
            salt: r.salt,
            requestStatement: r.request_statement,
            deadline: this.deadlineOf(call),
          });
          return toTask(view);
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
      WatchTask: (call) => {
        void (async () => {
          try {
            const peer = this.identify(call);
            for await (const view of responder.watch(peer, call.request.task_id)) {
              if (call.cancelled) return;
              call.write(toTask(view));
            }
            call.end();
          } catch (err) {
            // grpc-js ends a server stream with the status object emitted as its error.
            call.emit('error', toServiceError(err));
          }
        })();
      },
    };
  }

  private unary<Req, Res>(
    call: grpc.ServerUnaryCall<Req, Res>,
    callback: grpc.sendUnaryData<Res>,
    handle: (peer: Peer) => Promise<Res>,
  ): void {
    let peer: Peer;
    try {
      peer = this.identify(call);
    } catch (err) {
      callback(toServiceError(err));
      return;
    }
    handle(peer).then(
      (res) => callback(null, res),
      (err: unknown) => {
        if (!(err instanceof TaskError)) {
          this.opts.log.error({ partner: peer.org, method: call.getPath(), err }, 'federation call failed');
        }
        callback(toServiceError(err));
      },
    );
  }

  /** Who is calling: decided by the verified client certificate alone. */
  private identify(call: Pick<grpc.ServerUnaryCall<unknown, unknown>, 'getAuthContext' | 'getPeer'>): Peer {
    const der = call.getAuthContext().sslPeerCertificate?.raw;
    try {
      const id = this.opts.trust().identifyPeer(der);
      return { org: id.org, serial: id.serial, fingerprint256: id.fingerprint256 };
    } catch (err) {
      this.opts.log.info({ remote: call.getPeer(), err }, 'peer refused');
      throw new TaskError('peer_unauthenticated', `client certificate refused: ${(err as Error).message}`, {}, { cause: err });
    }
  }

  private deadlineOf(call: grpc.ServerUnaryCall<unknown, unknown>): number {
    const cap = Date.now() + this.opts.callTimeoutMs;
    const d = call.getDeadline();
    const ms = d instanceof Date ? d.getTime() : d;
    return Number.isFinite(ms) && ms > 0 ? Math.min(ms, cap) : cap;
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
