import type { ReceiptVerification } from '../receipts.js';
import type { StatementRecord, TaskFilter, TaskRecord } from '../store/index.js';
import type { CallOptions, CallResult } from '../tasks/index.js';

/** A task's statements as held here, each verified against its signer's keys. */
export interface TaskReceipts {
  readonly task: TaskRecord;
  readonly statements: readonly StatementRecord[];
  readonly verification: ReceiptVerification;
}

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
  listTasks(filter: TaskFilter & { readonly offset?: number }): Promise<readonly TaskRecord[]>;
  receipts(taskId: string, peerOrg?: string): Promise<readonly TaskReceipts[]>;
  status(): GatewayStatus;
}
