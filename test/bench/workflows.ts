// `npm run bench:workflows`: the workflow engine's own durable cost per step, federated runs
// per second across three gateways, and how long 1,000 unfinished runs take to be running
// again after a restart. Each figure sits beside a baseline measured in the same run (one
// durable SQLite commit; plain federated calls), because these machines are shared and noisy.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineAgent } from '@entente/sdk';
import { z } from 'zod';
import { createFederation } from '../../gateway/dist/cli/federation.js';
import { loadConfig } from '../../gateway/dist/config/index.js';
import { Gateway } from '../../gateway/dist/gateway.js';
import { createLogger } from '../../gateway/dist/observability/index.js';
import { openSqliteStore } from '../../gateway/dist/store/index.js';
import { systemClock } from '../../gateway/dist/lib/index.js';
import { validateWorkflow, WorkflowEngine } from '../../gateway/dist/workflows/index.js';
// @ts-expect-error: a JavaScript module of the examples, without types
import { agreements } from '../../examples/shared.mjs';
import { REPO } from '../support/paths.js';

const STEP_RUNS = Number(process.env['BENCH_STEP_RUNS'] ?? 300);
const FEDERATED_RUNS = Number(process.env['BENCH_FEDERATED_RUNS'] ?? 1000);
const RESUME_RUNS = Number(process.env['BENCH_RESUME_RUNS'] ?? 1000);
const ECHO = { 'bench.echo': { purposes: ['bench'], fields: ['data'], disclose: ['length'] } };

