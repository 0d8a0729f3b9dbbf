import { isIP } from 'node:net';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../observability/index.js';
import type { TrustStore } from '../pki/index.js';
import { TaskError, type PartnerTransport, type TaskView } from '../tasks/index.js';
import type { FederationClient } from '../generated/entente/federation/v1/Federation.js';
import type { Card__Output } from '../generated/entente/federation/v1/Card.js';
import type { Task__Output } from '../generated/entente/federation/v1/Task.js';
import { federationProto, Semaphore, splitHostPort } from '../lib/index.js';
import { fromServiceError, MD_REASON } from './status.js';

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
}

const MESSAGE_OVERHEAD = 64 * 1024;

/**
 * Long-lived mutual-TLS channels to partners, one per partner (a new TLS connection costs
 * milliseconds; a call on an open one, microseconds). A partner's server certificate must
 * identify that partner by the same rules as incoming peers, whatever the address says.
 */
export class FederationClients implements PartnerTransport {
  private readonly clients = new Map<string, { client: FederationClient; slots: Semaphore; endpoint: PartnerEndpoint; caPem: string }>();
  /** What each partner's last answer (or silence) says about reaching it, for the gateway's status. */
  private readonly seen = new Map<string, { lastSeenAt?: Date; lastError?: string; certificateExpiresAt?: Date }>();

  constructor(private readonly opts: FederationClientsOptions) {
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
    const task = await this.unary<Task__Output>(partner, deadline, (c, d, cb) =>
      c.SubmitTask(
        {
          task_id: req.taskId,
          capability: req.capability,
          purpose: req.purpose,
          input: req.inputBytes,
          salt: req.salt,
          request_statement: req.requestStatement,
        },
        { deadline: d },
        cb,
      ),
    );
    return fromTask(task);
  }

  async acknowledge(partner: string, taskId: string, ackStatement: string, deadline: number): Promise<void> {
    await this.unary(partner, deadline, (c, d, cb) => c.Acknowledge({ task_id: taskId, ack_statement: ackStatement }, { deadline: d }, cb));
  }

  async getTask(partner: string, taskId: string, deadline: number): Promise<TaskView> {
    return fromTask(await this.unary<Task__Output>(partner, deadline, (c, d, cb) => c.GetTask({ task_id: taskId }, { deadline: d }, cb)));
  }

  async cancelTask(partner: string, taskId: string, deadline: number): Promise<TaskView> {
    return fromTask(await this.unary<Task__Output>(partner, deadline, (c, d, cb) => c.CancelTask({ task_id: taskId }, { deadline: d }, cb)));
  }

  /** Every state the partner reports for the task until it is final (or the deadline). */
  async watchTask(partner: string, taskId: string, deadline: number, onUpdate?: (view: TaskView) => void): Promise<TaskView[]> {
    const entry = this.clients.get(partner);
    if (entry === undefined) throw new TaskError('partner_unknown', `no partner named ${JSON.stringify(partner)}`);
    const stream = entry.client.WatchTask({ task_id: taskId }, { deadline: new Date(deadline) });
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
    return this.unary<Card__Output>(partner, deadline, (c, d, cb) => c.GetCard({}, { deadline: d }, cb));
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
    for (const { client } of this.clients.values()) client.close();
  }

  private async unary<T>(
    partner: string,
    deadline: number,
    invoke: (client: FederationClient, deadline: Date, cb: (err: grpc.ServiceError | null, res?: T) => void) => void,
  ): Promise<T> {
    const entry = this.clients.get(partner);
    if (entry === undefined) throw new TaskError('partner_unknown', `no partner named ${JSON.stringify(partner)}`);
    await entry.slots.acquire();
    try {
      return await new Promise<T>((resolve, reject) => {
        invoke(entry.client, new Date(deadline), (err, res) => {
          this.observe(partner, err);
          if (err) reject(fromServiceError(err));
          else resolve(res as T);
        });
      });
    } finally {
      entry.slots.release();
    }
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
