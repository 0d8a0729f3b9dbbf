// `npx tsx test/bench/micro-store.ts`: durable receipt appends per second into the SQLite
// store (WAL, synchronous=FULL), with group commit (many writes in flight share a
// transaction) against one write per transaction (each awaited before the next).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StatementRecord } from '../../gateway/src/audit/index.js';
import { openSqliteStore } from '../../gateway/src/store/index.js';

const ROWS = Number(process.env['BENCH_STORE_ROWS'] ?? 20_000);
const IN_FLIGHT = Number(process.env['BENCH_STORE_IN_FLIGHT'] ?? 256);
const jws = 'e'.repeat(120) + '.' + 'p'.repeat(400) + '.' + 's'.repeat(86);

const row = (i: number): StatementRecord => ({
  taskId: `task-${i}`, kind: 'request', signerOrg: 'org-a', peerOrg: 'org-b', kid: 'k1', jws, digest: `sha256:${i}`, storedAt: Date.now(),
});

async function run(name: string, rows: number, inFlight: number) {
  const dir = mkdtempSync(join(tmpdir(), 'entente-bench-'));
  const store = openSqliteStore(join(dir, 'bench.db'));
  const t0 = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < rows) await store.write({ statements: [row(next++)] });
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const result = { name, rows, in_flight: inFlight, rows_per_s: Math.round(rows / seconds), transactions: store.commits, mean_batch: +(store.writes / store.commits).toFixed(1) };
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return result;
}

const results = [await run('one write per transaction', Math.min(ROWS, 3000), 1), await run('group commit', ROWS, IN_FLIGHT)];
console.table(results);
