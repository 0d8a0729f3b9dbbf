import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type TaskRecord } from '../../../gateway/src/store/index.js';

const task = (id: string): TaskRecord => ({
  taskId: id, role: 'responder', peerOrg: 'org-a', capability: 'c', purpose: 'p', contentDigest: 'd', salt: 's',
  status: 'running', createdAt: 1, updatedAt: 1,
});
const statement = (id: string, n: number) => ({
  taskId: id, kind: 'request' as const, signerOrg: 'org-a', peerOrg: 'org-a', kid: 'k', jws: `jws-${n}`, digest: `digest-${n}`, storedAt: 1,
});

describe('the SQLite store', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'entente-store-'));
    dirs.push(dir);
    return join(dir, 'entente.db');
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('commits concurrent writes in one transaction and keeps them after reopening', async () => {
    const file = fresh();
    const store = openSqliteStore(file);
    await Promise.all(Array.from({ length: 100 }, (_, i) => store.write({ tasks: [task(`t${i}`)], statements: [statement(`t${i}`, i)] })));
    expect(store.commits).toBe(1);
    await store.close();
    const again = openSqliteStore(file);
    expect(again.listTasks({ limit: 1000 })).toHaveLength(100);
    expect(again.listStatements()).toHaveLength(100);
    await again.close();
  });

  it('lets exactly one of two concurrent claims of a task id create it', async () => {
    const store = openSqliteStore(fresh());
    const [x, y] = await Promise.all([store.claimTask(task('same')), store.claimTask({ ...task('same'), contentDigest: 'other' })]);
    expect([x.created, y.created].sort()).toEqual([false, true]);
    await store.close();
  });

  it('keeps statements append-only, even against direct SQL', async () => {
    const file = fresh();
    const store = openSqliteStore(file);
    await store.write({ statements: [statement('t', 1)] });
    await store.write({ statements: [statement('t', 1)] });
    expect(store.listStatements()).toHaveLength(1);
    await store.close();
    const db = new Database(file);
    expect(() => db.prepare("UPDATE statements SET jws = 'forged'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM statements').run()).toThrow(/append-only/);
    db.close();
  });
});
