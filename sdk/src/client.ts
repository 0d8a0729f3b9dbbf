import { isIP } from 'node:net';
import { checkServerIdentity } from 'node:tls';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/control.js';
import type { ControlClient } from './generated/entente/control/v1/Control.js';
import type { CallResponse__Output } from './generated/entente/control/v1/CallResponse.js';
import type { TaskSummary__Output } from './generated/entente/control/v1/TaskSummary.js';
import type { Status__Output } from './generated/entente/control/v1/Status.js';
import type { TaskReceipts__Output } from './generated/entente/control/v1/TaskReceipts.js';
import type { Run__Output } from './generated/entente/control/v1/Run.js';

/** Where the gateway's control API listens: its Unix socket, or a TCP address with mutual TLS. */
export type ControlTarget =
  | { readonly socket: string }
  | {
      readonly address: string;
      /** PEM text: the organization's CA, and a client certificate and key from `entente certs issue-client`. */
      readonly ca: string;
      readonly cert: string;
      readonly key: string;
      /** The name the gateway's certificate carries, when `address` is not one of them (e.g. `localhost`). */
      readonly serverName?: string;
    };

export type TaskStatus = 'running' | 'completed' | 'failed' | 'denied' | 'cancelled';

export interface CallRequest {
  readonly partner: string;
  readonly capability: string;
  readonly purpose: string;
  readonly input: unknown;
  /** Reuse to retry idempotently; the gateway picks a UUID when absent. */
  readonly taskId?: string;
  /** For the whole call; the gateway's limits.callTimeout when absent. */
  readonly timeoutMs?: number;
}

export interface CallOutcome {
  readonly taskId: string;
  readonly partner: string;
  readonly capability: string;
  readonly status: TaskStatus;
  /** The result the partner's disclosure policy let leave (completed only). */
  readonly result?: unknown;
  /** Why it did not complete: a reason code (docs/errors.md) and its explanation. */
  readonly reason?: string;
  readonly message?: string;
  readonly policyReasons: readonly string[];
  readonly receipts: { readonly request?: string; readonly result?: string; readonly ack?: string };
}

export interface TaskSummary {
  readonly taskId: string;
  readonly role: 'requester' | 'responder';
  readonly partner: string;
  readonly capability: string;
  readonly purpose: string;
  readonly status: TaskStatus;
  readonly reason?: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** verified, verified_local_denial, incomplete or invalid. */
  readonly receipts: string;
}

export interface TaskFilter {
  readonly partner?: string;
  readonly role?: 'requester' | 'responder';
  readonly pageSize?: number;
}

export interface TaskReceipts {
  readonly task: TaskSummary;
  readonly statements: readonly {
    readonly kind: string;
    readonly signerOrg: string;
    readonly kid: string;
    readonly digest: string;
    readonly payload: unknown;
    readonly jws: string;
  }[];
  readonly verification: { readonly state: string; readonly problems: readonly string[] };
}

export interface GatewayStatus {
  readonly org: string;
  readonly version: string;
  readonly policyRevision: string;
  readonly federationAddress: string;
  readonly capabilities: readonly { readonly name: string; readonly description: string; readonly agent: string }[];
  readonly partners: readonly {
    readonly org: string;
    readonly address: string;
    readonly reachability: string;
    readonly lastSeenAt?: Date;
    readonly lastError?: string;
    readonly caExpiresAt?: Date;
    readonly certificateExpiresAt?: Date;
  }[];
  readonly certificateExpiresAt?: Date;
  readonly startedAt?: Date;
}

export interface RunView {
  readonly runId: string;
  readonly workflow: string;
  readonly status: 'running' | 'completed' | 'failed';
  readonly steps: readonly {
    readonly id: string;
    readonly status: string;
    readonly attempt: number;
    readonly taskId?: string;
    readonly output?: unknown;
    readonly reason?: string;
    readonly message?: string;
  }[];
  readonly output?: unknown;
  readonly reason?: string;
}

/** A refusal or failure of the control API: the gRPC status, the gateway's reason code, its message. */
export class ControlCallError extends Error {
  constructor(
    readonly code: string,
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ControlCallError';
  }
}

export interface CallOptions {
  /** Milliseconds before the call is abandoned (the default depends on the method). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

const PROTO_ROOT = fileURLToPath(new URL('../../proto/', import.meta.url));
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A typed, promise-based client of a gateway's control API (`proto/entente/control/v1`).
 *
 * @example
 * const client = EntenteClient.connect({ socket: '/var/lib/entente/control.sock' });
 * const outcome = await client.call({ partner: 'hospital-b', capability: 'patients.count', purpose: 'research', input });
 * for await (const task of client.tasks({ partner: 'hospital-b' })) console.log(task.taskId, task.receipts);
 * client.close();
 */
export class EntenteClient {
  private constructor(private readonly client: ControlClient) {}

