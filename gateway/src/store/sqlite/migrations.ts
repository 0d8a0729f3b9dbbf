import type Database from 'better-sqlite3';
import { StoreSchemaTooNewError, StoreSchemaTooOldError } from '../errors.js';

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
  // 3: a gapless log position (the Merkle log's leaf index). seq, an AUTOINCREMENT rowid, may
  // skip values (a rolled-back insert burns one), so it cannot be that. Existing statements
  // are numbered in seq order; the append-only triggers stand aside only for that.
  `ALTER TABLE statements ADD COLUMN log_index INTEGER;
   DROP TRIGGER statements_no_update;
   UPDATE statements SET log_index = (SELECT count(*) FROM statements AS earlier WHERE earlier.seq < statements.seq);
   CREATE TRIGGER statements_no_update BEFORE UPDATE ON statements
     BEGIN SELECT RAISE(ABORT, 'statements are append-only'); END;
   CREATE UNIQUE INDEX statements_log_index ON statements (log_index);`,
  // 4: the log is numbered without gaps even against direct SQL: a statement must take the
  // next position, no other.
  `CREATE TRIGGER statements_gapless BEFORE INSERT ON statements
     WHEN NEW.log_index IS NULL OR NEW.log_index != (SELECT coalesce(max(log_index), -1) + 1 FROM statements)
     BEGIN SELECT RAISE(ABORT, 'statements take the next log position, without gaps'); END;`,
  // 5: workflow runs, event-sourced: one numbered sequence of events per run.
  `CREATE TABLE run_events (
     run_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, event_json TEXT NOT NULL,
     PRIMARY KEY (run_id, seq));
   CREATE TABLE runs_unfinished (run_id TEXT PRIMARY KEY);`,
  // 6: runs listed without reading their events: workflow, status, times (existing runs are
  // summarised from their events).
  `CREATE TABLE runs (
     run_id TEXT PRIMARY KEY, workflow TEXT NOT NULL, status TEXT NOT NULL,
     started_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
   CREATE INDEX runs_started ON runs (started_at DESC, run_id);
   INSERT INTO runs (run_id, workflow, status, started_at, updated_at)
     SELECT s.run_id, json_extract(s.event_json, '$.definition.name'),
            coalesce((SELECT json_extract(f.event_json, '$.status') FROM run_events f WHERE f.run_id = s.run_id AND f.type = 'run_finished'), 'running'),
            json_extract(s.event_json, '$.at'),
            (SELECT max(json_extract(l.event_json, '$.at')) FROM run_events l WHERE l.run_id = s.run_id)
     FROM run_events s WHERE s.type = 'run_started';`,
  // 7: partners' requests the inbound policy held for a person, and the decision on each (who,
  // why, when), kept as evidence: a decision, once made, never changes. Never the input.
  `CREATE TABLE inbound_approvals (
     peer_org TEXT NOT NULL, task_id TEXT NOT NULL, capability TEXT NOT NULL, purpose TEXT NOT NULL,
     inbound_decision_id TEXT NOT NULL, inbound_policy_revision TEXT NOT NULL, requested_at INTEGER NOT NULL,
     decision TEXT CHECK (decision IN ('approve','reject')), decided_by TEXT, decided_reason TEXT, decided_at INTEGER,
     CHECK ((decision IS NULL) = (decided_by IS NULL) AND (decision IS NULL) = (decided_reason IS NULL) AND (decision IS NULL) = (decided_at IS NULL)),
     PRIMARY KEY (peer_org, task_id));
   CREATE INDEX inbound_approvals_requested ON inbound_approvals (requested_at, peer_org, task_id);
   CREATE TRIGGER inbound_approvals_decided BEFORE UPDATE ON inbound_approvals WHEN OLD.decision IS NOT NULL
     BEGIN SELECT RAISE(ABORT, 'an approval decision never changes'); END;
   CREATE TRIGGER inbound_approvals_no_delete BEFORE DELETE ON inbound_approvals
     BEGIN SELECT RAISE(ABORT, 'approval decisions are kept'); END;`,
  // 8: the Merkle log. The statements table is rebuilt: a statement's leaf hash
  // (SHA-256(0x00 || its compact JWS)) is kept with it, so the tree is rebuilt at start without
  // re-hashing every statement (existing ones are hashed here by entente_leaf_hash, which the
  // driver registers), and workflow runs' statements (kind 'run') join the log. Then: our signed
  // checkpoints and the cosignatures partners returned; partners' checkpoints we verified as
  // their witness; alarms, the evidence of a partner's log rewritten or forked.
  `CREATE TABLE statements_v8 (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     task_id TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('request','result','ack','run')),
     signer_org TEXT NOT NULL, peer_org TEXT NOT NULL, kid TEXT NOT NULL,
     jws TEXT NOT NULL, digest TEXT NOT NULL, stored_at INTEGER NOT NULL, log_index INTEGER NOT NULL,
     leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32),
     UNIQUE (peer_org, task_id, kind, digest));
   INSERT INTO statements_v8 (seq, task_id, kind, signer_org, peer_org, kid, jws, digest, stored_at, log_index, leaf_hash)
     SELECT seq, task_id, kind, signer_org, peer_org, kid, jws, digest, stored_at, log_index, entente_leaf_hash(jws) FROM statements;
   DROP TABLE statements;
   ALTER TABLE statements_v8 RENAME TO statements;
   CREATE INDEX statements_task ON statements (peer_org, task_id);
   CREATE UNIQUE INDEX statements_identity ON statements (task_id, kind, signer_org, digest);
   CREATE UNIQUE INDEX statements_log_index ON statements (log_index);
   CREATE TRIGGER statements_no_update BEFORE UPDATE ON statements
     BEGIN SELECT RAISE(ABORT, 'statements are append-only'); END;
   CREATE TRIGGER statements_no_delete BEFORE DELETE ON statements
     BEGIN SELECT RAISE(ABORT, 'statements are append-only'); END;
   CREATE TRIGGER statements_gapless BEFORE INSERT ON statements
     WHEN NEW.log_index IS NULL OR NEW.log_index != (SELECT coalesce(max(log_index), -1) + 1 FROM statements)
     BEGIN SELECT RAISE(ABORT, 'statements take the next log position, without gaps'); END;
   CREATE TABLE log_checkpoints (size INTEGER PRIMARY KEY, note TEXT NOT NULL, created_at INTEGER NOT NULL);
   CREATE TABLE log_cosignatures (
     size INTEGER NOT NULL, witness TEXT NOT NULL, line TEXT NOT NULL, received_at INTEGER NOT NULL,
     PRIMARY KEY (size, witness, line));
   CREATE TABLE witnessed_checkpoints (
     partner TEXT NOT NULL, size INTEGER NOT NULL, note TEXT NOT NULL, verified_at INTEGER NOT NULL,
     PRIMARY KEY (partner, size));
   CREATE TABLE log_alarms (
     id INTEGER PRIMARY KEY AUTOINCREMENT, partner TEXT NOT NULL, at INTEGER NOT NULL, code TEXT NOT NULL,
     message TEXT NOT NULL, held TEXT, offending TEXT NOT NULL);
   CREATE TRIGGER log_alarms_no_delete BEFORE DELETE ON log_alarms
     BEGIN SELECT RAISE(ABORT, 'alarms are evidence and are kept'); END;
   -- Keys partners published on their cards (receipt JWKs, log vkeys): kept, so that what
   -- they signed before a rotation still verifies and is exported with its key.
   CREATE TABLE partner_keys (
     partner TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('receipt','log')), key TEXT NOT NULL, first_seen INTEGER NOT NULL,
     PRIMARY KEY (partner, kind, key));`,
  // 9: the decision log, for replaying policy decisions: each policy revision's content, kept once
  // under its hash; each decision with its revision, time, salted input digest and outcome
  // (never a payload), append-only like the statements; and, when retention is on, the decision's
  // input sealed (AES-256-GCM) until its retention period ends, then deleted, leaving when.
  `CREATE TABLE policy_revisions (
     revision TEXT PRIMARY KEY, engine TEXT NOT NULL CHECK (engine IN ('rego','opa-wasm')),
     content BLOB NOT NULL, stored_at INTEGER NOT NULL);
   CREATE TRIGGER policy_revisions_no_update BEFORE UPDATE ON policy_revisions
     BEGIN SELECT RAISE(ABORT, 'a policy revision never changes'); END;
   CREATE TRIGGER policy_revisions_no_delete BEFORE DELETE ON policy_revisions
     BEGIN SELECT RAISE(ABORT, 'policy revisions are kept'); END;
   CREATE TABLE policy_decisions (
     decision_id TEXT PRIMARY KEY, point TEXT NOT NULL CHECK (point IN ('outbound','inbound','disclosure','card')),
     revision TEXT NOT NULL, decided_at INTEGER NOT NULL, salt TEXT NOT NULL, input_digest TEXT NOT NULL,
     outcome_json TEXT NOT NULL);
   CREATE INDEX policy_decisions_decided ON policy_decisions (decided_at);
   CREATE TRIGGER policy_decisions_no_update BEFORE UPDATE ON policy_decisions
     BEGIN SELECT RAISE(ABORT, 'decision records are append-only'); END;
   CREATE TRIGGER policy_decisions_no_delete BEFORE DELETE ON policy_decisions
     BEGIN SELECT RAISE(ABORT, 'decision records are append-only'); END;
   CREATE TABLE policy_decision_inputs (
     decision_id TEXT PRIMARY KEY, key_id TEXT NOT NULL, sealed BLOB, kept_at INTEGER NOT NULL, deleted_at INTEGER,
     CHECK ((sealed IS NULL) = (deleted_at IS NOT NULL)));
   CREATE INDEX policy_decision_inputs_kept ON policy_decision_inputs (kept_at) WHERE sealed IS NOT NULL;
   CREATE TRIGGER policy_decision_inputs_no_delete BEFORE DELETE ON policy_decision_inputs
     BEGIN SELECT RAISE(ABORT, 'a retained input is deleted by clearing it, so that its deletion stays on record'); END;
   CREATE TRIGGER policy_decision_inputs_only_cleared BEFORE UPDATE ON policy_decision_inputs
     WHEN OLD.sealed IS NULL OR NEW.sealed IS NOT NULL OR NEW.decision_id IS NOT OLD.decision_id
       OR NEW.key_id IS NOT OLD.key_id OR NEW.kept_at IS NOT OLD.kept_at
     BEGIN SELECT RAISE(ABORT, 'a retained input can only be deleted'); END;`,
  // 10: the outbox of our acks, retried until the partner has each one. A row is kept once
  // delivered (when) or refused for good (when, why) and never changes after. Acks stored before
  // the outbox existed had their delivery tried a few times and then forgotten: they enter as
  // pending, so each is sent again (a partner stores an ack once; one it already has costs a call).
  // Ours are the acks we signed: signer_org is not the peer's.
  `CREATE TABLE ack_outbox (
     peer_org TEXT NOT NULL, task_id TEXT NOT NULL, ack_jws TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('pending','delivered','failed')),
     attempts INTEGER NOT NULL CHECK (attempts >= 0), next_at INTEGER NOT NULL, last_error TEXT,
     created_at INTEGER NOT NULL, delivered_at INTEGER, failed_at INTEGER,
     CHECK ((state = 'delivered') = (delivered_at IS NOT NULL) AND (state = 'failed') = (failed_at IS NOT NULL)),
     PRIMARY KEY (peer_org, task_id));
   CREATE INDEX ack_outbox_due ON ack_outbox (next_at, peer_org, task_id) WHERE state = 'pending';
   CREATE TRIGGER ack_outbox_settled BEFORE UPDATE ON ack_outbox WHEN OLD.state != 'pending'
     BEGIN SELECT RAISE(ABORT, 'a delivered or refused ack is kept as it was settled'); END;
   INSERT INTO ack_outbox (peer_org, task_id, ack_jws, state, attempts, next_at, created_at)
     SELECT s.peer_org, s.task_id, s.jws, 'pending', 0, s.stored_at, s.stored_at
     FROM statements s JOIN tasks t ON t.role = 'requester' AND t.peer_org = s.peer_org AND t.task_id = s.task_id
     WHERE s.kind = 'ack' AND s.signer_org != s.peer_org
     ORDER BY s.log_index
     ON CONFLICT (peer_org, task_id) DO NOTHING;`,
  // 11: statements_task (peer_org, task_id) is a prefix of the UNIQUE (peer_org, task_id, kind,
  // digest) index and serves no query that one does not: each append paid a page of its own
  // for it (issue 11 counted the pages each group commit writes to the WAL).
  `DROP INDEX statements_task;`,
  // 12: the log position is the row's key. seq, an AUTOINCREMENT rowid beside it, cost every
  // append a row of its own in sqlite_sequence and one more unique index (on log_index):
  // ~13% of an append, three appends per task on each side (issue 11). Same rows, same
  // constraints and triggers.
  `CREATE TABLE statements_v12 (
     log_index INTEGER PRIMARY KEY,
     task_id TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('request','result','ack','run')),
     signer_org TEXT NOT NULL, peer_org TEXT NOT NULL, kid TEXT NOT NULL,
     jws TEXT NOT NULL, digest TEXT NOT NULL, stored_at INTEGER NOT NULL,
     leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32),
     UNIQUE (peer_org, task_id, kind, digest));
   INSERT INTO statements_v12 (log_index, task_id, kind, signer_org, peer_org, kid, jws, digest, stored_at, leaf_hash)
     SELECT log_index, task_id, kind, signer_org, peer_org, kid, jws, digest, stored_at, leaf_hash FROM statements ORDER BY log_index;
   DROP TABLE statements;
   ALTER TABLE statements_v12 RENAME TO statements;
   CREATE UNIQUE INDEX statements_identity ON statements (task_id, kind, signer_org, digest);
   CREATE TRIGGER statements_no_update BEFORE UPDATE ON statements
     BEGIN SELECT RAISE(ABORT, 'statements are append-only'); END;
   CREATE TRIGGER statements_no_delete BEFORE DELETE ON statements
     BEGIN SELECT RAISE(ABORT, 'statements are append-only'); END;
   CREATE TRIGGER statements_gapless BEFORE INSERT ON statements
     WHEN NEW.log_index IS NULL OR NEW.log_index != (SELECT coalesce(max(log_index), -1) + 1 FROM statements)
     BEGIN SELECT RAISE(ABORT, 'statements take the next log position, without gaps'); END;`,
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

/**
 * For a read-only opening: the store must be at exactly the schema this Entente writes (an
 * older one would need the migration a read-only opening cannot run).
 */
export function checkSchema(db: Database.Database): void {
  let version = 0;
  try {
    version = (db.prepare('SELECT max(version) AS version FROM schema_version').get() as { version: number | null }).version ?? 0;
  } catch {
    // no schema_version table: not an Entente store, or an empty one
  }
  if (version > MIGRATIONS.length) {
    throw new StoreSchemaTooNewError(`the store is at schema ${version}, newer than this Entente knows (${MIGRATIONS.length}); upgrade entente`);
  }
  if (version < MIGRATIONS.length) {
    throw new StoreSchemaTooOldError(`the store is at schema ${version}, older than this Entente's ${MIGRATIONS.length}; start the gateway once to migrate it, then read it offline`);
  }
}
