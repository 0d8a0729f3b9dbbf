import Database from 'better-sqlite3';
import { leafHash, type CheckpointRecord, type LogAlarmRecord, type StatementFilter, type StatementKind, type StatementRecord, type WitnessedRecord } from '../../audit/index.js';
import type {
  AckAttempt,
  ClaimResult,
  DecideResult,
  InboundApprovalFilter,
  InboundApprovalRecord,
  InboundDecision,
  OutboxAck,
  PendingAckFilter,
  StoredTaskStatus,
  TaskFilter,
  TaskRecord,
  TaskRole,
  WriteBatch,
} from '../../tasks/index.js';
import { RunError, type RunEvent, type RunFilter, type RunSummary } from '../../workflows/index.js';
import type { DecisionRecord, PolicyContent, RetainedInput, StoredInput } from '../../policy/index.js';
import { StoreClosedError, StoreError, StoreInvalidRecordError, StoreOpenFailedError, StoreReadOnlyError } from '../errors.js';
import type { Store } from '../store.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import { AppendedLeaves } from './appended-leaves.js';
import { GroupCommit } from './group-commit.js';
import { NamedStatement } from './named.js';
import { WalSync, walFileSync, type SyncFn } from './wal-sync.js';
import { checkSchema, migrate } from './migrations.js';
import {
  checkDecisionRecord,
  checkRetainedInput,
  decisionRecordParams,
  retainedParams,
  revisionParams,
  toDecisionRecord,
  toPolicyContent,
  toStoredInput,
  type DecisionRow,
  type InputRow,
  type RevisionRow,
} from './decisions.js';
import {
  ackAttemptParams,
  ackParams,
  approvalParams,
  checkAck,
  checkAckAttempt,
  checkApproval,
  checkDecision,
  checkStatement,
  checkTask,
  decisionParams,
  statementParams,
  taskParams,
  toAck,
  toApproval,
  toStatement,
  toTask,
  type AckRow,
  type ApprovalRow,
  type StatementRow,
  type TaskRow,
} from './records.js';

export interface SqliteStoreOptions {
  /** How long a write may wait for others to share its transaction; 0 (default) = the current event-loop turn. */
  readonly groupCommitMs?: number;
  /** Most writes per transaction (default 2000). */
  readonly maxBatch?: number;
  /** How long a decision record waits for another write to share its transaction (default 100 ms). */
  readonly deferMs?: number;
  /** Interval of the passive WAL checkpoint on its worker thread (default 1000 ms; 0 = only on close and checkpoint()). */
  readonly checkpointMs?: number;
  /** WAL frames (pages) past which the checkpoint also restarts the WAL (default 4096, 16 MiB of 4 KiB pages). */
  readonly walRestartFrames?: number;
  /**
   * Told when the background checkpoint fails (it tries again next round; meanwhile the WAL
   * grows). The gateway logs it.
   */
  readonly onCheckpointError?: (message: string) => void;
  /**
   * How a commit is made durable: by default an fdatasync of the WAL file on the thread pool.
   * Tests replace it to hold the disk's answer back or make it fail.
   */
  readonly walSync?: SyncFn;
  /**
   * Open an existing store for reading only (an auditor reading a stopped gateway's store):
   * nothing is created or migrated, and every write rejects with STORE_READ_ONLY.
   */
  readonly readonly?: boolean;
}

/**
 * The first statement of a kind and signer for a peer's task (see StatementLog.firstStatement).
 * LIMIT 1: SQLite keeps the smallest log_index instead of sorting the task's statements.
 */
const FIRST_STATEMENT = 'FROM statements WHERE peer_org = ? AND task_id = ? AND kind = ? AND signer_org = ? ORDER BY log_index LIMIT 1';

