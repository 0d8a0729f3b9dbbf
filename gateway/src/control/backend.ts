import type { CallOptions, CallResult, TaskFilter, TaskReceipts, TaskRecord } from '../tasks/index.js';
import type { ApprovalDecision, PendingApproval, RunEvent, RunFilter, RunState, RunSummary } from '../workflows/index.js';

export interface PartnerState {
  readonly org: string;
  readonly address: string;
  readonly reachability: 'reachable' | 'unreachable' | 'unknown';
  readonly lastSeenAt?: Date;
  readonly lastError?: string;
  readonly caExpiresAt: Date;
  readonly certificateExpiresAt?: Date;
  /** Until when workflow steps skip it (its circuit is open). */
  readonly circuitOpenUntil?: Date;
}

/** The audit log as `entente status` shows it (Gateway.logStatus). */
export interface AuditLogState {
  readonly origin: string;
  readonly logKey: string;
  readonly size: number;
  readonly checkpoint: string;
  readonly cosignedBy: Readonly<Record<string, number>>;
  readonly witnessed: readonly { readonly partner: string; readonly size: number; readonly verifiedAt: Date }[];
  readonly alarms: readonly { readonly partner: string; readonly at: Date; readonly code: string; readonly message: string }[];
  readonly alarmCount: number;
}

export interface GatewayStatus {
  readonly org: string;
  readonly version: string;
  readonly policyRevision: string;
  readonly federationAddress: string;
  readonly capabilities: readonly { readonly name: string; readonly description: string; readonly agent: string }[];
  readonly partners: readonly PartnerState[];
  readonly certificateExpiresAt: Date;
  readonly startedAt: Date;
  readonly process: ProcessCounters;
}

/** What the process has spent since it started (see Status.process). */
export interface ProcessCounters {
  readonly cpuUserUs: number;
  readonly cpuSystemUs: number;
  readonly eventLoopActiveMs: number;
  readonly eventLoopIdleMs: number;
  readonly storeCommits: number;
  readonly storeWrites: number;
  readonly storeSyncs: number;
  readonly storeSyncMs: number;
  readonly signatures: number;
  readonly statementsSigned: number;
}

/** What the control API asks of the gateway it serves. */
export interface ControlBackend {
  call(opts: CallOptions): Promise<CallResult>;
  listTasks(filter: TaskFilter): Promise<readonly TaskRecord[]>;
  receipts(taskId: string, peerOrg?: string): Promise<readonly TaskReceipts[]>;
  status(): GatewayStatus;
  logStatus(): Promise<AuditLogState>;
  /** An audit bundle (a JSON document, docs/audit.md): the selected tasks, or all. */
  exportAudit(selection: { readonly since?: Date; readonly until?: Date; readonly partner?: string }): Promise<object>;
  /** Starts a run of a workflow given as YAML or JSON text; resolves with its id once durable. */
  startRunFromText(workflow: string, input: unknown): Promise<string>;
  /** A run's state (once finished, with `wait`); undefined for a run this gateway does not hold. */
  getRun(runId: string, wait: boolean): Promise<RunState | undefined>;
  listRuns(filter: RunFilter): Promise<readonly RunSummary[]>;
  /**
   * A run's events from position `from` on, as they are appended, each with the run's state
   * after it; ends after run_finished, or when `signal` aborts. Undefined for an unknown run.
   */
  watchRun(runId: string, from: number, signal: AbortSignal): Promise<AsyncIterable<{ readonly seq: number; readonly event: RunEvent; readonly state: RunState }> | undefined>;
  /** Asks a run to stop: in-flight steps are cancelled (at partners too), completed ones compensated. */
  cancelRun(runId: string, by: string, reason: string): Promise<RunState | undefined>;
  /** Decisions waiting for a person: approval steps, escalations, and partners' requests our policy holds for approval. */
  listApprovals(filter: { readonly runId?: string }): Promise<readonly PendingApproval[]>;
  /**
   * Records a person's decision (who: the caller's identity) and lets the run or task go on.
   * Refused when the approval is unknown or already decided, or the decision is not one it takes.
   */
  decideApproval(approvalId: string, decision: { readonly decision: ApprovalDecision; readonly by: string; readonly reason: string; readonly output?: unknown }): Promise<PendingApproval>;
}