const noop = defineAgent({ name: 'noop', capabilities: ['bench.noop', 'bench.sum'], input: z.looseObject({}), output: z.looseObject({}), handler: () => ({ ok: true }) });
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const us = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'entente-bench-wf-'));
  const fed = await createFederation(dir, [
    { org: 'wf-a', policyDirs: [agreements(dir, 'wf-a', { outbound: { 'bench.echo': ['wf-b', 'wf-c'] }, options: ECHO })], limits: { maxInFlightPerPartner: 256 } },
    ...['wf-b', 'wf-c'].map((org) => ({ org, policyDirs: [agreements(dir, org, { inbound: { 'bench.echo': ['wf-a'] }, options: ECHO })], agents: [{ module: join(REPO, 'test/bench/echo-agent.mjs') }] })),
  ]);
  await Promise.all(['wf-b', 'wf-c'].map((o) => fed.start(o)));
  const config = loadConfig(fed.configs['wf-a']!);
  const log = createLogger({ org: 'wf-a', level: 'warn', format: 'json' });
  let a = Gateway.create({ config, agents: [noop], logger: log });
  await a.start();
  try {
    // 1. The engine's durable cost per step: ten trivial local steps in sequence, one run at a time.
    const tenSteps = { name: 'ten', steps: Array.from({ length: 10 }, (_, i) => ({ id: `s${i}`, capability: 'bench.noop', ...(i > 0 ? { needs: [`s${i - 1}`] } : {}) })) };
    const perStep: number[] = [];
    for (let i = 0; i < STEP_RUNS; i++) {
      const t0 = process.hrtime.bigint();
      await a.waitRun(await a.startRun(tenSteps, {}));
      if (i >= STEP_RUNS / 5) perStep.push(us(t0) / 10); // the first fifth warms up
    }
    const commit = await commitBaseline(dir);
    const engineOnly = await engineStep(dir, tenSteps);

    // 2. Federated runs: many at once, two partner steps in parallel and a local sum.
    const threeSteps = {
      name: 'three',
      steps: [
        { id: 'b', capability: 'bench.echo', at: 'wf-b', purpose: 'bench', input: '{"data": input.data}' },
        { id: 'c', capability: 'bench.echo', at: 'wf-c', purpose: 'bench', input: '{"data": input.data}' },
        { id: 'sum', capability: 'bench.sum', needs: ['b', 'c'], input: '{"b": steps.b.output.length, "c": steps.c.output.length}' },
      ],
    };
    const input = { data: 'x'.repeat(256) };
    await Promise.all(Array.from({ length: 50 }, async () => a.waitRun(await a.startRun(threeSteps, input)))); // warm-up
    let t0 = process.hrtime.bigint();
    const runs = await Promise.all(Array.from({ length: FEDERATED_RUNS }, async () => a.waitRun(await a.startRun(threeSteps, input))));
    const runsSeconds = us(t0) / 1e6;
    const failed = runs.filter((r) => r.finished?.status !== 'completed').length;
    const reasons: Record<string, number> = {};
    for (const r of runs) if (r.finished?.status !== 'completed') reasons[r.finished?.reason?.slice(0, 80) ?? '?'] = (reasons[r.finished?.reason?.slice(0, 80) ?? '?'] ?? 0) + 1;
    if (failed > 0) process.stderr.write(`failed runs by reason: ${JSON.stringify(reasons, null, 2)}\n`);
    // Baseline: the same number of remote tasks as plain calls, all at once.
    t0 = process.hrtime.bigint();
    await Promise.all(Array.from({ length: FEDERATED_RUNS * 2 }, (_, i) => a.call({ partner: i % 2 === 0 ? 'wf-b' : 'wf-c', capability: 'bench.echo', purpose: 'bench', input })));
    const callsSeconds = us(t0) / 1e6;

    // 3. Resume: unfinished runs (each waiting for an approval) picked up by a new gateway process' worth of state.
    const waiting = { name: 'waits', steps: [{ id: 'ok', approval: {} }] };
    for (let i = 0; i < RESUME_RUNS; i += 100) await Promise.all(Array.from({ length: Math.min(100, RESUME_RUNS - i) }, () => a.startRun(waiting, {})));
    while ((await a.listApprovals()).length < RESUME_RUNS) await new Promise((r) => setTimeout(r, 50));
    await a.stop(1000);
    a = Gateway.create({ config, agents: [noop], logger: log });
    t0 = process.hrtime.bigint();
    await a.start();
    while ((await a.listApprovals()).length < RESUME_RUNS) await new Promise((r) => setImmediate(r));
    const resumeMs = us(t0) / 1000;

    const results = {
      date: new Date().toISOString(),
      node: process.version,
      step_overhead_us: Math.round(percentile(perStep, 50)),
      step_overhead_p99_us: Math.round(percentile(perStep, 99)),
      // The engine alone over its own SQLite file, with an executor that answers at once: what
      // the gateway's agent machinery, validation and other work add is the difference.
      engine_only_step_us: Math.round(engineOnly),
      durable_commit_us: Math.round(commit),
      step_overhead_per_commit: +(percentile(perStep, 50) / commit).toFixed(2),
      federated_runs: FEDERATED_RUNS,
      federated_runs_failed: failed,
      federated_runs_per_s: Math.round(FEDERATED_RUNS / runsSeconds),
      plain_calls_per_s: Math.round((FEDERATED_RUNS * 2) / callsSeconds),
      // A run is two remote tasks and a local step: 0.5 would mean the engine costs nothing.
      runs_per_plain_call: +((FEDERATED_RUNS / runsSeconds) / ((FEDERATED_RUNS * 2) / callsSeconds)).toFixed(3),
      resume_runs: RESUME_RUNS,
      resume_ms: Math.round(resumeMs),
      targets: { step_overhead_us: 1000, resume_ms: 2000 },
    };
    mkdirSync(join(REPO, 'bench-results'), { recursive: true });
    writeFileSync(join(REPO, 'bench-results/workflows.json'), JSON.stringify(results, null, 2) + '\n');
    process.stdout.write(JSON.stringify(results, null, 2) + '\nwritten to bench-results/workflows.json\n');
  } finally {
    await a.stop(1000);
    await fed.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** p50 per step of the engine alone (a real store, an executor that answers at once), one run at a time. */
async function engineStep(dir: string, definition: unknown): Promise<number> {
  const store = openSqliteStore(join(dir, 'engine-only.db'), { checkpointMs: 0 });
  const engine = new WorkflowEngine({ runs: store, clock: systemClock, log: createLogger({ org: 'bench', level: 'silent' }), executor: { execute: async () => ({ ok: true, output: { ok: true } }) } });
  const checked = validateWorkflow(definition);
  if (!checked.ok) throw new Error(checked.problems.join('; '));
  const perStep: number[] = [];
  for (let i = 0; i < STEP_RUNS; i++) {
    const t0 = process.hrtime.bigint();
    await engine.wait(await engine.start(checked.workflow, {}));
    if (i >= STEP_RUNS / 5) perStep.push(us(t0) / 10);
  }
  await engine.stop();
  await store.close();
  return percentile(perStep, 50);
}

/** p50 of one durable single-row commit (WAL, synchronous=FULL), awaited one at a time: the floor of a durable step. */
async function commitBaseline(dir: string): Promise<number> {
  const store = openSqliteStore(join(dir, 'baseline.db'), { checkpointMs: 0 });
  const times: number[] = [];
  const jws = 'e'.repeat(100) + '.' + 'p'.repeat(300) + '.' + 's'.repeat(86);
  for (let i = 0; i < 300; i++) {
    const t0 = process.hrtime.bigint();
    await store.write({ statements: [{ taskId: `t-${i}`, kind: 'request', signerOrg: 'a', peerOrg: 'b', kid: 'k', jws, digest: `sha256:${String(i).padStart(43, 'A')}`, storedAt: Date.now() }] });
    if (i >= 50) times.push(us(t0));
  }
  await store.close();
  return percentile(times, 50);
}

void main().catch((err: unknown) => {
  process.stderr.write(`bench:workflows failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
