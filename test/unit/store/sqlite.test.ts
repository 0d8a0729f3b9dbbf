import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStoreOptions, type StatementRecord, type TaskRecord } from '../../../gateway/src/store/index.js';

const task = (id: string, over: Partial<TaskRecord> = {}): TaskRecord => ({
  taskId: id, role: 'responder', peerOrg: 'org-a', capability: 'patients.count', purpose: 'research',
  contentDigest: `sha256:content-${id}`, salt: `salt-${id}`, status: 'running', createdAt: 1_000, updatedAt: 1_000, ...over,
});
const statement = (id: string, n: number, over: Partial<StatementRecord> = {}): StatementRecord => ({
  taskId: id, kind: 'request', signerOrg: 'org-a', peerOrg: 'org-a', kid: 'k1', jws: `h.p${n}.s`, digest: `sha256:d${n}`, storedAt: 2_000, ...over,
});

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

  describe('durability', () => {
    it('keeps every acknowledged write after closing and reopening', async () => {
      const file = fresh();
      const store = open(file);
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.write({ tasks: [task(`t${i}`)], statements: [statement(`t${i}`, i)] })));
      await store.close();
      const again = open(file);
      expect(again.listTasks()).toHaveLength(50);
      expect(again.listStatements().map((s) => s.taskId)).toEqual(Array.from({ length: 50 }, (_, i) => `t${i}`));
      expect(again.getTask('responder', 'org-a', 't7')).toEqual(task('t7'));
    });

    it('commits writes queued before close, then refuses new ones with STORE_CLOSED', async () => {
      const file = fresh();
      const store = open(file, { groupCommitMs: 10_000 });
      const pending = store.write({ tasks: [task('late')] });
      await store.close();
      await expect(pending).resolves.toBeUndefined();
      await expect(store.write({ tasks: [task('after')] })).rejects.toMatchObject({ code: 'STORE_CLOSED' });
      expect(() => store.getTask('responder', 'org-a', 'late')).toThrow(expect.objectContaining({ code: 'STORE_CLOSED' }));
      const again = open(file);
      expect(again.getTask('responder', 'org-a', 'late')?.taskId).toBe('late');
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
      expect(store.listTasks()).toHaveLength(25);
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
      expect(store.getTask('responder', 'org-a', 'poison')).toBeUndefined();
      expect(store.listTasks().map((t) => t.taskId).sort()).toEqual(['ok-1', 'ok-2']);
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
      expect(store.listTasks()).toEqual([]);
      expect(store.commits).toBe(0);
      // The store keeps working afterwards.
      await store.write({ tasks: [task('c')] });
      expect(store.listTasks().map((t) => t.taskId)).toEqual(['c']);
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

  describe('tasks', () => {
    it('upserts status, reason, result and updatedAt but never a task identity, salt or content digest', async () => {
      const store = open(fresh());
      await store.write({ tasks: [task('t', { reason: 'x' })] });
      await store.write({ tasks: [task('t', { status: 'completed', resultJson: '{"count":3}', updatedAt: 5_000, salt: 'other', contentDigest: 'other' })] });
      expect(store.getTask('responder', 'org-a', 't')).toEqual({ ...task('t'), status: 'completed', resultJson: '{"count":3}', updatedAt: 5_000 });
    });

    it('lists tasks newest first with filters and a limit', async () => {
      const store = open(fresh());
      await store.write({
        tasks: [
          task('old', { createdAt: 1 }),
          task('mid', { createdAt: 2, peerOrg: 'org-b', status: 'failed' }),
          task('new', { createdAt: 3, role: 'requester' }),
        ],
      });
      expect(store.listTasks().map((t) => t.taskId)).toEqual(['new', 'mid', 'old']);
      expect(store.listTasks({ limit: 2 }).map((t) => t.taskId)).toEqual(['new', 'mid']);
      expect(store.listTasks({ peerOrg: 'org-b' }).map((t) => t.taskId)).toEqual(['mid']);
      expect(store.listTasks({ role: 'requester' }).map((t) => t.taskId)).toEqual(['new']);
      expect(store.listTasks({ status: 'failed', taskId: 'mid' }).map((t) => t.taskId)).toEqual(['mid']);
      expect(() => store.listTasks({ limit: -1 })).toThrow(/limit -1/);
    });
  });

  describe('claimTask', () => {
    it('lets exactly one of many concurrent claims of a task id create it', async () => {
      const store = open(fresh());
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.claimTask(task('same', { contentDigest: `c${i}` }), [statement('same', i)])),
      );
      expect(claims.filter((c) => c.created)).toHaveLength(1);
      const winner = claims.findIndex((c) => c.created);
      for (const c of claims) if (!c.created) expect(c.existing.contentDigest).toBe(`c${winner}`);
      // Only the winner's statement was appended.
      expect(store.listStatements({ taskId: 'same' }).map((s) => s.digest)).toEqual([`sha256:d${winner}`]);
    });

    it('is race-free across two connections to the same file', async () => {
      const file = fresh();
      const a = open(file);
      const b = open(file);
      const [x, y] = await Promise.all([a.claimTask(task('shared')), b.claimTask(task('shared', { contentDigest: 'other' }))]);
      expect([x.created, y.created].sort()).toEqual([false, true]);
    });

    it('returns the existing task on a resubmission, and is per (role, peer, id)', async () => {
      const store = open(fresh());
      expect(await store.claimTask(task('t'))).toEqual({ created: true });
      expect(await store.claimTask(task('t', { status: 'received' }))).toEqual({ created: false, existing: task('t') });
      expect((await store.claimTask(task('t', { peerOrg: 'org-b' }))).created).toBe(true);
      expect((await store.claimTask(task('t', { role: 'requester' }))).created).toBe(true);
    });

    it('refuses an invalid claim', async () => {
      const store = open(fresh());
      await expect(store.claimTask({ ...task('t'), role: 'observer' as never })).rejects.toMatchObject({ code: 'STORE_INVALID_RECORD' });
    });
  });

  describe('statements', () => {
    it('appends idempotently on (taskId, kind, signerOrg, digest)', async () => {
      const store = open(fresh());
      const s = statement('t', 1);
      await Promise.all([store.write({ statements: [s, s] }), store.write({ statements: [s] })]);
      await store.write({ statements: [s] });
      // Stored for another peer, it is still the same statement.
      await store.write({ statements: [{ ...s, peerOrg: 'org-b', storedAt: 9 }] });
      expect(store.listStatements()).toHaveLength(1);
      // Another digest, kind or task is another statement.
      await store.write({ statements: [statement('t', 2), { ...s, kind: 'ack' }, { ...s, taskId: 'u' }] });
      expect(store.listStatements()).toHaveLength(4);
    });

    it('lists in log order with filters, afterSeq paging and a limit', async () => {
      const store = open(fresh());
      await store.write({
        statements: [
          statement('a', 1),
          statement('a', 2, { kind: 'result', signerOrg: 'org-b' }),
          statement('b', 3, { peerOrg: 'org-b' }),
          statement('a', 4, { kind: 'ack' }),
        ],
      });
      const all = store.listStatements();
      expect(all.map((s) => s.seq)).toEqual([1, 2, 3, 4]);
      expect(all[1]).toEqual({ ...statement('a', 2, { kind: 'result', signerOrg: 'org-b' }), seq: 2 });
      expect(store.listStatements({ taskId: 'a', kind: 'ack' }).map((s) => s.seq)).toEqual([4]);
      expect(store.listStatements({ peerOrg: 'org-b' }).map((s) => s.seq)).toEqual([3]);
      expect(store.listStatements({ afterSeq: 2, limit: 1 }).map((s) => s.seq)).toEqual([3]);
    });

    it('ignores a caller-chosen seq: positions are the log’s to assign', async () => {
      const store = open(fresh());
      await store.write({ statements: [statement('a', 1, { seq: 99 })] });
      expect(store.listStatements()[0]?.seq).toBe(1);
    });

    it('keeps statements append-only, even against direct SQL', async () => {
      const file = fresh();
      const store = open(file);
      await store.write({ statements: [statement('t', 1)] });
      await store.close();
      const db = new Database(file);
      expect(() => db.prepare("UPDATE statements SET jws = 'forged'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM statements').run()).toThrow(/append-only/);
      expect(db.prepare('SELECT jws FROM statements').pluck().all()).toEqual(['h.p1.s']);
      db.close();
    });
  });

  describe('schema', () => {
    it('records its version and refuses a database from a newer Entente', async () => {
      const file = fresh();
      await open(file).close();
      const db = new Database(file);
      expect(db.prepare('SELECT version FROM schema_version').pluck().get()).toBe(2);
      db.prepare('UPDATE schema_version SET version = 99').run();
      db.close();
      expect(() => openSqliteStore(file)).toThrow(expect.objectContaining({ code: 'STORE_SCHEMA_TOO_NEW' }));
    });

    it('brings a version-1 database forward without losing data', async () => {
      const file = fresh();
      await open(file).close();
      const db = new Database(file);
      db.exec('DROP INDEX statements_identity; DROP INDEX tasks_created; UPDATE schema_version SET version = 1');
      db.prepare(`INSERT INTO statements (task_id, kind, signer_org, peer_org, kid, jws, digest, stored_at) VALUES ('t','request','org-a','org-a','k','j','d',1)`).run();
      db.close();
      const store = open(file);
      expect(store.listStatements()).toHaveLength(1);
      const check = new Database(file, { readonly: true });
      expect(check.prepare("SELECT name FROM sqlite_master WHERE name = 'statements_identity'").pluck().get()).toBe('statements_identity');
      check.close();
    });

    it('says which file could not be opened', () => {
      expect(() => openSqliteStore(join(tmpdir(), 'no-such-dir-entente', 'x', 'entente.db'))).toThrow(
        expect.objectContaining({ code: 'STORE_OPEN_FAILED', message: expect.stringMatching(/no-such-dir-entente.*check that its directory exists/) }),
      );
    });
  });
});