  static connect(target: ControlTarget): EntenteClient {
    const proto = grpc.loadPackageDefinition(
      protoLoader.loadSync('entente/control/v1/control.proto', {
        keepCase: true,
        longs: String,
        enums: String,
        defaults: true,
        oneofs: true,
        includeDirs: [PROTO_ROOT],
      }),
    ) as unknown as ProtoGrpcType;
    const Ctor = proto.entente.control.v1.Control;
    if ('socket' in target) return new EntenteClient(new Ctor(`unix:${target.socket}`, grpc.credentials.createInsecure()));
    // TLS must not carry an IP address as the server name (RFC 6066, Node's DEP0123): for an IP
    // address, SNI gets a name that matches nothing and the certificate is checked against the IP.
    const host = target.address.slice(0, target.address.lastIndexOf(':')).replace(/^\[(.*)\]$/, '$1');
    const byIp = target.serverName === undefined && isIP(host) !== 0;
    const creds = grpc.credentials.createSsl(
      Buffer.from(target.ca),
      Buffer.from(target.key),
      Buffer.from(target.cert),
      byIp ? { checkServerIdentity: (_name, cert) => checkServerIdentity(host, cert) } : {},
    );
    const serverName = target.serverName ?? (byIp ? 'gateway.invalid' : undefined);
    const options = serverName !== undefined ? { 'grpc.ssl_target_name_override': serverName } : {};
    return new EntenteClient(new Ctor(target.address, creds, options));
  }

  /** Calls a capability at a partner through the gateway; a partner's denial is an outcome, not an error. */
  async call(req: CallRequest, opts: CallOptions = {}): Promise<CallOutcome> {
    const timeoutMs = opts.timeoutMs ?? (req.timeoutMs ?? DEFAULT_TIMEOUT_MS) + 5_000;
    const r = await this.unary<CallResponse__Output>(timeoutMs, opts.signal, (meta, o, cb) =>
      this.client.Call(
        {
          partner: req.partner,
          capability: req.capability,
          purpose: req.purpose,
          input_json: JSON.stringify(req.input),
          task_id: req.taskId ?? '',
          timeout_ms: req.timeoutMs ?? 0,
        },
        meta,
        o,
        cb,
      ),
    );
    return {
      taskId: r.task_id,
      partner: r.partner,
      capability: r.capability,
      status: statusOf(r.status),
      ...(r.result_json !== '' ? { result: JSON.parse(r.result_json) as unknown } : {}),
      ...(r.reason !== '' ? { reason: r.reason } : {}),
      ...(r.message !== '' ? { message: r.message } : {}),
      policyReasons: r.policy_reasons,
      receipts: {
        ...(r.receipts?.request ? { request: r.receipts.request } : {}),
        ...(r.receipts?.result ? { result: r.receipts.result } : {}),
        ...(r.receipts?.ack ? { ack: r.receipts.ack } : {}),
      },
    };
  }

  /** One page of tasks, newest first. */
  async listTasks(filter: TaskFilter & { readonly pageToken?: string } = {}, opts: CallOptions = {}): Promise<{ tasks: TaskSummary[]; nextPageToken?: string }> {
    const r = await this.unary<{ tasks: TaskSummary__Output[]; next_page_token: string }>(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.signal, (meta, o, cb) =>
      this.client.ListTasks(
        {
          partner: filter.partner ?? '',
          role: filter.role === 'requester' ? 'ROLE_REQUESTER' : filter.role === 'responder' ? 'ROLE_RESPONDER' : 'ROLE_UNSPECIFIED',
          page_size: filter.pageSize ?? 0,
          page_token: filter.pageToken ?? '',
        },
        meta,
        o,
        cb,
      ),
    );
    return { tasks: r.tasks.map(taskOf), ...(r.next_page_token !== '' ? { nextPageToken: r.next_page_token } : {}) };
  }

  /** Every task matching `filter`, newest first, fetched page by page as the iteration goes. */
  async *tasks(filter: TaskFilter = {}, opts: CallOptions = {}): AsyncGenerator<TaskSummary> {
    let pageToken: string | undefined;
    do {
      const page = await this.listTasks({ ...filter, ...(pageToken !== undefined ? { pageToken } : {}) }, opts);
      yield* page.tasks;
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined);
  }

  /** A task's statements as the gateway holds them, with their verification. */
  async receipts(taskId: string, partner?: string, opts: CallOptions = {}): Promise<TaskReceipts[]> {
    const r = await this.unary<{ tasks: TaskReceipts__Output[] }>(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.signal, (meta, o, cb) =>
      this.client.GetReceipts({ task_id: taskId, partner: partner ?? '' }, meta, o, cb),
    );
    return r.tasks.map((t) => ({
      task: taskOf(t.task!),
      statements: t.statements.map((s) => ({
        kind: s.kind,
        signerOrg: s.signer_org,
        kid: s.kid,
        digest: s.digest,
        payload: JSON.parse(s.payload_json) as unknown,
        jws: s.jws,
      })),
      verification: { state: t.verification?.state ?? '', problems: t.verification?.problems ?? [] },
    }));
  }