/**
 * The embedded store: one SQLite file in WAL mode. Writes are group committed (see
 * GroupCommit) and every writer is answered only once its COMMIT is on disk: the WAL is
 * fdatasynced after the COMMIT, on the thread pool (see WalSync), which is synchronous=FULL's
 * durability without its fsync inside the event loop. Reads wait the same way for what they
 * saw to be durable, so nothing a crash could still take back is ever answered or acted on.
 * Automatic checkpoints are off (they stalled appends by 8-18 ms); a worker thread
 * checkpoints passively (see startCheckpointer), and close() truncates the WAL.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly group: GroupCommit;
  private readonly wal: WalSync;
  private readonly walFile: ReturnType<typeof walFileSync> | undefined;
  private readonly checkpointer: Checkpointer | undefined;
  private closed = false;
  private readonly sql;
  /** Query text → prepared statement: filters combine into a handful of shapes, each prepared once. */
  private readonly prepared = new Map<string, Database.Statement>();
  /** Leaf hashes this connection committed, for the log to follow (see AppendedLeaves). */
  private readonly leaves = new AppendedLeaves();

  private readonly readonly: boolean;

  constructor(
    readonly file: string,
    opts: SqliteStoreOptions = {},
  ) {
    this.readonly = opts.readonly ?? false;
    this.db = this.readonly ? openReadOnly(file) : open(file);
    this.walFile = this.readonly ? undefined : walFileSync(file);
    this.wal = new WalSync(opts.walSync ?? this.walFile?.sync ?? ((done) => done(null)));
    this.group = new GroupCommit(this.db, this.wal, {
      hooks: {
        writeStarted: () => this.leaves.writeStarted(),
        writeRolledBack: () => this.leaves.writeRolledBack(),
        // Read inside the transaction, holding the write lock: no other connection can commit
        // between this reading and our COMMIT, which does not change our own data_version.
        committing: () => this.leaves.committing(this.sql.dataVersion.get() as number),
        committed: () => this.leaves.committed(),
        rolledBack: () => this.leaves.rolledBack(),
      },
      ...(opts.groupCommitMs !== undefined ? { windowMs: opts.groupCommitMs } : {}),
      ...(opts.maxBatch !== undefined ? { maxBatch: opts.maxBatch } : {}),
      ...(opts.deferMs !== undefined ? { deferMs: opts.deferMs } : {}),
    });
    this.sql = {
      upsertTask: new NamedStatement(
        this.db,
        `INSERT INTO tasks (role, peer_org, task_id, capability, purpose, content_digest, salt, status, reason, result_json, created_at, updated_at)
         VALUES (@role, @peerOrg, @taskId, @capability, @purpose, @contentDigest, @salt, @status, @reason, @resultJson, @createdAt, @updatedAt)
         ON CONFLICT (role, peer_org, task_id) DO UPDATE SET status = excluded.status, reason = excluded.reason,
           result_json = excluded.result_json, updated_at = excluded.updated_at`,
      ),
      // ON CONFLICT, not INSERT OR IGNORE: OR IGNORE would also silently drop NOT NULL and CHECK violations.
      // Not when the id already names a task in the other direction with this peer: one id, one
      // task between two organizations (see TaskStore.claimTask).
      claimTask: new NamedStatement(
        this.db,
        `INSERT INTO tasks (role, peer_org, task_id, capability, purpose, content_digest, salt, status, reason, result_json, created_at, updated_at)
         SELECT @role, @peerOrg, @taskId, @capability, @purpose, @contentDigest, @salt, @status, @reason, @resultJson, @createdAt, @updatedAt
         WHERE NOT EXISTS (SELECT 1 FROM tasks WHERE role = @otherRole AND peer_org = @peerOrg AND task_id = @taskId)
         ON CONFLICT (role, peer_org, task_id) DO NOTHING`,
      ),
      // The next log position is read inside the inserting statement, in the write
      // transaction: gapless, and a duplicate (same identity) takes none. The conflict target
      // is the identity only, so a clash on the position itself fails loudly, never silently.
      appendStatement: new NamedStatement(
        this.db,
        `INSERT INTO statements (task_id, kind, signer_org, peer_org, kid, jws, digest, stored_at, leaf_hash, log_index)
         VALUES (@taskId, @kind, @signerOrg, @peerOrg, @kid, @jws, @digest, @storedAt, @leafHash,
                 (SELECT coalesce(max(log_index), -1) + 1 FROM statements))
         ON CONFLICT (task_id, kind, signer_org, digest) DO NOTHING
         RETURNING log_index`,
      ),
      // Changes when another connection commits (not this one): see AppendedLeaves.
      dataVersion: this.db.prepare('PRAGMA data_version').pluck(),
      getTask: this.db.prepare('SELECT * FROM tasks WHERE role = ? AND peer_org = ? AND task_id = ?'),
      firstStatement: this.db.prepare(`SELECT * ${FIRST_STATEMENT}`),
      // Half the time of the row: no statement text converted (issue 11: the ack path).
      firstStatementDigest: this.db.prepare(`SELECT digest ${FIRST_STATEMENT}`).pluck(),
      transitionTask: new NamedStatement(
        this.db,
        `UPDATE tasks SET status = @status, reason = @reason, result_json = @resultJson, updated_at = @updatedAt
         WHERE role = @role AND peer_org = @peerOrg AND task_id = @taskId AND status = @from`,
      ),
      insertApproval: this.db.prepare(
        `INSERT INTO inbound_approvals (peer_org, task_id, capability, purpose, inbound_decision_id, inbound_policy_revision, requested_at,
           decision, decided_by, decided_reason, decided_at)
         VALUES (@peerOrg, @taskId, @capability, @purpose, @decisionId, @policyRevision, @requestedAt, @decision, @decidedBy, @decidedReason, @decidedAt)`,
      ),
      // Decided inside the transaction: only an undecided approval whose task still awaits it.
      decideApproval: this.db.prepare(
        `UPDATE inbound_approvals SET decision = @decision, decided_by = @decidedBy, decided_reason = @decidedReason, decided_at = @decidedAt
         WHERE peer_org = @peerOrg AND task_id = @taskId AND decision IS NULL
           AND EXISTS (SELECT 1 FROM tasks t WHERE t.role = 'responder' AND t.peer_org = @peerOrg AND t.task_id = @taskId AND t.status = 'awaiting_approval')`,
      ),
      getApproval: this.db.prepare('SELECT * FROM inbound_approvals WHERE peer_org = ? AND task_id = ?'),
      // The first ack of a task stays: a second (two calls settling one task at once) is in the
      // log but not owed twice.
      insertAck: new NamedStatement(
        this.db,
        `INSERT INTO ack_outbox (peer_org, task_id, ack_jws, state, attempts, next_at, last_error, created_at, delivered_at, failed_at)
         VALUES (@peerOrg, @taskId, @ack, @state, @attempts, @nextAt, @lastError, @createdAt, @deliveredAt, @failedAt)
         ON CONFLICT (peer_org, task_id) DO NOTHING`,
      ),
      getAck: this.db.prepare('SELECT * FROM ack_outbox WHERE peer_org = ? AND task_id = ?'),
      // Only a pending ack takes an outcome; the last error is kept when it is delivered, as evidence.
      recordAck: new NamedStatement(
        this.db,
        `UPDATE ack_outbox SET state = @state, attempts = @attempts, next_at = coalesce(@nextAt, next_at),
           last_error = coalesce(@lastError, last_error), delivered_at = @deliveredAt, failed_at = @failedAt
         WHERE peer_org = @peerOrg AND task_id = @taskId AND state = 'pending'`,
      ),
      runLength: this.db.prepare('SELECT count(*) AS n FROM run_events WHERE run_id = ?'),
      appendRunEvent: this.db.prepare('INSERT INTO run_events (run_id, seq, type, event_json) VALUES (?, ?, ?, ?)'),
      readRun: this.db.prepare('SELECT event_json FROM run_events WHERE run_id = ? ORDER BY seq'),
      runStarted: this.db.prepare('INSERT INTO runs_unfinished (run_id) VALUES (?)'),
      runFinished: this.db.prepare('DELETE FROM runs_unfinished WHERE run_id = ?'),
      unfinishedRuns: this.db.prepare('SELECT run_id FROM runs_unfinished ORDER BY run_id'),
      insertRun: this.db.prepare('INSERT INTO runs (run_id, workflow, status, started_at, updated_at) VALUES (?, ?, ?, ?, ?)'),
      touchRun: this.db.prepare('UPDATE runs SET status = coalesce(?, status), updated_at = max(updated_at, ?) WHERE run_id = ?'),
      checkpoint: this.db.prepare('PRAGMA wal_checkpoint(PASSIVE)'),
      leafHashes: this.db.prepare('SELECT leaf_hash FROM statements WHERE log_index >= ? ORDER BY log_index LIMIT ?').pluck(),
      saveCheckpoint: this.db.prepare('INSERT INTO log_checkpoints (size, note, created_at) VALUES (?, ?, ?) ON CONFLICT (size) DO NOTHING'),
      addCosignature: this.db.prepare(
        'INSERT INTO log_cosignatures (size, witness, line, received_at) VALUES (?, ?, ?, ?) ON CONFLICT (size, witness, line) DO NOTHING',
      ),
      saveWitnessed: this.db.prepare(
        'INSERT INTO witnessed_checkpoints (partner, size, note, verified_at) VALUES (?, ?, ?, ?) ON CONFLICT (partner, size) DO NOTHING',
      ),
      rememberPartnerKey: this.db.prepare('INSERT INTO partner_keys (partner, kind, key, first_seen) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      partnerKeys: this.db.prepare('SELECT partner, key, first_seen FROM partner_keys WHERE kind = ? ORDER BY first_seen, partner, key'),
      recordAlarm: this.db.prepare('INSERT INTO log_alarms (partner, at, code, message, held, offending) VALUES (?, ?, ?, ?, ?, ?)'),
      insertDecision: new NamedStatement(
        this.db,
        `INSERT INTO policy_decisions (decision_id, point, revision, decided_at, salt, input_digest, outcome_json)
         VALUES (@decisionId, @point, @revision, @decidedAt, @salt, @inputDigest, @outcomeJson)`,
      ),
      insertInput: new NamedStatement(this.db, 'INSERT INTO policy_decision_inputs (decision_id, key_id, sealed, kept_at) VALUES (@decisionId, @keyId, @sealed, @keptAt)'),
      insertRevision: this.db.prepare(
        `INSERT INTO policy_revisions (revision, engine, content, stored_at) VALUES (@revision, @engine, @content, @storedAt)
         ON CONFLICT (revision) DO NOTHING`,
      ),
      getDecision: this.db.prepare('SELECT * FROM policy_decisions WHERE decision_id = ?'),
      getRevision: this.db.prepare('SELECT engine, content FROM policy_revisions WHERE revision = ?'),
      getInput: this.db.prepare('SELECT * FROM policy_decision_inputs WHERE decision_id = ?'),
      // Oldest first, a bounded batch: the index on kept_at covers only inputs not yet deleted.
      deleteInputs: this.db.prepare(
        `UPDATE policy_decision_inputs SET sealed = NULL, deleted_at = @deletedAt
         WHERE decision_id IN (SELECT decision_id FROM policy_decision_inputs WHERE sealed IS NOT NULL AND kept_at < @keptBefore ORDER BY kept_at LIMIT @limit)
         RETURNING decision_id, kept_at`,
      ),
    };
    const every = this.readonly ? 0 : (opts.checkpointMs ?? 1000);
    if (every > 0) this.checkpointer = startCheckpointer(file, every, opts.walRestartFrames ?? 4096, opts.onCheckpointError ?? (() => {}));
  }

  /** Transactions committed so far (for tests and metrics). */
  get commits(): number {
    return this.group.commits;
  }

  /** Writes committed so far; writes / commits is the mean batch size. */
  get writes(): number {
    return this.group.writes;
  }

  /** fdatasyncs of the WAL so far: each made durable every commit before it began. */
  get syncs(): number {
    return this.wal.syncs;
  }

  /** Time those fdatasyncs took, milliseconds. */
  get syncMs(): number {
    return this.wal.syncMs;
  }

  // Reads are synchronous in better-sqlite3; the ports are asynchronous because other drivers
  // (PostgreSQL) are. A read answers once everything it may have seen is durable (settled).
  async getTask(role: TaskRole, peerOrg: string, taskId: string): Promise<TaskRecord | undefined> {
    this.checkOpen();
    const row = this.sql.getTask.get(role, peerOrg, taskId) as TaskRow | undefined;
    return this.settled(row === undefined ? undefined : toTask(row));
  }

  async listTasks(filter: TaskFilter = {}): Promise<TaskRecord[]> {
    this.checkOpen();
    const { where, args } = conditions([
      ['task_id = ?', filter.taskId],
      ['peer_org = ?', filter.peerOrg],
      ['role = ?', filter.role],
      ['status = ?', filter.status],
    ]);
    const sql = `SELECT * FROM tasks ${where} ORDER BY created_at DESC, task_id LIMIT ? OFFSET ?`;
    return this.settled((this.query(sql).all(...args, limitOf(filter.limit, 1000), limitOf(filter.offset, 0)) as TaskRow[]).map(toTask));
  }

  async listStatements(filter: StatementFilter = {}): Promise<StatementRecord[]> {
    this.checkOpen();
    const { where, args } = conditions([
      ['task_id = ?', filter.taskId],
      ['peer_org = ?', filter.peerOrg],
      ['kind = ?', filter.kind],
      ['log_index > ?', filter.afterIndex],
    ]);
    const sql = `SELECT * FROM statements ${where} ORDER BY log_index LIMIT ?`;
    return this.settled((this.query(sql).all(...args, limitOf(filter.limit, 10_000)) as StatementRow[]).map(toStatement));
  }

  async firstStatement(peerOrg: string, taskId: string, kind: StatementKind, signerOrg: string): Promise<StatementRecord | undefined> {
    this.checkOpen();
    const row = this.sql.firstStatement.get(peerOrg, taskId, kind, signerOrg) as StatementRow | undefined;
    return this.settled(row === undefined ? undefined : toStatement(row));
  }

  async firstStatementDigest(peerOrg: string, taskId: string, kind: StatementKind, signerOrg: string): Promise<string | undefined> {
    this.checkOpen();
    return this.settled(this.sql.firstStatementDigest.get(peerOrg, taskId, kind, signerOrg) as string | undefined);
  }

  append(statements: readonly StatementRecord[]): Promise<void> {
    return this.write({ statements });
  }

  write(batch: WriteBatch): Promise<void> {
    let run: () => void;
    try {
      this.checkWritable();
      run = this.batch(batch);
    } catch (err) {
      return Promise.reject(err as StoreError);
    }
    return this.group.submit(run);
  }

  /** Checks a batch's records and returns the SQL that writes it, to run inside a transaction. */
  private batch(batch: WriteBatch): () => void {
    for (const [i, t] of (batch.tasks ?? []).entries()) checkTask(t, `tasks[${i}]`);
    for (const [i, s] of (batch.statements ?? []).entries()) checkStatement(s, `statements[${i}]`);
    for (const [i, a] of (batch.approvals ?? []).entries()) checkApproval(a, `approvals[${i}]`);
    for (const [i, a] of (batch.acks ?? []).entries()) checkAck(a, `acks[${i}]`);
    const tasks = (batch.tasks ?? []).map(taskParams);
    const statements = (batch.statements ?? []).map(statementParams);
    const approvals = (batch.approvals ?? []).map(approvalParams);
    const acks = (batch.acks ?? []).map(ackParams);
    return () => {
      for (const t of tasks) this.sql.upsertTask.run(t);
      for (const s of statements) this.appendStatement(s);
      for (const a of approvals) this.sql.insertApproval.run(a);
      for (const a of acks) this.sql.insertAck.run(a);
    };
  }

  async claimTask(task: TaskRecord, statements: readonly StatementRecord[] = []): Promise<ClaimResult> {
    this.checkWritable();
    checkTask(task, 'task');
    for (const [i, s] of statements.entries()) checkStatement(s, `statements[${i}]`);
    const otherRole = task.role === 'requester' ? 'responder' : 'requester';
    const params = { ...taskParams(task), otherRole };
    const rows = statements.map(statementParams);
    let existing: TaskRecord | undefined;
    await this.group.submit(() => {
      existing = undefined;
      // Decided inside the transaction, on the primary key: of two concurrent claims, exactly
      // one inserts, even from two processes sharing the file.
      if (this.sql.claimTask.run(params).changes === 1) {
        for (const s of rows) this.appendStatement(s);
        return;
      }
      const row = (this.sql.getTask.get(task.role, task.peerOrg, task.taskId) ?? this.sql.getTask.get(otherRole, task.peerOrg, task.taskId)) as TaskRow;
      existing = toTask(row);
    });
    return existing === undefined ? { created: true } : { created: false, existing };
  }

  async transitionTask(task: TaskRecord, from: StoredTaskStatus, statements: readonly StatementRecord[] = []): Promise<boolean> {
    this.checkWritable();
    checkTask(task, 'task');
    const append = this.batch({ statements });
    const params = { ...taskParams(task), from };
    let wrote = false;
    await this.group.submit(() => {
      // Compared inside the transaction, so that of two transitions from one status one writes.
      wrote = this.sql.transitionTask.run(params).changes === 1;
      if (wrote) append();
    });
    return wrote;
  }

  async settleTask(task: TaskRecord, statements: readonly StatementRecord[], ack?: OutboxAck): Promise<boolean> {
    this.checkWritable();
    const rest = this.batch({ tasks: [task], statements });
    if (ack !== undefined) checkAck(ack, 'ack');
    const owed = ack === undefined ? undefined : ackParams(ack);
    let wrote = false;
    await this.group.submit(() => {
      // Decided inside the transaction, on the outbox's key: the first settlement's ack stays.
      wrote = owed === undefined ? this.sql.getAck.get(task.peerOrg, task.taskId) === undefined : this.sql.insertAck.run(owed).changes === 1;
      if (wrote) rest();
    });
    return wrote;
  }

  recordDecision(record: DecisionRecord, retained?: RetainedInput): Promise<void> {
    let decision: ReturnType<typeof decisionRecordParams>;
    let input: ReturnType<typeof retainedParams> | undefined;
    try {
      this.checkWritable();
      checkDecisionRecord(record, 'record');
      if (retained !== undefined) checkRetainedInput(retained, record.decisionId, 'retained');
      decision = decisionRecordParams(record);
      input = retained === undefined ? undefined : retainedParams(retained);
    } catch (err) {
      return Promise.reject(err as StoreError);
    }
    // Deferred: nobody waits for a decision record, so it rides in the next commit.
    return this.group.defer(() => {
      this.sql.insertDecision.run(decision);
      if (input !== undefined) this.sql.insertInput.run(input);
    });
  }

  storePolicyRevision(revision: string, content: PolicyContent): Promise<void> {
    let params: ReturnType<typeof revisionParams>;
    try {
      this.checkWritable();
      if (typeof revision !== 'string' || revision === '') throw new StoreInvalidRecordError('revision must be a non-empty string');
      params = revisionParams(revision, content, Date.now());
    } catch (err) {
      return Promise.reject(err as StoreError);
    }
    return this.group.submit(() => {
      this.sql.insertRevision.run(params);
    });
  }

  async getDecision(decisionId: string): Promise<DecisionRecord | undefined> {
    this.checkOpen();
    const row = this.sql.getDecision.get(decisionId) as DecisionRow | undefined;
    return this.settled(row === undefined ? undefined : toDecisionRecord(row));
  }

  async getPolicyRevision(revision: string): Promise<PolicyContent | undefined> {
    this.checkOpen();
    const row = this.sql.getRevision.get(revision) as RevisionRow | undefined;
    return this.settled(row === undefined ? undefined : toPolicyContent(row));
  }

  async getRetainedInput(decisionId: string): Promise<StoredInput | undefined> {
    this.checkOpen();
    const row = this.sql.getInput.get(decisionId) as InputRow | undefined;
    return this.settled(row === undefined ? undefined : toStoredInput(row));
  }

  async deleteRetainedInputs(keptBefore: number, deletedAt: number, limit: number): Promise<string[]> {
    this.checkWritable();
    const params = { keptBefore, deletedAt, limit: limitOf(limit, 0) };
    let rows: { decision_id: string; kept_at: number }[] = [];
    await this.group.submit(() => {
      rows = this.sql.deleteInputs.all(params) as { decision_id: string; kept_at: number }[];
    });
    // RETURNING gives no order; the oldest first reads best in the log.
    return rows.sort((a, b) => a.kept_at - b.kept_at || (a.decision_id < b.decision_id ? -1 : 1)).map((r) => r.decision_id);
  }

  async listInboundApprovals(filter: InboundApprovalFilter = {}): Promise<InboundApprovalRecord[]> {
    this.checkOpen();
    const { where, args } = conditions([
      ['a.peer_org = ?', filter.peerOrg],
      ['a.task_id = ?', filter.taskId],
    ]);
    const pending =
      filter.pending === true
        ? `${where === '' ? 'WHERE' : ' AND'} a.decision IS NULL AND EXISTS (SELECT 1 FROM tasks t WHERE t.role = 'responder'
             AND t.peer_org = a.peer_org AND t.task_id = a.task_id AND t.status = 'awaiting_approval')`
        : '';
    const sql = `SELECT a.* FROM inbound_approvals a ${where}${pending} ORDER BY a.requested_at, a.peer_org, a.task_id LIMIT ? OFFSET ?`;
    return this.settled((this.query(sql).all(...args, limitOf(filter.limit, 1000), limitOf(filter.offset, 0)) as ApprovalRow[]).map(toApproval));
  }

  async decideInboundApproval(peerOrg: string, taskId: string, decided: InboundDecision, batch: WriteBatch = {}): Promise<DecideResult> {
    this.checkWritable();
    checkDecision(decided, 'decided');
    const rest = this.batch(batch);
    const params = { peerOrg, taskId, ...decisionParams(decided) };
    let result: DecideResult = { decided: true };
    await this.group.submit(() => {
      if (this.sql.decideApproval.run(params).changes === 1) {
        rest();
        return;
      }
      const row = this.sql.getApproval.get(peerOrg, taskId) as ApprovalRow | undefined;
      result = { decided: false, existing: row === undefined ? undefined : toApproval(row) };
    });
    return result;
  }

  async pendingAcks(filter: PendingAckFilter = {}): Promise<OutboxAck[]> {
    this.checkOpen();
    const { where, args } = conditions([
      ['peer_org = ?', filter.peerOrg],
      ['task_id = ?', filter.taskId],
      ['next_at <= ?', filter.dueBy],
    ]);
    const sql = `SELECT * FROM ack_outbox ${where === '' ? 'WHERE' : `${where} AND`} state = 'pending' ORDER BY next_at, peer_org, task_id LIMIT ?`;
    return this.settled((this.query(sql).all(...args, limitOf(filter.limit, 1000)) as AckRow[]).map(toAck));
  }

  async getAck(peerOrg: string, taskId: string): Promise<OutboxAck | undefined> {
    this.checkOpen();
    const row = this.sql.getAck.get(peerOrg, taskId) as AckRow | undefined;
    return this.settled(row === undefined ? undefined : toAck(row));
  }

  async recordAckAttempt(peerOrg: string, taskId: string, attempt: AckAttempt): Promise<boolean> {
    this.checkWritable();
    checkAckAttempt(attempt, 'attempt');
    const params = ackAttemptParams(peerOrg, taskId, attempt);
    let wrote = false;
    // A delivery rides in the next commit rather than costing one of its own (one fsync per
    // ack delivered had collided with the next call's commits): were it lost in a crash, the
    // ack would only be sent again, and a partner takes a stored ack again as stored.
    await this.submit(() => {
      wrote = this.sql.recordAck.run(params).changes === 1;
    }, attempt.state === 'delivered');
    return wrote;
  }

  async appendRunEvents(runId: string, from: number, events: readonly RunEvent[], statements: readonly StatementRecord[] = []): Promise<void> {
    this.checkWritable();
    const rows = events.map((e) => [e.type, JSON.stringify(e)] as const);
    const append = this.batch({ statements });
    await this.group.submit(() => {
      // Checked inside the transaction: of two writers at the same position, one wins.
      const { n } = this.sql.runLength.get(runId) as { n: number };
      if (n !== from) throw new RunError('RUN_CONFLICT', `run ${runId} has ${n} events, not ${from}: another writer appended first`);
      rows.forEach(([type, json], i) => {
        this.sql.appendRunEvent.run(runId, from + i, type, json);
        const e = events[i]!;
        if (e.type === 'run_started') {
          this.sql.runStarted.run(runId);
          this.sql.insertRun.run(runId, e.definition.name, 'running', e.at, e.at);
        } else {
          this.sql.touchRun.run(e.type === 'run_finished' ? e.status : null, e.at, runId);
        }
        if (type === 'run_finished') this.sql.runFinished.run(runId);
      });
      append();
    });
  }

  async readRun(runId: string): Promise<RunEvent[]> {
    this.checkOpen();
    return this.settled((this.sql.readRun.all(runId) as { event_json: string }[]).map((r) => JSON.parse(r.event_json) as RunEvent));
  }

  async listRuns(filter: RunFilter = {}): Promise<RunSummary[]> {
    this.checkOpen();
    const { where, args } = conditions([['status = ?', filter.status]]);
    const sql = `SELECT * FROM runs ${where} ORDER BY started_at DESC, run_id LIMIT ? OFFSET ?`;
    const rows = this.query(sql).all(...args, limitOf(filter.limit, 100), limitOf(filter.offset, 0)) as { run_id: string; workflow: string; status: RunSummary['status']; started_at: number; updated_at: number }[];
    return this.settled(rows.map((r) => ({ runId: r.run_id, workflow: r.workflow, status: r.status, startedAt: r.started_at, updatedAt: r.updated_at })));
  }

  async unfinishedRuns(): Promise<string[]> {
    this.checkOpen();
    return this.settled((this.sql.unfinishedRuns.all() as { run_id: string }[]).map((r) => r.run_id));
  }

  async leafHashes(from: number, limit: number): Promise<Buffer[]> {
    this.checkOpen();
    const appended = this.leaves.read(from, limit, this.sql.dataVersion.get() as number);
    return this.settled(appended ?? (this.sql.leafHashes.all(from, limit) as Buffer[]));
  }

  /** Inside a transaction: one statement at the next log position, unless already stored. */
  private appendStatement(s: ReturnType<typeof statementParams>): void {
    const row = this.sql.appendStatement.get(s) as { log_index: number } | undefined;
    if (row !== undefined) this.leaves.appended(row.log_index, s.leafHash);
  }

  // A checkpoint record and a cosignature ride in the next transaction rather than costing an
  // fsync of their own: losing one in a crash loses nothing (the checkpoint is signed again,
  // identically; the partner cosigns again).
  saveCheckpoint(size: number, note: string, at: number): Promise<void> {
    return this.submit(() => this.sql.saveCheckpoint.run(size, note, at), true);
  }

  addCosignature(size: number, witness: string, line: string, at: number): Promise<void> {
    return this.submit(() => this.sql.addCosignature.run(size, witness, line, at), true);
  }

  async listCheckpoints(filter: { readonly fromSize?: number; readonly toSize?: number; readonly cosignedOnly?: boolean } = {}): Promise<CheckpointRecord[]> {
    this.checkOpen();
    const { where, args } = conditions([
      ['c.size >= ?', filter.fromSize],
      ['c.size <= ?', filter.toSize],
    ]);
    const cosigned = filter.cosignedOnly === true ? `${where === '' ? 'WHERE' : ' AND'} EXISTS (SELECT 1 FROM log_cosignatures s WHERE s.size = c.size)` : '';
    const rows = this.query(`SELECT c.* FROM log_checkpoints c ${where}${cosigned} ORDER BY c.size`).all(...args) as { size: number; note: string; created_at: number }[];
    const cosigs = this.query('SELECT * FROM log_cosignatures WHERE size = ? ORDER BY received_at, witness');
    return this.settled(rows.map((r) => ({
      size: r.size,
      note: r.note,
      createdAt: r.created_at,
      cosignatures: (cosigs.all(r.size) as { witness: string; line: string; received_at: number }[]).map((c) => ({ witness: c.witness, line: c.line, receivedAt: c.received_at })),
    })));
  }

  saveWitnessed(record: WitnessedRecord): Promise<void> {
    return this.submit(() => this.sql.saveWitnessed.run(record.partner, record.size, record.note, record.verifiedAt));
  }

  async heldCheckpoints(partner?: string): Promise<WitnessedRecord[]> {
    this.checkOpen();
    const { where, args } = conditions([['w.partner = ?', partner]]);
    const sql = `SELECT w.* FROM witnessed_checkpoints w ${where}${where === '' ? 'WHERE' : ' AND'}
      w.size = (SELECT max(size) FROM witnessed_checkpoints x WHERE x.partner = w.partner) ORDER BY w.partner`;
    return this.settled((this.query(sql).all(...args) as WitnessedRow[]).map(toWitnessed));
  }

  async listWitnessed(partner?: string): Promise<WitnessedRecord[]> {
    this.checkOpen();
    const { where, args } = conditions([['partner = ?', partner]]);
    return this.settled((this.query(`SELECT * FROM witnessed_checkpoints ${where} ORDER BY partner, size`).all(...args) as WitnessedRow[]).map(toWitnessed));
  }

  recordAlarm(a: LogAlarmRecord): Promise<void> {
    return this.submit(() => this.sql.recordAlarm.run(a.partner, a.at, a.code, a.message, a.held ?? null, a.offending));
  }

  async listAlarms(): Promise<LogAlarmRecord[]> {
    this.checkOpen();
    const rows = this.query('SELECT * FROM log_alarms ORDER BY id').all() as { partner: string; at: number; code: string; message: string; held: string | null; offending: string }[];
    return this.settled(rows.map((r) => ({ partner: r.partner, at: r.at, code: r.code, message: r.message, ...(r.held !== null ? { held: r.held } : {}), offending: r.offending })));
  }

  rememberPartnerKey(partner: string, kind: 'receipt' | 'log', key: string, at: number): Promise<void> {
    return this.submit(() => this.sql.rememberPartnerKey.run(partner, kind, key, at), true);
  }

  async partnerKeys(kind: 'receipt' | 'log'): Promise<{ partner: string; key: string; firstSeen: number }[]> {
    this.checkOpen();
    return this.settled((this.sql.partnerKeys.all(kind) as { partner: string; key: string; first_seen: number }[]).map((r) => ({ partner: r.partner, key: r.key, firstSeen: r.first_seen })));
  }

  /** One write of our own into the next group commit (`deferred`: without hurrying one for it). */
  private submit(run: () => void, deferred = false): Promise<void> {
    try {
      this.checkWritable();
    } catch (err) {
      return Promise.reject(err as StoreError);
    }
    return deferred ? this.group.defer(run) : this.group.submit(run);
  }

  /** A passive WAL checkpoint, now, on this thread (the worker does the periodic ones). */
  checkpoint(): void {
    if (!this.closed && !this.readonly) this.sql.checkpoint.run();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.checkpointer?.stop();
    if (!this.readonly) {
      this.group.flush();
      // What was committed is made durable before the descriptor closes (a failure is the
      // flushed writers' to see; the WAL is truncated by the checkpoint below either way).
      await this.wal.durable().catch(() => undefined);
      this.walFile?.close();
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    }
    this.db.close();
  }

  /** `value`, once every commit a read made before it may have seen is durable. */
  private settled<T>(value: T): T | Promise<T> {
    return this.wal.idle ? value : this.wal.durable().then(() => value);
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreClosedError(`the store ${this.file} is closed`);
  }

  private checkWritable(): void {
    this.checkOpen();
    if (this.readonly) throw new StoreReadOnlyError(`the store ${this.file} is open read-only (offline); writes go through the running gateway`);
  }

  private query(sql: string): Database.Statement {
    let stmt = this.prepared.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      this.prepared.set(sql, stmt);
    }
    return stmt;
  }
}

