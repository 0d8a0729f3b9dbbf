import type Database from 'better-sqlite3';
import { StoreSchemaTooNewError } from './errors.js';

/**
 * The schema, one step per version; a database is brought forward step by step. Steps are
 * never edited once released (a released database has already run them): add a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: tasks, the append-only statement log.
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
  // 2: a statement's identity is (task, kind, signer, digest), whoever it was stored for;
  // tasks listed newest first without a sort.
  `CREATE UNIQUE INDEX statements_identity ON statements (task_id, kind, signer_org, digest);
   CREATE INDEX tasks_created ON tasks (created_at DESC, task_id);`,
];

/**
 * Brings the database to the latest schema; refuses a newer one. The version is read inside
 * the write transaction, so two processes opening a new file cannot both migrate it.
 */
export function migrate(db: Database.Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  return db
    .transaction((): number => {
      const row = db.prepare('SELECT max(version) AS version FROM schema_version').get() as { version: number | null };
      const current = row.version ?? 0;
      if (current > MIGRATIONS.length) {
        throw new StoreSchemaTooNewError(
          `the store is at schema ${current}, newer than this Entente knows (${MIGRATIONS.length}); upgrade the gateway or use another data directory`,
        );
      }
      if (current === MIGRATIONS.length) return current;
      for (let v = current; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
      db.prepare('DELETE FROM schema_version').run();
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(MIGRATIONS.length);
      return MIGRATIONS.length;
    })
    .immediate();
}
