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
import type { AuditChunk__Output } from './generated/entente/control/v1/AuditChunk.js';
import type { AuditLogStatus__Output } from './generated/entente/control/v1/AuditLogStatus.js';
import type { TaskReceipts__Output } from './generated/entente/control/v1/TaskReceipts.js';
import type { Run__Output } from './generated/entente/control/v1/Run.js';
import type { RunEvent__Output } from './generated/entente/control/v1/RunEvent.js';
import type { RunSummary__Output } from './generated/entente/control/v1/RunSummary.js';
import type { Approval__Output } from './generated/entente/control/v1/Approval.js';
import type { Decision__Output } from './generated/entente/control/v1/Decision.js';

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

/** awaiting_approval: the responder holds the task for a person; approved: a person let it run. */
export type TaskStatus = 'running' | 'awaiting_approval' | 'approved' | 'completed' | 'failed' | 'denied' | 'cancelled';

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
  /**
   * Where the task's ack stands. As requester: delivered, pending (stored, the gateway's outbox
   * retries it until the partner has it), failed (the partner refused it), missing (not final
   * yet) or none (our outbound policy refused the request). As responder: delivered or missing
   * (the requester has not acknowledged the result).
   */
  readonly ack: string;
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
    /** Its position in the gateway's audit log (the Merkle leaf index). */
    readonly logIndex: number;
  }[];
  readonly verification: { readonly state: string; readonly problems: readonly string[] };
  /** Where the ack stands (as TaskSummary.ack), with the outbox's record of its delivery (requester). */
  readonly ack: {
    readonly state: string;
    readonly attempts: number;
    /** When the next attempt is due, while pending. */
    readonly nextAttemptAt?: Date;
    /** Why the last attempt failed: a reason code and its message. */
    readonly lastError?: string;
    readonly deliveredAt?: Date;
    readonly failedAt?: Date;
  };
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
    /** Until when workflow steps skip it: its circuit opened after repeated failures to reach it. */
    readonly circuitOpenUntil?: Date;
  }[];
  readonly certificateExpiresAt?: Date;
  readonly startedAt?: Date;
  /** The gateway's audit log, and what it witnessed of its partners' logs. */
  readonly auditLog?: AuditLogView;
  /** What the gateway's process has spent since it started: read twice and compare. */
  readonly process?: {
    readonly cpuUserUs: number;
    readonly cpuSystemUs: number;
    readonly eventLoopActiveMs: number;
    readonly eventLoopIdleMs: number;
    readonly storeCommits: number;
    readonly storeWrites: number;
    /** fdatasyncs that made the commits durable, and the milliseconds they took. */
    readonly storeSyncs: number;
    readonly storeSyncMs: number;
    readonly signatures: number;
    /** Statements those signatures cover (more than one per signature when signed in batches). */
    readonly statementsSigned: number;
  };
}

export interface AuditLogView {
  readonly origin: string;
  /** The log's verifier key (C2SP vkey). */
  readonly logKey: string;
  readonly size: number;
  /** The latest checkpoint (a C2SP signed note). */
  readonly checkpoint: string;
  /** The largest of the gateway's checkpoints each partner cosigned. */
  readonly cosignedBy: Readonly<Record<string, number>>;
  readonly witnessed: readonly { readonly partner: string; readonly size: number; readonly verifiedAt?: Date }[];
  /** A partner's log contradicted what the gateway witnessed: investigate each. */
  readonly alarmCount: number;
  readonly alarms: readonly { readonly partner: string; readonly at?: Date; readonly code: string; readonly message: string }[];
}

/** What `exportAudit` selects: tasks with a statement stored in [since, until], with one partner. */
export interface AuditSelection {
  readonly since?: Date;
  readonly until?: Date;
  readonly partner?: string;
}

export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled';

