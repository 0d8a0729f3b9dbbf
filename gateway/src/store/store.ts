/** What a gateway keeps: its tasks (state, for idempotency) and every receipt statement. */

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

export const STATEMENT_KINDS = ['request', 'result', 'ack'] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];

export interface StatementRecord {
  readonly taskId: string;
  readonly kind: StatementKind;
  readonly signerOrg: string;
  readonly peerOrg: string;
  readonly kid: string;
  readonly jws: string;
  readonly digest: string;
  readonly storedAt: number;
  /** Position in this gateway's append-only log. */
  readonly seq?: number;
}

export interface StatementFilter {
  readonly taskId?: string;
  readonly peerOrg?: string;
  readonly kind?: StatementKind;
  /** Only statements appended after this log position (for paging and tailing). */
  readonly afterSeq?: number;
  /** In log order; default 10000. */
  readonly limit?: number;
}

/** One group-committed write: tasks are upserted, statements appended. */
export interface WriteBatch {
  readonly tasks?: readonly TaskRecord[];
  /** Idempotent on (taskId, kind, signerOrg, digest): the same statement twice is stored once. */
  readonly statements?: readonly StatementRecord[];
}

export type ClaimResult = { readonly created: true } | { readonly created: false; readonly existing: TaskRecord };

export interface TaskFilter {
  readonly taskId?: string;
  readonly peerOrg?: string;
  readonly role?: TaskRole;
  readonly status?: StoredTaskStatus;
  /** Newest first (by createdAt); default 1000. */
  readonly limit?: number;
}

export interface Store {
  getTask(role: TaskRole, peerOrg: string, taskId: string): TaskRecord | undefined;
  listTasks(filter?: TaskFilter): TaskRecord[];
  listStatements(filter?: StatementFilter): StatementRecord[];
  /**
   * Upserts tasks (a task's identity, salt and content digest never change; status, reason,
   * result and updatedAt do) and appends statements. Resolves once durable: writes of the
   * same moment share one transaction (group commit). Rejects if this write, or the commit,
   * failed; then none of this write is stored.
   */
  write(batch: WriteBatch): Promise<void>;
  /**
   * Inserts a task unless (role, peer, id) exists, with its first statements, atomically and
   * durably; otherwise returns the existing task and writes nothing.
   */
  claimTask(task: TaskRecord, statements?: readonly StatementRecord[]): Promise<ClaimResult>;
  /** Copies the write-ahead log into the database file now, without blocking writers. */
  checkpoint(): void;
  /** Commits what is queued, checkpoints, and closes; later writes reject with STORE_CLOSED. */
  close(): Promise<void>;
}
