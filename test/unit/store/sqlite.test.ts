import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { leafHash } from '../../../gateway/src/audit/index.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStoreOptions } from '../../../gateway/src/store/index.js';
import { MIGRATIONS } from '../../../gateway/src/store/sqlite/migrations.js';
import { decisionRecord, describeStoreContract, outboxAck, retainedInput, statement, task } from './contract.js';

const scratch = mkdtempSync(join(tmpdir(), 'entente-store-contract-'));
let n = 0;
describeStoreContract('SQLite', {
  fresh: () => join(scratch, `store-${n++}.db`),
  open: (file) => openSqliteStore(file, { checkpointMs: 0 }),
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the SQLite store', () => {
  const dirs: string[] = [];
  const closers: (() => Promise<void>)[] = [];
  const fresh = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'entente-store-'));
    dirs.push(dir);
    return join(dir, 'entente.db');
  };
  const open = (file: string, opts: SqliteStoreOptions = {}) => {
    const store = openSqliteStore(file, { checkpointMs: 0, ...opts });
    closers.push(() => store.close());
    return store;
  };
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  describe('the leaf hashes the audit log follows', () => {
    const tableLeaves = (file: string) => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare('SELECT leaf_hash FROM statements ORDER BY log_index').pluck().all() as Buffer[]).map((h) => h.toString('hex'));
      } finally {
        db.close();
      }
    };
    const hex = (hs: Buffer[]) => hs.map((h) => h.toString('hex'));

    it('are those of the table, from any position, across commits, a refused write and a duplicate', async () => {
      const file = fresh();
      const store = open(file);
      await store.write({ statements: [statement('a', 1), statement('b', 2)] });
      // Refused by SQLite after its first statement took position 2: rolled back to its savepoint.
      const clash = statement('a', 1, { signerOrg: 'org-z' });
      await expect(store.write({ statements: [statement('c', 3), clash] })).rejects.toThrow(/refused a write/);
      expect(await store.leafHashes(2, 100)).toEqual([]);
      // A duplicate takes no position; the refused write's position goes to the next statement.
      await store.write({ statements: [statement('a', 1), statement('d', 5)] });
      const all = tableLeaves(file);
      expect(all).toHaveLength(3);
      expect(all[2]).toBe(leafHash('h.p5.s').toString('hex'));
      expect(hex(await store.leafHashes(0, 100))).toEqual(all);
      expect(hex(await store.leafHashes(1, 1))).toEqual(all.slice(1, 2));
      expect(hex(await store.leafHashes(2, 100))).toEqual(all.slice(2));
      expect(await store.leafHashes(3, 100)).toEqual([]);
      await store.write({ statements: [statement('e', 6)] });
      expect(hex(await store.leafHashes(3, 100))).toEqual(tableLeaves(file).slice(3));
    });

    it('include what another process appended to the same file', async () => {
      const file = fresh();
      const store = open(file);
      await store.write({ statements: [statement('a', 1)] });
      expect(await store.leafHashes(1, 100)).toEqual([]);
      const other = open(file);
      await other.write({ statements: [statement('b', 2)] });
      expect(hex(await store.leafHashes(1, 100))).toEqual(tableLeaves(file).slice(1));
      await store.write({ statements: [statement('c', 3)] });
      expect(hex(await store.leafHashes(1, 100))).toEqual(tableLeaves(file).slice(1));
      expect(tableLeaves(file)).toHaveLength(3);
    });
  });

  describe('durability', () => {
    it('commits writes queued before close, then refuses new ones with STORE_CLOSED', async () => {
      const file = fresh();
      const store = open(file, { groupCommitMs: 10_000 });
      const pending = store.write({ tasks: [task('late')] });
      await store.close();
      await expect(pending).resolves.toBeUndefined();
      await expect(store.write({ tasks: [task('after')] })).rejects.toMatchObject({ code: 'STORE_CLOSED' });
      await expect(store.getTask('responder', 'org-a', 'late')).rejects.toMatchObject({ code: 'STORE_CLOSED' });
      const again = open(file);
      expect((await again.getTask('responder', 'org-a', 'late'))?.taskId).toBe('late');
    });

    it('runs in WAL mode, checkpoints only deliberately, and leaves no WAL behind on close', async () => {
      const file = fresh();
      const store = open(file);
      const big = 'x'.repeat(10_000);
      // ~6 MB of statements: past the 1000-page mark where SQLite's automatic checkpoint would reset the WAL.
      for (let batch = 0; batch < 6; batch++) {
        await Promise.all(Array.from({ length: 100 }, (_, i) => store.write({ statements: [statement('big', batch * 100 + i, { jws: big + batch * 100 + i })] })));
      }
      const inspector = new Database(file, { readonly: true });
      expect(inspector.pragma('journal_mode', { simple: true })).toBe('wal');
      inspector.close();
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(5_000_000);
      store.checkpoint();
      await store.close();
      expect(existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0).toBe(0);
    });
  });

  describe('durability off the event loop', () => {
    /** A disk whose flushes answer only when the test says so (the fdatasync of the WAL). */
    const heldDisk = () => {
      const pending: ((err: Error | null) => void)[] = [];
      return {
        walSync: (done: (err: Error | null) => void) => void pending.push(done),
        get flushes() {
          return pending.length;
        },
        answer: (err: Error | null = null) => pending.shift()!(err),
      };
    };
    const settledYet = async (p: Promise<unknown>): Promise<boolean> => {
      let settled = false;
      p.then(() => (settled = true), () => (settled = true));
      await new Promise((r) => setTimeout(r, 20));
      return settled;
    };

    it('answers a writer only after the WAL is flushed, and one flush serves the commits made before it began', async () => {
      const disk = heldDisk();
      const store = open(fresh(), { walSync: disk.walSync });
      const first = store.write({ tasks: [task('a')] });
      expect(await settledYet(first)).toBe(false);
      expect(disk.flushes).toBe(1);
      // Committed while the first flush runs: it needs a flush of its own, started after.
      const second = store.write({ tasks: [task('b')] });
      const third = store.write({ tasks: [task('c')] });
      expect(await settledYet(second)).toBe(false);
      expect(store.commits).toBe(2);
      expect(disk.flushes).toBe(1);
      disk.answer();
      await first;
      expect(await settledYet(Promise.all([second, third]))).toBe(false);
      expect(disk.flushes).toBe(1);
      disk.answer();
      await Promise.all([second, third]);
      expect(store.syncs).toBe(2);
    });

    it('lets the record of a delivered ack ride in the next commit instead of costing one', async () => {
      const disk = heldDisk();
      const store = open(fresh(), { walSync: disk.walSync, deferMs: 60_000 });
      void store.write({ acks: [outboxAck('t1'), outboxAck('t2')] });
      await new Promise((r) => setImmediate(r));
      disk.answer();
      const commits = store.commits;
      const delivered = store.recordAckAttempt('org-b', 't1', { state: 'delivered', attempts: 1, at: 2 });
      expect(await settledYet(delivered)).toBe(false);
      expect(store.commits).toBe(commits);
      // A retry's record is waited for: it says when to try again.
      const retry = store.recordAckAttempt('org-b', 't2', { state: 'pending', attempts: 1, nextAt: 5, error: 'unavailable: down' });
      await new Promise((r) => setImmediate(r));
      expect(store.commits).toBe(commits + 1);
      disk.answer();
      expect(await delivered).toBe(true);
      expect(await retry).toBe(true);
      expect((await store.getAck('org-b', 't1'))?.state).toBe('delivered');
    });

    it('lets no read answer with what is committed but not yet durable', async () => {
      const disk = heldDisk();
      const store = open(fresh(), { walSync: disk.walSync });
      void store.write({ tasks: [task('a')] });
      await new Promise((r) => setImmediate(r));
      expect(store.commits).toBe(1);
      const read = store.getTask('responder', 'org-a', 'a');
      expect(await settledYet(read)).toBe(false);
      disk.answer();
      expect((await read)?.taskId).toBe('a');
      // Nothing pending: a read answers at once.
      expect(await settledYet(store.getTask('responder', 'org-a', 'a'))).toBe(true);
    });

    it('refuses every writer for good with STORE_SYNC_FAILED once a flush fails', async () => {
      const disk = heldDisk();
      const store = open(fresh(), { walSync: disk.walSync });
      const lost = store.write({ tasks: [task('a')] });
      await new Promise((r) => setImmediate(r));
      disk.answer(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
      await expect(lost).rejects.toMatchObject({ code: 'STORE_SYNC_FAILED', message: expect.stringMatching(/EIO.*check the disk, then restart/) });
      // Retrying a failed flush could report success for pages the kernel already dropped.
      await expect(store.write({ tasks: [task('b')] })).rejects.toMatchObject({ code: 'STORE_SYNC_FAILED' });
      expect(disk.flushes).toBe(0);
    });

    it('flushes the real WAL file on the thread pool by default', async () => {
      const store = open(fresh());
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.write({ tasks: [task(`t${i}`)] })));
      expect(store.commits).toBe(1);
      expect(store.syncs).toBe(1);
      expect((await store.getTask('responder', 'org-a', 't49'))?.taskId).toBe('t49');
    });

    it('checkpoints the WAL into the database file on its own worker thread', async () => {
      const file = fresh();
      const errors: string[] = [];
      const store = open(file, { checkpointMs: 50, onCheckpointError: (m) => errors.push(m) });
      const big = 'x'.repeat(10_000);
      await Promise.all(Array.from({ length: 300 }, (_, i) => store.write({ statements: [statement('big', i, { jws: big + i })] })));
      const before = statSync(file).size;
      const deadline = Date.now() + 10_000;
      while (statSync(file).size < before + 2_500_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect(statSync(file).size).toBeGreaterThan(before + 2_500_000);
      expect(errors).toEqual([]);
    });

    it('starts the WAL over under a steady stream of commits, instead of letting it grow without bound', async () => {
      const file = fresh();
      const errors: string[] = [];
      const store = open(file, { checkpointMs: 20, walRestartFrames: 256, onCheckpointError: (m) => errors.push(m) });
      const big = 'x'.repeat(10_000);
      let largest = 0;
      // ~30 MB in 300 commits back to back: a passive checkpoint beside them never catches up.
      for (let b = 0; b < 300; b++) {
        await Promise.all(Array.from({ length: 10 }, (_, i) => store.write({ statements: [statement(`w${b}`, i, { jws: `${big}${b}.${i}` })] })));
        largest = Math.max(largest, statSync(`${file}-wal`).size);
      }
      // Without restarts it would hold all ~30 MB. With them it stays near a few MB, but the
      // checkpointer is a thread that a loaded machine may starve for a while (11.3 MB seen
      // beside the rest of the suite): the bound is the growth, not the scheduling.
      expect(largest).toBeLessThan(20_000_000);
      expect(errors).toEqual([]);
      expect(await store.listStatements({ limit: 1, afterIndex: 2998 })).toHaveLength(1);
      await store.close();
    });
  });

  describe('group commit', () => {
    it('commits many concurrent writes in one transaction and counts it', async () => {
      const store = open(fresh());
      await Promise.all(Array.from({ length: 200 }, (_, i) => store.write({ tasks: [task(`t${i}`)], statements: [statement(`t${i}`, i)] })));
      expect(store.commits).toBe(1);
      expect(store.writes).toBe(200);
      await store.write({ tasks: [task('next')] });
      expect(store.commits).toBe(2);
    });

    it('waits up to groupCommitMs for writes from later event-loop turns', async () => {
      const store = open(fresh(), { groupCommitMs: 50 });
      const first = store.write({ tasks: [task('a')] });
      await new Promise((r) => setImmediate(r));
      const second = store.write({ tasks: [task('b')] });
      await Promise.all([first, second]);
      expect(store.commits).toBe(1);
    });

    it('splits a queue longer than maxBatch into several transactions', async () => {
      const store = open(fresh(), { maxBatch: 10 });
      await Promise.all(Array.from({ length: 25 }, (_, i) => store.write({ tasks: [task(`t${i}`)] })));
      expect(store.commits).toBe(3);
      expect(await store.listTasks()).toHaveLength(25);
    });

    it('rejects a write SQLite refuses alone, rolled back to its savepoint, and commits its neighbours', async () => {
      const file = fresh();
      open(file);
      const db = new Database(file);
      db.exec(`CREATE TRIGGER poison BEFORE INSERT ON statements WHEN NEW.task_id = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); END`);
      db.close();
      const store = open(file);
      const results = await Promise.allSettled([
        store.write({ tasks: [task('ok-1')] }),
        store.write({ tasks: [task('poison')], statements: [statement('poison', 1)] }),
        store.write({ tasks: [task('ok-2')], statements: [statement('ok-2', 2)] }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'STORE_WRITE_FAILED', message: expect.stringMatching(/poisoned/) });
      expect(store.commits).toBe(1);
      // The poisoned write's task row went with its statement.
      expect(await store.getTask('responder', 'org-a', 'poison')).toBeUndefined();
      expect((await store.listTasks()).map((t) => t.taskId).sort()).toEqual(['ok-1', 'ok-2']);
      // The poisoned insert took no log position: the log has no gap.
      expect((await store.listStatements()).map((s) => s.index)).toEqual([0]);
      await store.write({ statements: [statement('ok-3', 3)] });
      expect((await store.listStatements()).map((s) => s.index)).toEqual([0, 1]);
    });

    it('rejects every write of a transaction that fails as a whole, and stores none of them', async () => {
      const file = fresh();
      open(file);
      const db = new Database(file);
      // RAISE(ROLLBACK) ends the whole transaction, as an I/O error or a full disk would.
      db.exec(`CREATE TRIGGER doom BEFORE INSERT ON statements WHEN NEW.task_id = 'doom' BEGIN SELECT RAISE(ROLLBACK, 'doomed'); END`);
      db.close();
      const store = open(file);
      const results = await Promise.allSettled([
        store.write({ tasks: [task('a')] }),
        store.write({ statements: [statement('doom', 1)] }),
        store.write({ tasks: [task('b')] }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'STORE_WRITE_FAILED', message: expect.stringMatching(/could not commit 3 write/) });
      expect(await store.listTasks()).toEqual([]);
      expect(store.commits).toBe(0);
      // The store keeps working afterwards.
      await store.write({ tasks: [task('c')] });
      expect((await store.listTasks()).map((t) => t.taskId)).toEqual(['c']);
    });

    it('refuses an invalid record before it can share a transaction', async () => {
      const store = open(fresh());
      const results = await Promise.allSettled([
        store.write({ tasks: [task('fine')] }),
        store.write({ tasks: [{ ...task('bad'), status: 'exploded' as never }] }),
        store.write({ statements: [{ ...statement('bad', 1), kind: 'receipt' as never }] }),
        store.write({ tasks: [{ ...task('bad'), createdAt: 1.5 }] }),
        store.write({ statements: [{ ...statement('bad', 1), jws: '' }] }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'rejected']);
      expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'STORE_INVALID_RECORD', message: expect.stringMatching(/tasks\[0\]\.status is "exploded"/) });
      expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ message: expect.stringMatching(/statements\[0\]\.kind/) });
      expect(store.commits).toBe(1);
    });
  });

  describe('decision records', () => {
    it('ride in the transaction of the next write: no commit of their own', async () => {
      const store = open(fresh(), { deferMs: 10_000 });
      const records = Array.from({ length: 5 }, (_, i) => store.recordDecision(decisionRecord(`d${i}`)));
      await new Promise((r) => setTimeout(r, 20));
      expect(store.commits).toBe(0);
      await store.write({ tasks: [task('t')] });
      await Promise.all(records);
      expect(store.commits).toBe(1);
      expect(store.writes).toBe(6);
    });

    it('commit on their own after deferMs when no write comes, and on close', async () => {
      const file = fresh();
      const store = open(file, { deferMs: 5 });
      await store.recordDecision(decisionRecord('alone'));
      expect(store.commits).toBe(1);
      const late = open(file, { deferMs: 60_000 });
      const pending = late.recordDecision(decisionRecord('at-close'));
      await late.close();
      await expect(pending).resolves.toBeUndefined();
      expect(await store.getDecision('at-close')).toBeDefined();
    });

    it('are append-only and keep their revisions, and a retained input can only be deleted, even against direct SQL', async () => {
      const file = fresh();
      const store = open(file);
      await store.recordDecision(decisionRecord('d'), retainedInput('d'));
      await store.storePolicyRevision('sha256:r', { engine: 'opa-wasm', archive: new Uint8Array([1]) });
      await store.close();
      const db = new Database(file);
      expect(() => db.prepare("UPDATE policy_decisions SET outcome_json = '{}'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM policy_decisions').run()).toThrow(/append-only/);
      expect(() => db.prepare("UPDATE policy_revisions SET content = x'00'").run()).toThrow(/never changes/);
      expect(() => db.prepare('DELETE FROM policy_revisions').run()).toThrow(/kept/);
      expect(() => db.prepare('DELETE FROM policy_decision_inputs').run()).toThrow(/stays on record/);
      expect(() => db.prepare("UPDATE policy_decision_inputs SET sealed = x'00'").run()).toThrow(/only be deleted/);
      expect(() => db.prepare("UPDATE policy_decision_inputs SET sealed = NULL, deleted_at = 1, key_id = 'other'").run()).toThrow(/only be deleted/);
      expect(() => db.prepare('UPDATE policy_decision_inputs SET sealed = NULL, deleted_at = 1').run()).not.toThrow();
      expect(() => db.prepare("UPDATE policy_decision_inputs SET sealed = x'00', deleted_at = NULL").run()).toThrow(/only be deleted/);
      db.close();
    });

    it('are read by a read-only opening, which refuses to record or delete', async () => {
      const file = fresh();
      const writer = open(file);
      await writer.recordDecision(decisionRecord('d'), retainedInput('d'));
      const reader = open(file, { readonly: true });
      expect(await reader.getDecision('d')).toEqual(decisionRecord('d'));
      expect(await reader.getRetainedInput('d')).toEqual(retainedInput('d'));
      await expect(reader.recordDecision(decisionRecord('e'))).rejects.toMatchObject({ code: 'STORE_READ_ONLY' });
      await expect(reader.storePolicyRevision('sha256:r', { engine: 'opa-wasm', archive: new Uint8Array([1]) })).rejects.toMatchObject({ code: 'STORE_READ_ONLY' });
      await expect(reader.deleteRetainedInputs(10_000, 10_000, 10)).rejects.toMatchObject({ code: 'STORE_READ_ONLY' });
    });
  });

  describe('statements', () => {
    it('keeps statements append-only, even against direct SQL', async () => {
      const file = fresh();
      const store = open(file);
      await store.write({ statements: [statement('t', 1)] });
      await store.close();
      const db = new Database(file);
      expect(() => db.prepare("UPDATE statements SET jws = 'forged'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM statements').run()).toThrow(/append-only/);
      const insert = (index: number | null, hash: Buffer | null = Buffer.alloc(32)) =>
        db.prepare(`INSERT INTO statements (task_id, kind, signer_org, peer_org, kid, jws, digest, stored_at, leaf_hash, log_index) VALUES ('x', 'ack', 'org-a', 'org-a', 'k', 'j', 'd', 1, ?, ?)`).run(hash, index);
      expect(() => insert(1, null)).toThrow(/NOT NULL constraint failed: statements.leaf_hash/);
      expect(() => insert(1, Buffer.alloc(31))).toThrow(/CHECK constraint failed/);
      expect(() => insert(null)).toThrow(/without gaps/);
      expect(() => insert(5)).toThrow(/without gaps/);
      expect(() => insert(1)).not.toThrow();
      expect(db.prepare('SELECT jws FROM statements ORDER BY log_index').pluck().all()).toEqual(['h.p1.s', 'j']);
      db.close();
    });
  });

  describe('schema', () => {
    it("brings a store of schema 7 forward: its statements keep their log positions and get their leaf hashes", async () => {
      const file = fresh();
      const db = new Database(file);
      db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (7)');
      for (const m of MIGRATIONS.slice(0, 7)) db.exec(m);
      const insert = db.prepare(`INSERT INTO statements (task_id, kind, signer_org, peer_org, kid, jws, digest, stored_at, log_index) VALUES (?, 'request', 'org-a', 'org-b', 'k', ?, ?, 1, ?)`);
      insert.run('t1', 'h.p1.s', 'sha256:1', 0);
      insert.run('t2', 'h.p2.s', 'sha256:2', 1);
      db.close();
      const store = open(file);
      const [a, b] = await store.listStatements();
      expect([a!.index, b!.index]).toEqual([0, 1]);
      expect((await store.leafHashes(0, 10)).map((h) => h.toString('hex'))).toEqual([leafHash('h.p1.s').toString('hex'), leafHash('h.p2.s').toString('hex')]);
      await store.write({ statements: [{ ...statement('r', 3), kind: 'run' }] });
      expect((await store.listStatements({ kind: 'run' }))[0]?.index).toBe(2);
      await store.close();
    });

    it('records its version and refuses a database from a newer Entente', async () => {
      const file = fresh();
      await open(file).close();
      const db = new Database(file);
      expect(db.prepare('SELECT version FROM schema_version').pluck().get()).toBe(MIGRATIONS.length);
      db.prepare('UPDATE schema_version SET version = 99').run();
      db.close();
      expect(() => openSqliteStore(file)).toThrow(expect.objectContaining({ code: 'STORE_SCHEMA_TOO_NEW' }));
    });

    it('brings a version-1 database forward without losing data, numbering its log without gaps', async () => {
      const file = fresh();
      const db = new Database(file);
      db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);');
      db.exec(MIGRATIONS[0]!);
      const insert = db.prepare(`INSERT INTO statements (seq, task_id, kind, signer_org, peer_org, kid, jws, digest, stored_at) VALUES (?, 't', 'request', 'org-a', 'org-a', 'k', ?, ?, 1)`);
      // seq values with holes, as rolled-back inserts leave them.
      for (const seq of [1, 2, 5]) insert.run(seq, `j${seq}`, `d${seq}`);
      db.close();
      const store = open(file);
      expect((await store.listStatements()).map((s) => [s.jws, s.index])).toEqual([['j1', 0], ['j2', 1], ['j5', 2]]);
      await store.append([statement('t', 6)]);
      expect((await store.listStatements()).map((s) => s.index)).toEqual([0, 1, 2, 3]);
      const check = new Database(file, { readonly: true });
      expect(check.prepare("SELECT name FROM sqlite_master WHERE name = 'statements_identity'").pluck().get()).toBe('statements_identity');
      // Migration 11: a task's statements are found through the UNIQUE index the redundant one prefixed.
      expect(check.prepare("SELECT name FROM sqlite_master WHERE name = 'statements_task'").pluck().get()).toBeUndefined();
      const plan = check.prepare('EXPLAIN QUERY PLAN SELECT * FROM statements WHERE task_id = ? AND peer_org = ? ORDER BY log_index').all('t', 'org-a') as { detail: string }[];
      expect(plan.map((p) => p.detail).join('; ')).toMatch(/USING INDEX (sqlite_autoindex_statements_1|statements_identity)/);
      expect(() => check.prepare('SELECT 1').run()).not.toThrow();
      // Migration 12: the log position is the row's key; no seq, no index of its own on log_index.
      expect(check.prepare("SELECT name FROM pragma_table_info('statements') WHERE pk = 1").pluck().all()).toEqual(['log_index']);
      expect(check.prepare("SELECT name FROM sqlite_master WHERE name = 'statements_log_index'").pluck().get()).toBeUndefined();
      expect(check.prepare("SELECT rowid FROM statements ORDER BY rowid").pluck().all()).toEqual([0, 1, 2, 3]);
      check.close();
      // The append-only trigger is back after the migration's backfill.
      const raw = new Database(file);
      expect(() => raw.prepare('UPDATE statements SET log_index = 7').run()).toThrow(/append-only/);
      raw.close();
    });

    it('puts the acks a store held before the outbox existed into it as pending: ours only, one per task', async () => {
      const file = fresh();
      const db = new Database(file);
      db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (8);');
      db.function('entente_leaf_hash', (_jws: unknown) => Buffer.alloc(32));
      for (const step of MIGRATIONS.slice(0, 8)) db.exec(step);
      const insertTask = db.prepare(`INSERT INTO tasks (role, peer_org, task_id, capability, purpose, content_digest, salt, status, created_at, updated_at) VALUES (?, 'org-b', ?, 'c', 'p', 'd', 's', 'completed', 1, 1)`);
      insertTask.run('requester', 'ours');
      insertTask.run('responder', 'theirs');
      let n = 0;
      const insertStatement = db.prepare(
        `INSERT INTO statements (task_id, kind, signer_org, peer_org, kid, jws, digest, stored_at, leaf_hash, log_index) VALUES (?, ?, ?, 'org-b', 'k', ?, ?, ?, zeroblob(32), ?)`,
      );
      const add = (taskId: string, kind: string, signer: string, jws: string) => insertStatement.run(taskId, kind, signer, jws, `d-${jws}`, 100 + n, n++);
      add('ours', 'result', 'org-b', 'r1');
      add('ours', 'ack', 'org-a', 'a1');
      // A second ack of the same task (two calls settled it at once): one is owed.
      add('ours', 'ack', 'org-a', 'a2');
      add('theirs', 'ack', 'org-b', 'a3');
      db.close();
      const store = open(file);
      expect(await store.pendingAcks()).toEqual([{ peerOrg: 'org-b', taskId: 'ours', ack: 'a1', state: 'pending', attempts: 0, nextAt: 101, createdAt: 101 }]);
      expect(await store.getAck('org-b', 'theirs')).toBeUndefined();
    });

    it('keeps a settled ack as it was settled, even against direct SQL', async () => {
      const file = fresh();
      const store = open(file);
      await store.write({ acks: [outboxAck('t')] });
      await store.recordAckAttempt('org-b', 't', { state: 'delivered', attempts: 1, at: 4_000 });
      await store.close();
      const db = new Database(file);
      expect(() => db.prepare("UPDATE ack_outbox SET state = 'pending', delivered_at = NULL").run()).toThrow(/kept as it was settled/);
      expect(() => db.prepare("INSERT INTO ack_outbox (peer_org, task_id, ack_jws, state, attempts, next_at, created_at) VALUES ('o', 'x', 'j', 'delivered', 0, 1, 1)").run()).toThrow(/CHECK/);
      db.close();
    });

    it('says which file could not be opened', () => {
      expect(() => openSqliteStore(join(tmpdir(), 'no-such-dir-entente', 'x', 'entente.db'))).toThrow(
        expect.objectContaining({ code: 'STORE_OPEN_FAILED', message: expect.stringMatching(/no-such-dir-entente.*check that its directory exists/) }),
      );
    });
  });

  describe('read-only (offline) opening', () => {
    it('reads an existing store and refuses every write with STORE_READ_ONLY', async () => {
      const file = fresh();
      const writer = open(file);
      await writer.write({ tasks: [task('t')], statements: [statement('t', 1)] });
      await writer.close();
      const reader = open(file, { readonly: true });
      expect((await reader.listTasks()).map((t) => t.taskId)).toEqual(['t']);
      expect((await reader.listStatements()).map((s) => s.index)).toEqual([0]);
      await expect(reader.write({ tasks: [task('u')] })).rejects.toMatchObject({ code: 'STORE_READ_ONLY' });
      await expect(reader.claimTask(task('u'))).rejects.toMatchObject({ code: 'STORE_READ_ONLY' });
    });

    it('creates nothing where there is no store, and says so', () => {
      const file = fresh();
      expect(() => openSqliteStore(file, { readonly: true })).toThrow(expect.objectContaining({ code: 'STORE_OPEN_FAILED', message: expect.stringContaining('check dataDir') }));
      expect(existsSync(file)).toBe(false);
    });

    it('refuses a store at an older schema, which only a writable opening can migrate', async () => {
      const file = fresh();
      const db = new Database(file);
      db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);');
      db.exec(MIGRATIONS[0]!);
      db.close();
      expect(() => openSqliteStore(file, { readonly: true })).toThrow(expect.objectContaining({ code: 'STORE_SCHEMA_TOO_OLD' }));
    });
  });
});
