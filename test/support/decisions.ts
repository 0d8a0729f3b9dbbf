import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../gateway/src/observability/index.js';
import { openSqliteStore, type SqliteStore } from '../../gateway/src/store/index.js';
import { REPO } from './paths.js';

/** A logger whose JSON lines land in `lines`, parsed. */
export function capturedLogger(): { readonly logger: Logger; readonly lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

/** A scratch directory with a real SQLite store in it, and the shipped policies plus an organization's agreements beside it. */
export interface DecisionScratch {
  readonly dir: string;
  readonly file: string;
  readonly store: SqliteStore;
  /** policies/default and the organization folder (whose data.json `writeAgreements` rewrites). */
  readonly policyDirs: readonly string[];
  writeAgreements(agreements: unknown): void;
  dispose(): Promise<void>;
}

export function decisionScratch(agreements: unknown): DecisionScratch {
  const dir = mkdtempSync(join(tmpdir(), 'entente-decisions-'));
  const org = join(dir, 'policies', 'org');
  mkdirSync(org, { recursive: true });
  const writeAgreements = (a: unknown) => writeFileSync(join(org, 'data.json'), JSON.stringify({ agreements: a }, null, 2));
  writeAgreements(agreements);
  const file = join(dir, 'entente.db');
  const store = openSqliteStore(file, { checkpointMs: 0 });
  return {
    dir,
    file,
    store,
    policyDirs: [join(REPO, 'policies/default'), org],
    writeAgreements,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Agreements of the shipped policies: `partner` may ask patients.count for research (inbound), and we may ask it (outbound). */
export function agreementsWith(partner: string, purposes: readonly string[] = ['research']) {
  const until = '2099-01-01T00:00:00Z';
  return {
    outbound: { [partner]: { 'patients.count': { purposes, until, fields: ['condition'] } } },
    inbound: { [partner]: { 'patients.count': { purposes, until, disclose: ['count'], suppress_below: { count: 5 } } } },
  };
}