  async status(opts: CallOptions = {}): Promise<GatewayStatus> {
    const s = await this.unary<Status__Output>(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.signal, (meta, o, cb) =>
      this.client.GetStatus({}, meta, o, cb),
    );
    return {
      org: s.org,
      version: s.version,
      policyRevision: s.policy_revision,
      federationAddress: s.federation_address,
      capabilities: s.capabilities.map((c) => ({ name: c.name, description: c.description, agent: c.agent })),
      partners: s.partners.map((p) => ({
        org: p.org,
        address: p.address,
        reachability: p.reachability,
        ...dateField('lastSeenAt', p.last_seen_at),
        ...(p.last_error !== '' ? { lastError: p.last_error } : {}),
        ...dateField('caExpiresAt', p.ca_expires_at),
        ...dateField('certificateExpiresAt', p.certificate_expires_at),
      })),
      ...dateField('certificateExpiresAt', s.certificate_expires_at),
      ...dateField('startedAt', s.started_at),
    };
  }

  /** Starts a run of a workflow (YAML or JSON text); its definition is checked first and refused with every problem listed. */
  async startRun(workflow: string, input: unknown, opts: CallOptions = {}): Promise<RunView> {
    const r = await this.unary<Run__Output>(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.signal, (meta, o, cb) =>
      this.client.StartRun({ workflow, input_json: JSON.stringify(input ?? {}) }, meta, o, cb),
    );
    return runOf(r);
  }

  /** A run's state; with `wait`, once it has finished (give a timeout long enough for the run). */
  async getRun(runId: string, opts: CallOptions & { readonly wait?: boolean } = {}): Promise<RunView> {
    const r = await this.unary<Run__Output>(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.signal, (meta, o, cb) =>
      this.client.GetRun({ run_id: runId, wait: opts.wait ?? false }, meta, o, cb),
    );
    return runOf(r);
  }

  close(): void {
    this.client.close();
  }

  private unary<T>(
    timeoutMs: number,
    signal: AbortSignal | undefined,
    invoke: (meta: grpc.Metadata, options: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: T) => void) => grpc.ClientUnaryCall,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const call = invoke(new grpc.Metadata(), { deadline: new Date(Date.now() + timeoutMs) }, (err, res) => {
        signal?.removeEventListener('abort', cancel);
        if (err) reject(controlError(err));
        else resolve(res as T);
      });
      const cancel = (): void => call.cancel();
      signal?.addEventListener('abort', cancel, { once: true });
    });
  }
}

function runOf(r: Run__Output): RunView {
  const json = (text: string) => (text === '' ? {} : { value: JSON.parse(text) as unknown });
  return {
    runId: r.run_id,
    workflow: r.workflow,
    status: r.status as RunView['status'],
    steps: r.steps.map((s) => {
      const out = json(s.output_json);
      return {
        id: s.id,
        status: s.status,
        attempt: s.attempt,
        ...(s.task_id !== '' ? { taskId: s.task_id } : {}),
        ...('value' in out ? { output: out.value } : {}),
        ...(s.reason !== '' ? { reason: s.reason } : {}),
        ...(s.message !== '' ? { message: s.message } : {}),
      };
    }),
    ...(r.output_json !== '' ? { output: JSON.parse(r.output_json) as unknown } : {}),
    ...(r.reason !== '' ? { reason: r.reason } : {}),
  };
}

function controlError(err: grpc.ServiceError): ControlCallError {
  const reason = err.metadata?.get('entente-reason')[0];
  const code = grpc.status[err.code] ?? String(err.code);
  const why = typeof reason === 'string' ? reason : code;
  const prefix = `${why}: `;
  const message = err.details.startsWith(prefix) ? err.details.slice(prefix.length) : err.details;
  const hint = err.code === grpc.status.UNAVAILABLE && typeof reason !== 'string' ? ' (is the gateway running? start it with entente serve)' : '';
  return new ControlCallError(code, why, `${message}${hint}`, { cause: err });
}

function statusOf(s: string): TaskStatus {
  return s.replace('TASK_STATUS_', '').toLowerCase() as TaskStatus;
}

function taskOf(t: TaskSummary__Output): TaskSummary {
  return {
    taskId: t.task_id,
    role: t.role === 'ROLE_REQUESTER' ? 'requester' : 'responder',
    partner: t.partner,
    capability: t.capability,
    purpose: t.purpose,
    status: statusOf(t.status),
    ...(t.reason !== '' ? { reason: t.reason } : {}),
    createdAt: new Date(t.created_at),
    updatedAt: new Date(t.updated_at),
    receipts: t.receipts,
  };
}

function dateField<K extends string>(key: K, iso: string): { [P in K]?: Date } {
  return (iso === '' ? {} : { [key]: new Date(iso) }) as { [P in K]?: Date };
}
