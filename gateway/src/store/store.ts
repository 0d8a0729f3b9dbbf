/** What a gateway keeps: its tasks (state, for idempotency) and every receipt statement. */

export type TaskRole = 'requester' | 'responder';
export type StoredTaskStatus = 'received' | 'running' | 'completed' | 'failed' | 'denied' | 'cancelled';

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

export type StatementKind = 'request' | 'result' | 'ack';

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
  readonly afterSeq?: number;
  readonly limit?: number;
}

export interface TaskFilter {
  readonly taskId?: string;
  readonly peerOrg?: string;
  readonly role?: TaskRole;
  readonly limit?: number;
}

export interface Store {
  getTask(role: TaskRole, peerOrg: string, taskId: string): TaskRecord | undefined;
  listTasks(filter?: TaskFilter): TaskRecord[];
  listStatements(filter?: StatementFilter): StatementRecord[];
  /** Upserts tasks and appends statements; resolves once they are durable (group commit). */
  write(batch: { tasks?: readonly TaskRecord[]; statements?: readonly StatementRecord[] }): Promise<void>;
  /**
   * Inserts a task unless (role, peer, id) exists, with its first statements, atomically and
   * durably; otherwise returns the existing task and writes nothing.
   */
  claimTask(
    task: TaskRecord,
    statements?: readonly StatementRecord[],
  ): Promise<{ created: true } | { created: false; existing: TaskRecord }>;
  close(): Promise<void>;
}