/** One node of a run: a step of the definition, a foreach item (`counts[2]`), or a step of an accepted plan (`consult.cardiology`). */
export interface StepView {
  readonly id: string;
  /** The foreach step or plan step this node belongs to. */
  readonly parent?: string;
  /** pending, running, waiting, awaiting_approval, completed, failed, skipped or cancelled. */
  readonly status: string;
  readonly attempt: number;
  /** Where the current (or last) attempt runs: `local` or a partner's org id. */
  readonly provider?: string;
  /** The providers tried since the step (re)started, in order. */
  readonly tried: readonly string[];
  readonly taskId?: string;
  /** Of a foreach item: its position and value. */
  readonly item?: { readonly index: number; readonly value: unknown };
  readonly startedAt?: Date;
  readonly finishedAt?: Date;
  /** Answers that arrived after their attempt had ended: kept, not used. */
  readonly late: number;
  /** The open approval, while awaiting_approval: decide it with `approve`, `reject` or `decideApproval`. */
  readonly approvalId?: string;
  /** Undoing the step after the run failed or was cancelled. */
  readonly compensation?: { readonly status: string; readonly taskId?: string; readonly reason?: string };
  /** The last decision a person made about the step. */
  readonly decided?: DecisionView;
  readonly output?: unknown;
  readonly reason?: string;
  readonly message?: string;
}

export interface RunView {
  readonly runId: string;
  readonly workflow: string;
  readonly status: RunStatus;
  /** Every node, in the order the nodes came to exist. */
  readonly steps: readonly StepView[];
  readonly startedAt?: Date;
  readonly finishedAt?: Date;
  readonly output?: unknown;
  /** Why it failed or was cancelled. */
  readonly reason?: string;
  /** Steps that failed and were continued past: the output is partial. */
  readonly partial: readonly string[];
  /** The reason given when the run was asked to cancel. */
  readonly cancelReason?: string;
  /** The partner's task this run serves, when a partner's request started it (nested orchestration). */
  readonly parentTask?: { readonly org: string; readonly taskId: string };
}

export interface RunSummary {
  readonly runId: string;
  readonly workflow: string;
  readonly status: RunStatus;
  readonly startedAt: Date;
  /** When its last event was written. */
  readonly updatedAt: Date;
}

export interface RunFilter {
  readonly status?: RunStatus;
  readonly pageSize?: number;
}

