import type { LogStore, StatementLog } from '../audit/index.js';
import type { DecisionLog } from '../policy/index.js';
import type { AckOutbox, TaskStore } from '../tasks/index.js';
import type { RunEventLog } from '../workflows/index.js';

/**
 * A storage driver: it implements the ports the domain folders declare (tasks/ports.ts,
 * audit/ports.ts, policy/ports.ts, workflows/ports.ts) over one database, so that a task's record,
 * its statements and the acks it owes a partner commit in one transaction.
 */
export interface Store extends TaskStore, AckOutbox, StatementLog, LogStore, RunEventLog, DecisionLog {
  /** Transactions committed (each one fsync) and writes they carried, since the store opened. */
  readonly commits: number;
  readonly writes: number;
  /**
   * The syncs that made those commits durable (one covers every commit before it began) and
   * the time they took, milliseconds: how long this disk keeps a writer waiting.
   */
  readonly syncs: number;
  readonly syncMs: number;
  /** Copies the write-ahead log into the database file now, without blocking writers. */
  checkpoint(): void;
  /** Commits what is queued, checkpoints, and closes; later writes reject with STORE_CLOSED. */
  close(): Promise<void>;
}
