import type { CallOptions, CallResult, TaskFilter, TaskReceipts, TaskRecord } from '../tasks/index.js';
import type { RunState } from '../workflows/index.js';

export interface PartnerState {
  readonly org: string;
  readonly address: string;
  readonly reachability: 'reachable' | 'unreachable' | 'unknown';
  readonly lastSeenAt?: Date;
  readonly lastError?: string;
  readonly caExpiresAt: Date;
  readonly certificateExpiresAt?: Date;
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
}

/** What the control API asks of the gateway it serves. */
export interface ControlBackend {
  call(opts: CallOptions): Promise<CallResult>;
  listTasks(filter: TaskFilter): Promise<readonly TaskRecord[]>;
  receipts(taskId: string, peerOrg?: string): Promise<readonly TaskReceipts[]>;
  status(): GatewayStatus;
  /** Starts a run of a workflow given as YAML or JSON text; resolves with its id once durable. */
  startRunFromText(workflow: string, input: unknown): Promise<string>;
  /** A run's state (once finished, with `wait`); undefined for a run this gateway does not hold. */
  getRun(runId: string, wait: boolean): Promise<RunState | undefined>;
}
