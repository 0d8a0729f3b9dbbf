import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFederation, type LocalFederation } from '../../gateway/src/cli/federation.js';
// @ts-expect-error: a JavaScript module of the examples, without types
import { agreements } from '../../examples/shared.mjs';
import { REPO } from './paths.js';

export const A = 'org-a';
export const B = 'org-b';
const WORK = { 'work.do': { purposes: ['research'], fields: ['n', 'delay_ms'], disclose: ['n', 'by'] } };

export interface WorkerFederation {
  readonly dir: string;
  readonly fed: LocalFederation;
  /** Where B's agent (which sleeps delay_ms, an input field org-a may send) writes `start <task id>` and `done <task id>` for each run: B's own record of executions. */
  readonly workLog: string;
}

/**
 * Two gateways as separate `entente serve` processes on loopback (not started yet): org-a may
 * ask org-b's worker agent (test/fixtures/agents/worker.mjs) for work.do with purpose research.
 * org-a retries an undelivered ack after 200 ms, doubling up to every second, so that tests do
 * not wait for production's 1 s doubling to 5 min.
 */
export async function workerFederation(prefix: string): Promise<WorkerFederation> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const workLog = join(dir, 'work.log');
  const worker = [{ module: join(REPO, 'test/fixtures/agents/worker.mjs'), options: { logFile: workLog, org: B } }];
  const fed = await createFederation(dir, [
    { org: A, policyDirs: [agreements(dir, A, { outbound: { 'work.do': [B] }, options: WORK })], extra: { acks: { initialInterval: '200ms', maximumInterval: '1s' } } },
    { org: B, policyDirs: [agreements(dir, B, { inbound: { 'work.do': [A] }, options: WORK })], agents: worker },
  ]);
  return { dir, fed, workLog };
}

/**
 * What `org`'s gateway holds of the task, through its control API: the kinds of its statements
 * (every one, sorted), whether they verify there, and each kind's statement text.
 */
export async function receiptsAt(fed: LocalFederation, org: string, taskId: string, partner: string) {
  const [found] = await fed.client(org).receipts(taskId, partner);
  const statements = found?.statements ?? [];
  return {
    kinds: statements.map((s) => s.kind).sort(),
    verification: found?.verification.state,
    jws: Object.fromEntries(statements.map((s) => [s.kind, s.jws])) as Record<string, string>,
  };
}
