// `npm run bench:audit`: the audit log's costs, each beside a baseline measured in the same
// run (these machines are shared and noisy):
// - appends_per_s: durable statement appends (WAL, synchronous=FULL) with group commit, the
//   Merkle tree following the store and a checkpoint signed after each batch, as the gateway
//   does, against bare better-sqlite3 inserting the same rows in the same batches;
// - proof_ms_1m: inclusion and consistency proof generation over a log of 1,000,000
//   statements (and how long the log takes to open: reading and hashing its tree);
// - verify_receipts_per_s: `audit verify` throughput on one core, in receipt triples (with
//   their inclusion proofs) per second, against three bare ECDSA P-256 verifications; and
//   verify_batched_receipts_per_s, the same for statements signed in batches of 16 (protocol
//   §5.9), as a gateway signs them under load.
import { createSign, createVerify, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  AuditLog,
  exportBundle,
  leafHash,
  NoteKey,
  signToSend,
  verifyBundle,
  type StatementRecord,
} from '../../gateway/dist/audit/index.js';
import { SigningKey } from '../../gateway/dist/crypto/index.js';
import { generateLogKey, generateReceiptKey } from '../../gateway/dist/pki/index.js';
import { openSqliteStore } from '../../gateway/dist/store/index.js';
import { REPO } from '../support/paths.js';

const APPENDS = Number(process.env['BENCH_AUDIT_APPENDS'] ?? 60_000);
const IN_FLIGHT = Number(process.env['BENCH_AUDIT_IN_FLIGHT'] ?? 256);
const LEAVES = Number(process.env['BENCH_AUDIT_LEAVES'] ?? 1_000_000);
const TRIPLES = Number(process.env['BENCH_AUDIT_TRIPLES'] ?? 3000);
/** Statements of a kind signed together in the batched bundle (what a gateway under load does). */
const BATCH = Number(process.env['BENCH_AUDIT_BATCH'] ?? 16);

const dir = mkdtempSync(join(tmpdir(), 'entente-bench-audit-'));
const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
/** A statement about the size of a real one (a request's JWS is ~600 bytes). */
const jwsOf = (i: number) => `${'h'.repeat(110)}.${Buffer.from(`{"i":${i},"pad":"${'p'.repeat(380)}"}`).toString('base64url')}.${'s'.repeat(86)}`;
const record = (i: number): StatementRecord => ({ taskId: `t-${i}`, kind: 'request', signerOrg: 'org-a', peerOrg: 'org-b', kid: 'k', jws: jwsOf(i), digest: `sha256:${i}`, storedAt: Date.now() });
const logKey = () => NoteKey.fromJwk('entente/bench', generateLogKey());