interface WitnessedRow {
  partner: string;
  size: number;
  note: string;
  verified_at: number;
}

function toWitnessed(r: WitnessedRow): WitnessedRecord {
  return { partner: r.partner, size: r.size, note: r.note, verifiedAt: r.verified_at };
}

/** A WHERE clause from the filter fields that are set; unset ones do not constrain. */
function conditions(fields: readonly (readonly [string, string | number | undefined])[]): { where: string; args: unknown[] } {
  const set = fields.filter(([, v]) => v !== undefined);
  return { where: set.length > 0 ? 'WHERE ' + set.map(([c]) => c).join(' AND ') : '', args: set.map(([, v]) => v) };
}

function limitOf(limit: number | undefined, fallback: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isSafeInteger(limit) || limit < 0) throw new StoreInvalidRecordError(`limit ${limit} must be a non-negative integer`);
  return limit;
}

function open(file: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (err) {
    throw new StoreOpenFailedError(`cannot open the store ${file}: ${(err as Error).message}; check that its directory exists and is writable`, { cause: err });
  }
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL: COMMIT does not fsync; WalSync does, off the event loop, before anyone is
    // answered. Checkpoints still sync the WAL before copying it (NORMAL's rule).
    db.pragma('synchronous = NORMAL');
    // Checkpoints are ours to schedule: an automatic one runs inside whichever COMMIT crosses the threshold.
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('busy_timeout = 5000');
    // Migration 8 hashes the statements already stored into the Merkle log's leaves.
    db.function('entente_leaf_hash', { deterministic: true }, (jws) => leafHash(String(jws)));
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    throw new StoreOpenFailedError(`cannot set up the store ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** An existing store, for reading only: no file is created, no schema migrated. */
function openReadOnly(file: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new StoreOpenFailedError(`cannot open the store ${file} for reading: ${(err as Error).message}; check dataDir in the config`, { cause: err });
  }
  try {
    checkSchema(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Opens (creating and migrating if needed) the SQLite store at `file`.
 *
 * @example const store = openSqliteStore(join(dataDir, 'entente.db'));
 */
export function openSqliteStore(file: string, opts?: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(file, opts);
}