/** One event of a watched run, as the gateway stored it: `type`, `at` (epoch ms), and the fields of that type. */
export interface RunEventView {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** What `watchRun` yields: an event, its position in the run's log, and the run's state after it. */
export interface RunUpdate {
  readonly seq: number;
  readonly event: RunEventView;
  readonly run: RunView;
}

export type ApprovalDecision = 'approve' | 'reject' | 'retry' | 'skip' | 'fail';

export interface DecisionView {
  readonly decision: ApprovalDecision;
  /** Who decided: a client certificate's name, `local` on the socket, or `timeout`. */
  readonly by: string;
  readonly reason: string;
  readonly decidedAt?: Date;
}

/** A decision waiting for a person (or, once decided, how it went). */
export interface ApprovalView {
  readonly approvalId: string;
  /** approval (an approval step), escalation (a failed step asks what to do), inbound (a partner's task our policy holds). */
  readonly kind: 'approval' | 'escalation' | 'inbound';
  readonly runId?: string;
  readonly workflow?: string;
  readonly step?: string;
  /** Of inbound: the partner's task. */
  readonly task?: { readonly taskId: string; readonly partner: string; readonly capability: string; readonly purpose: string };
  /** What to decide on: the step's mapped input, or the failure. */
  readonly details?: unknown;
  readonly requestedAt: Date;
  readonly expiresAt?: Date;
  /** The decisions it takes. */
  readonly decisions: readonly ApprovalDecision[];
  readonly decided?: DecisionView;
}

export interface DecideRequest {
  readonly decision: ApprovalDecision;
  /** Required: why; kept with the decision and who made it. */
  readonly reason: string;
  /** With `skip`: the output the skipped step gets. */
  readonly output?: unknown;
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
  tasks(filter: TaskFilter = {}, opts: CallOptions = {}): AsyncGenerator<TaskSummary> {
    return paged((token) => this.listTasks({ ...filter, ...token }, opts), (page) => page.tasks);
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
        logIndex: Number(s.log_index),
      })),
      verification: { state: t.verification?.state ?? '', problems: t.verification?.problems ?? [] },
      ack: {
        state: t.ack?.state ?? '',
        attempts: t.ack?.attempts ?? 0,
        ...dateField('nextAttemptAt', t.ack?.next_attempt_at ?? ''),
        ...(t.ack?.last_error ? { lastError: t.ack.last_error } : {}),
        ...dateField('deliveredAt', t.ack?.delivered_at ?? ''),
        ...dateField('failedAt', t.ack?.failed_at ?? ''),
      },
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
        ...dateField('circuitOpenUntil', p.circuit_open_until),
      })),
      ...dateField('certificateExpiresAt', s.certificate_expires_at),
      ...dateField('startedAt', s.started_at),
      ...(s.audit_log !== null && s.audit_log !== undefined ? { auditLog: auditLogOf(s.audit_log) } : {}),
      ...(s.process !== null && s.process !== undefined
        ? {
            process: {
              cpuUserUs: Number(s.process.cpu_user_us),
              cpuSystemUs: Number(s.process.cpu_system_us),
              eventLoopActiveMs: s.process.event_loop_active_ms,
              eventLoopIdleMs: s.process.event_loop_idle_ms,
              storeCommits: Number(s.process.store_commits),
              storeWrites: Number(s.process.store_writes),
              storeSyncs: Number(s.process.store_syncs),
              storeSyncMs: s.process.store_sync_ms,
              signatures: Number(s.process.signatures),
              statementsSigned: Number(s.process.statements_signed),
            },
          }
        : {}),
    };
  }

  /**
   * An audit bundle of the gateway's log (auditor or operator role): the JSON text that
   * `entente audit verify` checks offline. Give a timeout long enough for a large log.
   */
  async exportAudit(selection: AuditSelection = {}, opts: CallOptions = {}): Promise<string> {
    opts.signal?.throwIfAborted();
    const call = this.client.ExportAudit(
      { since: selection.since?.toISOString() ?? '', until: selection.until?.toISOString() ?? '', partner: selection.partner ?? '' },
      new grpc.Metadata(),
      { deadline: new Date(Date.now() + (opts.timeoutMs ?? 10 * 60_000)) },
    );
    const cancel = (): void => call.cancel();
    opts.signal?.addEventListener('abort', cancel, { once: true });
    const parts: Buffer[] = [];
    try {
      for await (const m of call as AsyncIterable<AuditChunk__Output>) parts.push(m.data);
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      throw controlError(err as grpc.ServiceError);
    } finally {
      opts.signal?.removeEventListener('abort', cancel);
    }
    return Buffer.concat(parts).toString('utf8');
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

  /** One page of runs, newest first. */
  async listRuns(filter: RunFilter & { readonly pageToken?: string } = {}, opts: CallOptions = {}): Promise<{ runs: RunSummary[]; nextPageToken?: string }> {
    const r = await this.unary<{ runs: RunSummary__Output[]; next_page_token: string }>(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.signal, (meta, o, cb) =>
      this.client.ListRuns({ status: filter.status ?? '', page_size: filter.pageSize ?? 0, page_token: filter.pageToken ?? '' }, meta, o, cb),
    );
    return {
      runs: r.runs.map((s) => ({ runId: s.run_id, workflow: s.workflow, status: s.status as RunStatus, startedAt: new Date(s.started_at), updatedAt: new Date(s.updated_at) })),
      ...(r.next_page_token !== '' ? { nextPageToken: r.next_page_token } : {}),
    };
  }

  /** Every run matching `filter`, newest first, fetched page by page as the iteration goes. */
  runs(filter: RunFilter = {}, opts: CallOptions = {}): AsyncGenerator<RunSummary> {
    return paged((token) => this.listRuns({ ...filter, ...token }, opts), (page) => page.runs);
  }

  /**
   * A run's events as they happen, each with the run's state after it, from position `from`
   * (0, the default, replays the run from its start; pass the last `seq` seen + 1 to resume).
   * Ends once the run has finished. Without `timeoutMs` it waits as long as the run takes;
   * `signal` stops the watch (not the run), rejecting with its reason like the other methods.
   *
   * @example
   * for await (const { event, run } of client.watchRun(runId)) console.log(event.type, run.status);
   */
  async *watchRun(runId: string, opts: CallOptions & { readonly from?: number } = {}): AsyncGenerator<RunUpdate> {
    opts.signal?.throwIfAborted();
    const call = this.client.WatchRun(
      { run_id: runId, from_seq: opts.from ?? 0 },
      new grpc.Metadata(),
      opts.timeoutMs !== undefined ? { deadline: new Date(Date.now() + opts.timeoutMs) } : {},
    );
    const cancel = (): void => call.cancel();
    opts.signal?.addEventListener('abort', cancel, { once: true });
    try {
      for await (const m of call as AsyncIterable<RunEvent__Output>) {
        yield { seq: m.seq, event: JSON.parse(m.event_json) as RunEventView, run: runOf(m.run!) };
      }
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      throw controlError(err as grpc.ServiceError);
    } finally {
      opts.signal?.removeEventListener('abort', cancel);
      // The consumer may stop before the run ends: the CANCELLED status that follows is ours, not an error.
      call.on('error', () => undefined);
      call.cancel();
    }
  }

  /**
   * Asks a run to stop: its steps in flight are cancelled, completed steps with a `compensate`
   * undone. Resolves with the run's state once the request is durable, usually still running.
   */
  async cancelRun(runId: string, reason: string, opts: CallOptions = {}): Promise<RunView> {
    const r = await this.unary<Run__Output>(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.signal, (meta, o, cb) =>
      this.client.CancelRun({ run_id: runId, reason }, meta, o, cb),
    );
    return runOf(r);
  }

  /** The decisions waiting for a person (approver or auditor role): of one run, or all of them. */
  async listApprovals(filter: { readonly runId?: string } = {}, opts: CallOptions = {}): Promise<ApprovalView[]> {
    const r = await this.unary<{ approvals: Approval__Output[] }>(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.signal, (meta, o, cb) =>
      this.client.ListApprovals({ run_id: filter.runId ?? '' }, meta, o, cb),
    );
    return r.approvals.map(approvalOf);
  }

  /**
   * Decides an approval (approver role); the gateway records the caller as the one who decided.
   * Resolves with the approval as decided.
   *
   * @example
   * await client.decideApproval(approvalId, { decision: 'skip', reason: 'counted by hand', output: { count: 0 } });
   */
  async decideApproval(approvalId: string, req: DecideRequest, opts: CallOptions = {}): Promise<ApprovalView> {
    const r = await this.unary<Approval__Output>(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.signal, (meta, o, cb) =>
      this.client.DecideApproval(
        { approval_id: approvalId, decision: req.decision, reason: req.reason, output_json: req.output === undefined ? '' : JSON.stringify(req.output) },
        meta,
        o,
        cb,
      ),
    );
    return approvalOf(r);
  }

  /** Approves an approval step (or a partner's task our policy holds). */
  approve(approvalId: string, reason: string, opts: CallOptions = {}): Promise<ApprovalView> {
    return this.decideApproval(approvalId, { decision: 'approve', reason }, opts);
  }

  /** Rejects an approval step: the step fails (or a partner's task our policy holds is denied). */
  reject(approvalId: string, reason: string, opts: CallOptions = {}): Promise<ApprovalView> {
    return this.decideApproval(approvalId, { decision: 'reject', reason }, opts);
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

/** Every item of a paged listing, fetching the next page as the iteration reaches it. */
async function* paged<P extends { readonly nextPageToken?: string }, T>(
  fetch: (token: { readonly pageToken?: string }) => Promise<P>,
  items: (page: P) => readonly T[],
): AsyncGenerator<T> {
  let pageToken: string | undefined;
  do {
    const page = await fetch(pageToken !== undefined ? { pageToken } : {});
    yield* items(page);
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
}

function runOf(r: Run__Output): RunView {
  return {
    runId: r.run_id,
    workflow: r.workflow,
    status: r.status as RunStatus,
    steps: r.steps.map((s) => ({
      id: s.id,
      ...(s.parent !== '' ? { parent: s.parent } : {}),
      status: s.status,
      attempt: s.attempt,
      ...(s.provider !== '' ? { provider: s.provider } : {}),
      tried: [...s.tried],
      ...(s.task_id !== '' ? { taskId: s.task_id } : {}),
      ...(s.item !== null ? { item: { index: s.item.index, value: jsonOf(s.item.value_json) } } : {}),
      ...dateField('startedAt', s.started_at),
      ...dateField('finishedAt', s.finished_at),
      late: s.late,
      ...(s.approval_id !== '' ? { approvalId: s.approval_id } : {}),
      ...(s.compensation !== null
        ? {
            compensation: {
              status: s.compensation.status,
              ...(s.compensation.task_id !== '' ? { taskId: s.compensation.task_id } : {}),
              ...(s.compensation.reason !== '' ? { reason: s.compensation.reason } : {}),
            },
          }
        : {}),
      ...(s.decided !== null ? { decided: decisionOf(s.decided) } : {}),
      ...jsonField('output', s.output_json),
      ...(s.reason !== '' ? { reason: s.reason } : {}),
      ...(s.message !== '' ? { message: s.message } : {}),
    })),
    ...dateField('startedAt', r.started_at),
    ...dateField('finishedAt', r.finished_at),
    ...jsonField('output', r.output_json),
    ...(r.reason !== '' ? { reason: r.reason } : {}),
    partial: r.partial,
    ...(r.cancel_reason !== '' ? { cancelReason: r.cancel_reason } : {}),
    ...(r.parent_org !== '' ? { parentTask: { org: r.parent_org, taskId: r.parent_task_id } } : {}),
  };
}

function approvalOf(a: Approval__Output): ApprovalView {
  return {
    approvalId: a.approval_id,
    kind: a.kind as ApprovalView['kind'],
    ...(a.run_id !== '' ? { runId: a.run_id } : {}),
    ...(a.workflow !== '' ? { workflow: a.workflow } : {}),
    ...(a.step !== '' ? { step: a.step } : {}),
    ...(a.task !== null ? { task: { taskId: a.task.task_id, partner: a.task.partner, capability: a.task.capability, purpose: a.task.purpose } } : {}),
    ...jsonField('details', a.details_json),
    requestedAt: new Date(a.requested_at),
    ...dateField('expiresAt', a.expires_at),
    decisions: a.decisions as ApprovalDecision[],
    ...(a.decided !== null ? { decided: decisionOf(a.decided) } : {}),
  };
}

function decisionOf(d: Decision__Output): DecisionView {
  return { decision: d.decision as ApprovalDecision, by: d.by, reason: d.reason, ...dateField('decidedAt', d.decided_at) };
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
    ack: t.ack,
  };
}

function dateField<K extends string>(key: K, iso: string): { [P in K]?: Date } {
  return (iso === '' ? {} : { [key]: new Date(iso) }) as { [P in K]?: Date };
}

/** The value of a `*_json` field: JSON text, where empty means none. */
function jsonOf(text: string): unknown {
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

function jsonField<K extends string>(key: K, text: string): { [P in K]?: unknown } {
  return (text === '' ? {} : { [key]: JSON.parse(text) as unknown }) as { [P in K]?: unknown };
}

function auditLogOf(a: AuditLogStatus__Output): AuditLogView {
  return {
    origin: a.origin,
    logKey: a.log_key,
    size: Number(a.size),
    checkpoint: a.checkpoint,
    cosignedBy: Object.fromEntries(Object.entries(a.cosigned_by).map(([k, v]) => [k, Number(v)])),
    witnessed: a.witnessed.map((w) => ({ partner: w.partner, size: Number(w.size), ...dateField('verifiedAt', w.verified_at) })),
    alarmCount: a.alarm_count,
    alarms: a.alarms.map((x) => ({ partner: x.partner, code: x.code, message: x.message, ...dateField('at', x.at) })),
  };
}