async function appends(): Promise<Record<string, number>> {
  const store = openSqliteStore(join(dir, 'appends.db'), { checkpointMs: 0 });
  const log = new AuditLog(store, logKey(), () => Date.now());
  await log.open();
  let next = 0;
  const signed = new Set<bigint>();
  const t0 = process.hrtime.bigint();
  const worker = async () => {
    while (next < APPENDS) {
      await store.append([record(next++)]);
      // What an exchange does after its statement is durable: a checkpoint covering it.
      signed.add((await log.checkpoint()).size);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const ours = APPENDS / seconds(t0);
  const batches = store.commits;
  await store.close();

  // Baseline: the same rows, in batches of the mean size ours made, inserted by bare
  // better-sqlite3 with synchronous=FULL.
  const db = new Database(join(dir, 'bare.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE s (i INTEGER PRIMARY KEY, task_id TEXT, jws TEXT, digest TEXT, leaf_hash BLOB)');
  const insert = db.prepare('INSERT INTO s (task_id, jws, digest, leaf_hash) VALUES (?, ?, ?, ?)');
  const batch = Math.max(1, Math.round(APPENDS / batches));
  const t1 = process.hrtime.bigint();
  const tx = db.transaction((from: number) => {
    for (let i = from; i < Math.min(APPENDS, from + batch); i++) insert.run(`t-${i}`, jwsOf(i), `sha256:${i}`, leafHash(jwsOf(i)));
  });
  for (let i = 0; i < APPENDS; i += batch) tx(i);
  const bare = APPENDS / seconds(t1);
  db.close();
  return { appends_per_s: Math.round(ours), bare_sqlite_rows_per_s: Math.round(bare), appends_ratio: +(ours / bare).toFixed(2), mean_batch: batch, checkpoints_signed: signed.size };
}

async function proofs(): Promise<Record<string, number>> {
  // A log of LEAVES statements, written straight into the store's tables (one transaction).
  const file = join(dir, 'million.db');
  openSqliteStore(file).close();
  const db = new Database(file);
  const insert = db.prepare(
    `INSERT INTO statements (task_id, kind, signer_org, peer_org, kid, jws, digest, stored_at, leaf_hash, log_index) VALUES (?, 'request', 'org-a', 'org-b', 'k', ?, ?, 0, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < LEAVES; i++) {
      const jws = `h.${i}.s`;
      insert.run(`t-${i}`, jws, `sha256:${i}`, leafHash(jws), i);
    }
  })();
  db.close();
  const store = openSqliteStore(file, { checkpointMs: 0 });
  const log = new AuditLog(store, logKey(), () => Date.now());
  const t0 = process.hrtime.bigint();
  await log.open();
  const openMs = seconds(t0) * 1000;
  const heap = process.memoryUsage().arrayBuffers;
  const n = 2000;
  const t1 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) log.inclusionProof(Math.floor(Math.random() * LEAVES), LEAVES);
  const inclusionMs = (seconds(t1) * 1000) / n;
  const t2 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) log.consistencyProof(1 + Math.floor(Math.random() * (LEAVES - 1)), LEAVES);
  const consistencyMs = (seconds(t2) * 1000) / n;
  await store.close();
  return {
    leaves: LEAVES,
    open_ms_1m: Math.round(openMs),
    inclusion_proof_ms_1m: +inclusionMs.toFixed(4),
    consistency_proof_ms_1m: +consistencyMs.toFixed(4),
    proof_ms_1m: +Math.max(inclusionMs, consistencyMs).toFixed(4),
    tree_buffers_mib: Math.round(heap / 2 ** 20),
  };
}

/**
 * `audit verify` on a bundle of TRIPLES receipt triples with their inclusion proofs. `batch`:
 * how many of each kind of statement were signed together (1: each alone; more: as a gateway
 * signs under load, protocol §5.9).
 */
async function verifyBundleOf(batch: number): Promise<{ perSecond: number }> {
  const [ka, kb] = [SigningKey.fromJwk(generateReceiptKey().privateJwk), SigningKey.fromJwk(generateReceiptKey().privateJwk)];
  const store = openSqliteStore(join(dir, `verify-${batch}.db`), { checkpointMs: 0 });
  const log = new AuditLog(store, logKey(), () => Date.now());
  await log.open();
  const digest = `sha256:${'A'.repeat(43)}`;
  const rec = (taskId: string, kind: StatementRecord['kind'], signer: string, s: { jws: string; digest: string; kid: string }): StatementRecord => ({
    taskId, kind, signerOrg: signer, peerOrg: 'org-b', kid: s.kid, jws: s.jws, digest: s.digest, storedAt: Date.now(),
  });
  // Signed alone (batchFor undefined) or with the others of its group, one signature per group.
  const sign = <T>(n: number, one: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => one(i)));
  const rows: StatementRecord[] = [];
  for (let i = 0; i < TRIPLES; i += batch) {
    const n = Math.min(batch, TRIPLES - i);
    const to = batch > 1 ? 'org-b' : undefined;
    const back = batch > 1 ? 'org-a' : undefined;
    const ids = Array.from({ length: n }, () => randomUUID());
    const now = Math.floor(Date.now() / 1000);
    const requests = await sign(n, (k) => signToSend(ka, 'request', { task_id: ids[k]!, from: 'org-a', to: 'org-b', capability: 'bench.echo', purpose: 'bench', input_digest: digest, exp: now + 60, outbound: { decision_id: 'd', policy_revision: 'r' } }, to));
    const results = await sign(n, (k) => signToSend(kb, 'result', { task_id: ids[k]!, from: 'org-b', to: 'org-a', request_digest: requests[k]!.digest, status: 'completed', result_digest: digest, inbound: null, disclosure: null }, back));
    const acks = await sign(n, (k) => signToSend(ka, 'ack', { task_id: ids[k]!, from: 'org-a', to: 'org-b', result_statement_digest: results[k]!.digest }, to));
    for (let k = 0; k < n; k++) rows.push(rec(ids[k]!, 'request', 'org-a', requests[k]!), rec(ids[k]!, 'result', 'org-b', results[k]!), rec(ids[k]!, 'ack', 'org-a', acks[k]!));
  }
  await store.append(rows);
  const keyOf = (k: SigningKey) => ({ jwk: k.publicJwk as never, valid_from: null, valid_until: null });
  const bundle = JSON.parse(
    JSON.stringify(
      await exportBundle({
        org: 'org-a',
        store,
        log,
        keys: { 'org-a': { log: [{ vkey: log.vkey.text, valid_from: null, valid_until: null }], receipt: [keyOf(ka)] }, 'org-b': { log: [], receipt: [keyOf(kb)] } },
        tasks: async (ids) => [...ids].map((taskId) => ({ taskId, role: 'requester' as const, peerOrg: 'org-b', capability: 'bench.echo', purpose: 'bench', status: 'completed', ack: 'delivered' as const })),
        now: () => Date.now(),
      }),
    ),
  );
  await store.close();
  if (process.env['BENCH_AUDIT_KEEP_BUNDLE'] !== undefined && batch === 1) writeFileSync(process.env['BENCH_AUDIT_KEEP_BUNDLE'], JSON.stringify(bundle));
  const t0 = process.hrtime.bigint();
  const report = verifyBundle(bundle);
  const perSecond = TRIPLES / seconds(t0);
  if (!report.ok) throw new Error(`the bench bundle does not verify: ${JSON.stringify(report.findings.slice(0, 3))}`);
  return { perSecond };
}

async function verify(): Promise<Record<string, number>> {
  const single = await verifyBundleOf(1);
  const batched = await verifyBundleOf(BATCH);
  // Baseline: three bare ECDSA P-256 verifications of 600-byte messages per triple.
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const message = Buffer.from(jwsOf(0));
  const sig = createSign('sha256').update(message).sign(privateKey);
  const t1 = process.hrtime.bigint();
  for (let i = 0; i < TRIPLES * 3; i++) createVerify('sha256').update(message).verify(publicKey, sig);
  const bare = TRIPLES / seconds(t1);
  return {
    triples: TRIPLES,
    verify_receipts_per_s: Math.round(single.perSecond),
    bare_ecdsa_triples_per_s: Math.round(bare),
    verify_ratio: +(single.perSecond / bare).toFixed(2),
    // The same triples with statements signed in batches, as a gateway signs them under load.
    statements_per_batch: BATCH,
    verify_batched_receipts_per_s: Math.round(batched.perSecond),
    verify_batched_ratio: +(batched.perSecond / bare).toFixed(2),
  };
}

try {
  const results = { ...(await appends()), ...(await proofs()), ...(await verify()), node: process.version, measured_at: new Date().toISOString() };
  mkdirSync(join(REPO, 'bench-results'), { recursive: true });
  writeFileSync(join(REPO, 'bench-results/audit.json'), JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(JSON.stringify(results, null, 2) + '\nwritten to bench-results/audit.json\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
