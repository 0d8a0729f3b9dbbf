import type Database from 'better-sqlite3';
import { EntenteError } from '../../lib/index.js';
import { StoreWriteFailedError } from '../errors.js';
import type { WalSync } from './wal-sync.js';

interface Job {
  readonly run: () => void;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

export interface GroupCommitOptions {
  /** How long the first queued write waits for company; 0 = until the current event-loop turn ends. */
  readonly windowMs?: number;
  /** A batch this large commits at the next turn without waiting out the window. */
  readonly maxBatch?: number;
  /** How long a deferred write waits for a submitted one to share its transaction (default 100 ms). */
  readonly deferMs?: number;
  /** Told what happens inside each transaction (see TransactionHooks). */
  readonly hooks?: TransactionHooks;
}

/**
 * What a transaction did, for a store that keeps something of it in memory: each write inside
 * it starts, and is either kept or rolled back to its savepoint; then the whole transaction is
 * about to commit (still inside it, holding the write lock), and commits (not yet durable) or
 * is rolled back.
 */
export interface TransactionHooks {
  readonly writeStarted: () => void;
  readonly writeRolledBack: () => void;
  readonly committing: () => void;
  readonly committed: () => void;
  readonly rolledBack: () => void;
}

/**
 * Group commit: writes queued together run in ONE transaction, each inside its own savepoint,
 * and every promise is settled only after the COMMIT is durable (`wal`: an fdatasync of the
 * WAL on the thread pool, shared by the commits made while the previous one ran). A write
 * that throws is rolled back to its savepoint and rejected alone; if the transaction itself
 * fails (COMMIT, I/O, a full disk) or cannot be made durable, every write in it is rejected.
 */
export class GroupCommit {
  private queue: Job[] = [];
  private timer: { readonly cancel: () => void } | undefined;
  /** The timer was set by a deferred write: a submitted one brings the commit forward. */
  private deferred = false;
  private readonly windowMs: number;
  private readonly maxBatch: number;
  private readonly deferMs: number;
  private readonly hooks: TransactionHooks | undefined;
  private readonly sql;
  /** Transactions committed. */
  commits = 0;
  /** Writes committed (a batch of n counts n). */
  writes = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly wal: WalSync,
    opts: GroupCommitOptions = {},
  ) {
    this.windowMs = opts.windowMs ?? 0;
    this.maxBatch = opts.maxBatch ?? 2000;
    this.deferMs = opts.deferMs ?? 100;
    this.hooks = opts.hooks;
    this.sql = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT write'),
      release: db.prepare('RELEASE write'),
      rollbackTo: db.prepare('ROLLBACK TO write'),
    };
  }

  /** Queues `run` (synchronous SQL) for the next group commit; resolves once that COMMIT is durable. */
  submit(run: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ run, resolve, reject });
      if (this.queue.length === this.maxBatch) this.schedule(0);
      else if (this.timer === undefined || this.deferred) this.schedule(this.windowMs);
    });
  }

  /**
   * Queues `run` without hurrying a commit for it: it rides in the transaction of the next
   * submit() (or of writes already queued), and commits on its own only after `deferMs`. For
   * writes that must be durable but that nobody waits for (decision records): they cost no
   * fsync of their own while the store is busy, and at most one per `deferMs` when it is idle.
   */
  defer(run: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ run, resolve, reject });
      if (this.queue.length === this.maxBatch) this.schedule(0);
      else if (this.timer === undefined) {
        this.schedule(this.deferMs);
        this.deferred = true;
      }
    });
  }

  /** Commits everything queued, now (used on close). */
  flush(): void {
    this.cancel();
    while (this.queue.length > 0) this.commit();
  }

  private schedule(ms: number): void {
    this.cancel();
    if (ms > 0) {
      const t = setTimeout(() => this.run(), ms);
      this.timer = { cancel: () => clearTimeout(t) };
    } else {
      const i = setImmediate(() => this.run());
      this.timer = { cancel: () => clearImmediate(i) };
    }
  }

  private cancel(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.deferred = false;
  }

  private run(): void {
    this.timer = undefined;
    this.deferred = false;
    this.commit();
    // What is left over has already waited its window.
    if (this.queue.length > 0) this.schedule(0);
  }

  private commit(): void {
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    const failed = new Map<Job, unknown>();
    if (this.wal.failure !== undefined) {
      for (const job of batch) job.reject(this.wal.failure);
      return;
    }
    try {
      this.sql.begin.run();
      for (const job of batch) {
        this.sql.savepoint.run();
        this.hooks?.writeStarted();
        try {
          job.run();
          this.sql.release.run();
        } catch (err) {
          // Some errors (I/O, full disk) end the whole transaction; then the batch is lost.
          if (!this.db.inTransaction) throw err;
          this.sql.rollbackTo.run();
          this.sql.release.run();
          this.hooks?.writeRolledBack();
          failed.set(job, err);
        }
      }
      this.hooks?.committing();
      this.sql.commit.run();
    } catch (err) {
      this.hooks?.rolledBack();
      try {
        if (this.db.inTransaction) this.sql.rollback.run();
      } catch {
        // The connection is beyond repair; the next BEGIN fails and rejects its writes, visibly.
      }
      const failure = new StoreWriteFailedError(`the store could not commit ${batch.length} write(s): ${(err as Error).message}`, { cause: err });
      for (const job of batch) job.reject(failure);
      return;
    }
    // Only once COMMIT has returned: nothing a hook does can turn a commit into a failure.
    this.hooks?.committed();
    this.commits++;
    this.writes += batch.length - failed.size;
    const committed = batch.filter((job) => !failed.has(job));
    this.wal.durable(this.wal.committed()).then(
      () => {
        for (const job of committed) job.resolve();
      },
      (err: unknown) => {
        for (const job of committed) job.reject(err);
      },
    );
    for (const [job, err] of failed) {
      // A coded refusal from the write itself (e.g. a run's events written by someone else) is
      // the caller's to handle as it is; anything else SQLite refused is a failed write.
      job.reject(err instanceof EntenteError ? err : new StoreWriteFailedError(`the store refused a write: ${(err as Error | undefined)?.message ?? String(err)}`, { cause: err }));
    }
  }
}
