import type { StatementRecord } from '../audit/index.js';

/**
 * What tasks/ needs of storage: its task records, written together with the statements they
 * produce. Declared here, implemented by the drivers under store/.
 */

export const TASK_ROLES = ['requester', 'responder'] as const;
export type TaskRole = (typeof TASK_ROLES)[number];
export const STORED_TASK_STATUSES = ['received', 'running', 'completed', 'failed', 'denied', 'cancelled'] as const;
export type StoredTaskStatus = (typeof STORED_TASK_STATUSES)[number];

export interface TaskRecord {
  readonly taskId: string;
  readonly role: TaskRole;
  readonly peerOrg: string;
  readonly capability: string;
  readonly purpose: string;
  /** Unsalted digest of the request content, to tell a retry from a conflicting reuse of the id. */
  readonly contentDigest: string;
  /** The per-task salt of the receipts' digests: kept locally, never in a statement. */
  readonly salt: string;
  readonly status: StoredTaskStatus;
  readonly reason?: string;
  /** The minimised result that left (or arrived), so a resubmission gets the same answer. */
  readonly resultJson?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface TaskFilter {
  readonly taskId?: string;
  readonly peerOrg?: string;
  readonly role?: TaskRole;
  readonly status?: StoredTaskStatus;
  /** Newest first (by createdAt, then task id); default 1000. */
  readonly limit?: number;
  /** Skip this many of the matching tasks (for paging). */
  readonly offset?: number;
}

/** One durable write: tasks are upserted, statements appended to the log, all or nothing. */
export interface WriteBatch {
  readonly tasks?: readonly TaskRecord[];
  readonly statements?: readonly StatementRecord[];
}

export type ClaimResult = { readonly created: true } | { readonly created: false; readonly existing: TaskRecord };

export interface TaskStore {
  getTask(role: TaskRole, peerOrg: string, taskId: string): Promise<TaskRecord | undefined>;
  listTasks(filter?: TaskFilter): Promise<TaskRecord[]>;
  /**
   * Upserts tasks (a task's identity, salt and content digest never change; status, reason,
   * result and updatedAt do) and appends statements, in one transaction. Resolves once
   * durable; rejects if it failed, and then none of it is stored.
   */
  write(batch: WriteBatch): Promise<void>;
  /**
   * Inserts a task unless (role, peer, id) exists, with its first statements, atomically and
   * durably; otherwise returns the existing task and writes nothing. Of two concurrent claims
   * (even from two processes sharing the store), exactly one creates.
   */
  claimTask(task: TaskRecord, statements?: readonly StatementRecord[]): Promise<ClaimResult>;
}
