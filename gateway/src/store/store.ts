import type { LogStore, StatementLog } from '../audit/index.js';
import type { DecisionLog } from '../policy/index.js';
import type { TaskStore } from '../tasks/index.js';
import type { RunEventLog } from '../workflows/index.js';

/**
 * A storage driver: it implements the ports the domain folders declare (tasks/ports.ts,
 * audit/ports.ts, policy/ports.ts; later workflows' run events and the acks' outbox) over one database, so
 * that a task's record and its statements commit in one transaction.
 */
export interface Store extends TaskStore, StatementLog, LogStore, RunEventLog, DecisionLog {
  /** Copies the write-ahead log into the database file now, without blocking writers. */
  checkpoint(): void;
  /** Commits what is queued, checkpoints, and closes; later writes reject with STORE_CLOSED. */
  close(): Promise<void>;
}
