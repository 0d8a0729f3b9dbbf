import Database from 'better-sqlite3';
import type { StatementFilter, StatementRecord, Store, TaskFilter, TaskRecord, TaskRole } from './store.js';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE tasks (
     role TEXT NOT NULL, peer_org TEXT NOT NULL, task_id TEXT NOT NULL,
     capability TEXT NOT NULL, purpose TEXT NOT NULL, content_digest TEXT NOT NULL, salt TEXT NOT NULL,
     status TEXT NOT NULL, reason TEXT, result_json TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
     PRIMARY KEY (role, peer_org, task_id));
   CREATE TABLE statements (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     task_id TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('request','result','ack')),
     signer_org TEXT NOT NULL, peer_org TEXT NOT NULL, kid TEXT NOT NULL,
     jws TEXT NOT NULL, digest TEXT NOT NULL, stored_at INTEGER NOT NULL,
     UNIQUE (peer_org, task_id, kind, digest));
   CREATE INDEX statements_task ON statements (peer_org, task_id);
   -- The log is append-only: receipts are evidence.
   CREATE TRIGGER statements_no_update BEFORE UPDATE ON statements
     BEGIN SELECT RAISE(ABORT, 'statements are append-only'); END;
   CREATE TRIGGER statements_no_delete BEFORE DELETE ON statements
     BEGIN SELECT RAISE(ABORT, 'statements are append-only'); END;`,
];

interface Pending {
  readonly run: () => void;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

export interface SqliteStoreOptions {
  /** How long a write may wait for others to share its transaction; 0 = same event-loop turn. */
  readonly groupCommitMs?: number;
  /** Interval of the deliberate (passive) WAL checkpoint, off the hot path. */
  readonly checkpointMs?: number;
}

/**
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL. Writes are group
 * committed: everything queued in the same event-loop turn shares one transaction and
 * every caller is answered after its COMMIT, so durability does not cost a fsync per call.
 * Automatic checkpoints are off (they stalled appends); a timer checkpoints passively.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  /** Transactions committed so far (for tests and metrics). */
  commits = 0;

  private readonly stmts;

  constructor(file: string, private readonly opts: SqliteStoreOptions = {}) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('wal_autocheckpoint = 0');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    this.stmts = {
      upsertTask: this.db.prepare(
        `INSERT INTO tasks (role, peer_org, task_id, capability, purpose, content_digest, salt, status, reason, result_json, created_at, updated_at)
         VALUES (@role, @peerOrg, @taskId, @capability, @purpose, @contentDigest, @salt, @status, @reason, @resultJson, @createdAt, @updatedAt)
         ON CONFLICT (role, peer_org, task_id) DO UPDATE SET status = excluded.status, reason = excluded.reason,
           result_json = excluded.result_json, updated_at = excluded.updated_at`,
      ),
      insertTask: this.db.prepare(
        `INSERT OR IGNORE INTO tasks (role, peer_org, task_id, capability, purpose, content_digest, salt, status, reason, result_json, created_at, updated_at)
         VALUES (@role, @peerOrg, @taskId, @capability, @purpose, @contentDigest, @salt, @status, @reason, @resultJson, @createdAt, @updatedAt)`,
      ),
      appendStatement: this.db.prepare(
        `INSERT OR IGNORE INTO statements (task_id, kind, signer_org, peer_org, kid, jws, digest, stored_at)
         VALUES (@taskId, @kind, @signerOrg, @peerOrg, @kid, @jws, @digest, @storedAt)`,
      ),
      getTask: this.db.prepare(`SELECT * FROM tasks WHERE role = ? AND peer_org = ? AND task_id = ?`),
    };
    this.timer = setInterval(() => this.checkpoint(), opts.checkpointMs ?? 5000);
    this.timer.unref();
  }

  getTask(role: TaskRole, peerOrg: string, taskId: string): TaskRecord | undefined {
    const row = this.stmts.getTask.get(role, peerOrg, taskId) as TaskRow | undefined;
    return row === undefined ? undefined : toTask(row);
  }

  listTasks(filter: TaskFilter = {}): TaskRecord[] {
    const { where, args } = conditions([
      ['task_id = ?', filter.taskId],
      ['peer_org = ?', filter.peerOrg],
      ['role = ?', filter.role],
    ]);
    const sql = `SELECT * FROM tasks ${where} ORDER BY created_at DESC, task_id LIMIT ?`;
    return (this.prepared(sql).all(...args, filter.limit ?? 1000) as TaskRow[]).map(toTask);
  }

  listStatements(filter: StatementFilter = {}): StatementRecord[] {
    const { where, args } = conditions([
      ['task_id = ?', filter.taskId],
      ['peer_org = ?', filter.peerOrg],
      ['kind = ?', filter.kind],
      ['seq > ?', filter.afterSeq],
    ]);
    const sql = `SELECT * FROM statements ${where} ORDER BY seq LIMIT ?`;
    return (this.prepared(sql).all(...args, filter.limit ?? 10_000) as StatementRow[]).map(toStatement);
  }

  write(batch: { tasks?: readonly TaskRecord[]; statements?: readonly StatementRecord[] }): Promise<void> {
    return this.enqueue(() => {
      for (const t of batch.tasks ?? []) this.stmts.upsertTask.run(taskParams(t));
      for (const s of batch.statements ?? []) this.stmts.appendStatement.run(s);
    });
  }

  async claimTask(
    task: TaskRecord,
    statements: readonly StatementRecord[] = [],
  ): Promise<{ created: true } | { created: false; existing: TaskRecord }> {
    let existing: TaskRecord | undefined;
    await this.enqueue(() => {
      // Decided inside the transaction, so two concurrent claims cannot both create.
      const inserted = this.stmts.insertTask.run(taskParams(task)).changes === 1;
      if (!inserted) {
        existing = this.getTask(task.role, task.peerOrg, task.taskId);
        return;
      }
      for (const s of statements) this.stmts.appendStatement.run(s);
    });
    return existing === undefined ? { created: true } : { created: false, existing };
  }

  /** Statements by SQL text: filters combine into a handful of shapes, each prepared once. */
  private readonly cache = new Map<string, Database.Statement>();
  private prepared(sql: string): Database.Statement {
    let stmt = this.cache.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      this.cache.set(sql, stmt);
    }
    return stmt;
  }

  checkpoint(): void {
    if (!this.closed) this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    clearInterval(this.timer);
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }

  private enqueue(run: () => void): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ run, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        const ms = this.opts.groupCommitMs ?? 0;
        if (ms > 0) setTimeout(() => this.commit(), ms);
        else setImmediate(() => this.commit());
      }
    });
  }

  /**
   * Runs every queued write in one transaction. If the batch fails, each write is retried
   * alone so that one bad write does not fail its neighbours.
   */
  private commit(): void {
    const batch = this.queue;
    this.queue = [];
    this.scheduled = false;
    if (batch.length === 0) return;
    try {
      this.db.transaction(() => {
        for (const p of batch) p.run();
      })();
      this.commits++;
      for (const p of batch) p.resolve();
    } catch {
      for (const p of batch) {
        try {
          this.db.transaction(p.run)();
          this.commits++;
          p.resolve();
        } catch (err) {
          p.reject(err);
        }
      }
    }
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0 || this.scheduled) await new Promise((r) => setImmediate(r));
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const row = this.db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
    const current = row?.version ?? 0;
    if (current > MIGRATIONS.length) {
      throw new Error(`the store was written by a newer Entente (schema ${current}, this one knows ${MIGRATIONS.length})`);
    }
    this.db.transaction(() => {
      for (let v = current; v < MIGRATIONS.length; v++) this.db.exec(MIGRATIONS[v]!);
      this.db.prepare('DELETE FROM schema_version').run();
      this.db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(MIGRATIONS.length);
    })();
  }
}

interface TaskRow {
  role: TaskRole;
  peer_org: string;
  task_id: string;
  capability: string;
  purpose: string;
  content_digest: string;
  salt: string;
  status: TaskRecord['status'];
  reason: string | null;
  result_json: string | null;
  created_at: number;
  updated_at: number;
}

interface StatementRow {
  seq: number;
  task_id: string;
  kind: StatementRecord['kind'];
  signer_org: string;
  peer_org: string;
  kid: string;
  jws: string;
  digest: string;
  stored_at: number;
}

/** A WHERE clause from the filter fields that are set; unset ones do not constrain. */
function conditions(fields: readonly (readonly [string, string | number | undefined])[]): { where: string; args: unknown[] } {
  const set = fields.filter(([, v]) => v !== undefined);
  return { where: set.length ? 'WHERE ' + set.map(([c]) => c).join(' AND ') : '', args: set.map(([, v]) => v) };
}

function taskParams(t: TaskRecord) {
  return { ...t, reason: t.reason ?? null, resultJson: t.resultJson ?? null };
}

function toTask(r: TaskRow): TaskRecord {
  return {
    taskId: r.task_id,
    role: r.role,
    peerOrg: r.peer_org,
    capability: r.capability,
    purpose: r.purpose,
    contentDigest: r.content_digest,
    salt: r.salt,
    status: r.status,
    ...(r.reason !== null ? { reason: r.reason } : {}),
    ...(r.result_json !== null ? { resultJson: r.result_json } : {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toStatement(r: StatementRow): StatementRecord {
  return {
    seq: r.seq,
    taskId: r.task_id,
    kind: r.kind,
    signerOrg: r.signer_org,
    peerOrg: r.peer_org,
    kid: r.kid,
    jws: r.jws,
    digest: r.digest,
    storedAt: r.stored_at,
  };
}

export function openSqliteStore(file: string, opts?: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(file, opts);
}
