// `npm run bench`: the full federated pipeline against a bare grpc-js mTLS echo, measured in
// the same run on the same machine (these machines are shared and noisy: read the ratios):
// at 64 calls in flight (throughput, p50, p99) and at 1 (the latency a single user feels);
// CPU time per task on each side, each process's event-loop utilisation, durable commits and
// signatures per task on each side. The warm-up is long (20 s) so that the JIT has settled.
// Both gateways run the compiled package (gateway/dist, what `entente serve` runs), not the
// TypeScript sources through tsx, whose transform adds work of its own (`npm run bench`
// builds first).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Session } from 'node:inspector/promises';
import { closeSync, fdatasyncSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { EntenteClient } from '@entente/sdk';
import { loadConfig } from '../../gateway/dist/config/index.js';
import { Gateway } from '../../gateway/dist/gateway.js';
import { createLogger } from '../../gateway/dist/observability/index.js';
import { writeFederation } from '../../gateway/dist/cli/federation.js';
// @ts-expect-error: a JavaScript module of the examples, without types
import { agreements } from '../../examples/shared.mjs';
import { ECHO_SERVICE } from './echo-service.js';
import { closedLoop } from './load.js';
import { REPO } from '../support/paths.js';

const CONCURRENCY = 64;
const WARMUP_MS = Number(process.env['BENCH_WARMUP_MS'] ?? 20_000);
const DURATION_MS = Number(process.env['BENCH_DURATION_MS'] ?? 8000);
const LOADED = { concurrency: CONCURRENCY, warmupMs: WARMUP_MS, durationMs: DURATION_MS };
/** One call in flight: a shorter warm-up (the processes are warm by then) and window. */
const UNLOADED = { concurrency: 1, warmupMs: Number(process.env['BENCH_UNLOADED_WARMUP_MS'] ?? 2000), durationMs: Number(process.env['BENCH_UNLOADED_MS'] ?? 5000) };
const PAYLOAD = 'x'.repeat(1024);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'entente-bench-'));
  // Each gateway lets the other call bench.echo for the purpose bench; only the length comes back.
  const echo = { 'bench.echo': { purposes: ['bench'], fields: ['data'], disclose: ['length'] } };
  const agreement = (org: string, other: string): string => agreements(dir, org, { outbound: { 'bench.echo': [other] }, inbound: { 'bench.echo': [other] }, options: echo });
  const { certsDir, configs } = await writeFederation(dir, [
    { org: 'bench-a', policyDirs: [agreement('bench-a', 'bench-b')], agents: [{ module: join(REPO, 'test/bench/echo-agent.mjs') }] },
    { org: 'bench-b', policyDirs: [agreement('bench-b', 'bench-a')], agents: [{ module: join(REPO, 'test/bench/echo-agent.mjs') }] },
  ]);

  const children: ChildProcess[] = [];
  try {
    // Bare: a grpc-js client here, an mTLS echo server in another process.
    const echo = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test/bench/echo-server.ts'),
      join(certsDir, 'bench-a/ca.pem'), join(certsDir, 'bench-b/gateway.pem'), join(certsDir, 'bench-b/gateway.key.pem')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(echo);
    const echoPort = Number(await firstLine(echo));
    const EchoClient = grpc.makeGenericClientConstructor(ECHO_SERVICE, 'Echo');
    const echoClient = new EchoClient(
      `localhost:${echoPort}`,
      grpc.credentials.createSsl(
        readFileSync(join(certsDir, 'bench-b/ca.pem')),
        readFileSync(join(certsDir, 'bench-a/gateway.key.pem')),
        readFileSync(join(certsDir, 'bench-a/gateway.pem')),
      ),
    );
    const body = Buffer.from(PAYLOAD);
    const echoCall = () =>
      new Promise((resolve, reject) =>
        (echoClient as unknown as { Echo: (b: Buffer, o: object, cb: (e: unknown, r: unknown) => void) => void }).Echo(
          body,
          { deadline: Date.now() + 10_000 },
          (e, r) => (e ? reject(e) : resolve(r)),
        ),
      );
    const sampleBare = async () => ({ client: ownCounters(), server: procCpuUs(echo.pid!) });
    const bareSpent = await measured(sampleBare, echoCall, LOADED);
    const bare = bareSpent.result;
    const bareUnloadedSpent = await measured(sampleBare, echoCall, UNLOADED);
    const bareUnloaded = bareUnloadedSpent.result;
    const bareUnloadedCpu = {
      client: delta(bareUnloadedSpent.before.client, bareUnloadedSpent.after.client).cpuUs / Math.max(1, bareUnloaded.calls),
      server: (bareUnloadedSpent.after.server - bareUnloadedSpent.before.server) / Math.max(1, bareUnloaded.calls),
    };
    echoClient.close();
    // What one durable commit waits for on this disk, beside the gateways' stores: a single
    // user's task waits for four in sequence (the requester's request, the responder's claim
    // and result, the requester's result).
    const fdatasyncP50 = fdatasyncLatency(join(dir, 'fdatasync-probe'));

    // Federated: gateway A's library API here, gateway B as `entente serve` in another process.
    const serveB = spawn(process.execPath, [...(process.env['BENCH_B_NODE_ARGS']?.split(' ').filter((a) => a !== '') ?? []), join(REPO, 'gateway/dist/cli/main.js'), 'serve', '--config', configs['bench-b']!], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(serveB);
    await waitForServing(serveB);
    // B's log lines (one per task) must be drained or its stdout pipe would fill and stall it.
    serveB.stdout?.resume();
    const a = Gateway.create({
      config: loadConfig(configs['bench-a']!),
      // Logged at info like a real gateway (a line per task), into /dev/null to keep the output readable.
      logger: createLogger({ level: 'info', destination: pino.destination('/dev/null') }),
    });
    await a.start();
    const bControl = EntenteClient.connect({ socket: loadConfig(configs['bench-b']!).control.socket });
    let failures = 0;
    const federatedCall = async () => {
      const r = await a.call({ partner: 'bench-b', capability: 'bench.echo', purpose: 'bench', input: { data: PAYLOAD } });
      if (r.status !== 'completed') {
        failures++;
        throw new Error(`${r.status}: ${r.reason}`);
      }
    };
    const sampleFederated = async () => ({ a: { ...gatewayCounters(a.status().process), ...ownCounters() }, b: gatewayCounters((await bControl.status()).process!) });
    const fedSpent = await measured(sampleFederated, federatedCall, LOADED, process.env['BENCH_A_PROFILE']);
    const federated = fedSpent.result;
    const unloadedSpent = await measured(sampleFederated, federatedCall, UNLOADED, process.env['BENCH_A_UNLOADED_PROFILE']);
    const federatedUnloaded = unloadedSpent.result;
    bControl.close();
    await a.stop(1000);
    const tasks = federated.calls;
    const per = (d: number) => round(d / tasks, 2);
    const [da, db] = [delta(fedSpent.before.a, fedSpent.after.a), delta(fedSpent.before.b, fedSpent.after.b)];
    const bareCalls = bare.calls;
    const unloadedDelta = { a: delta(unloadedSpent.before.a, unloadedSpent.after.a), b: delta(unloadedSpent.before.b, unloadedSpent.after.b) };
    const bareDelta = delta(bareSpent.before.client, bareSpent.after.client);

    const results = {
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
      concurrency: CONCURRENCY,
      payload_bytes: PAYLOAD.length,
      duration_ms: DURATION_MS,
      bare_rps: round(bare.rps),
      bare_p50_ms: round(bare.p50, 3),
      bare_p99_ms: round(bare.p99, 3),
      federated_rps: round(federated.rps),
      federated_p50_ms: round(federated.p50, 3),
      federated_p99_ms: round(federated.p99, 3),
      federated_errors: federated.errors + failures,
      throughput_ratio: round(federated.rps / bare.rps, 3),
      p50_ratio: round(federated.p50 / bare.p50, 2),
      p99_ratio: round(federated.p99 / bare.p99, 2),
      warmup_ms: WARMUP_MS,
      bare_unloaded_p50_ms: round(bareUnloaded.p50, 3),
      federated_unloaded_p50_ms: round(federatedUnloaded.p50, 3),
      unloaded_p50_ratio: round(federatedUnloaded.p50 / bareUnloaded.p50, 2),
      // One write of a 4 KiB page and its fdatasync, median of 200, in the stores' directory,
      // before the gateways start; and the mean fdatasync of each gateway's store at 1 in
      // flight, with the other gateway syncing on the same disk.
      fdatasync_p50_ms: round(fdatasyncP50, 3),
      unloaded_fdatasync_mean_ms: { requester: round(unloadedDelta.a.syncMs, 3), responder: round(unloadedDelta.b.syncMs, 3) },
      // CPU time per call or task at 64 in flight, microseconds: this process is the client or
      // requester (its load loop included), the other process the server or responder.
      cpu_us_per_task: {
        bare_client: round(bareDelta.cpuUs / bareCalls),
        bare_server: round((bareSpent.after.server - bareSpent.before.server) / bareCalls),
        requester: round(da.cpuUs / tasks),
        responder: round(db.cpuUs / tasks),
      },
      // At 1 in flight: what a single user's task costs each side, and a bare call each side.
      unloaded_cpu_us_per_task: {
        bare_client: round(bareUnloadedCpu.client),
        bare_server: round(bareUnloadedCpu.server),
        requester: round(unloadedDelta.a.cpuUs / Math.max(1, federatedUnloaded.calls)),
        responder: round(unloadedDelta.b.cpuUs / Math.max(1, federatedUnloaded.calls)),
      },
      event_loop_utilization: { requester: round(da.elu, 3), responder: round(db.elu, 3) },
      commits_per_task: { requester: per(da.commits), responder: per(db.commits) },
      signatures_per_task: { requester: per(da.signatures), responder: per(db.signatures) },
      // Statements signed under load per signature made, both sides together (batch signatures).
      statements_per_signature: round((da.statements + db.statements) / Math.max(1, da.signatures + db.signatures), 2),
    };
    mkdirSync(join(REPO, 'bench-results'), { recursive: true });
    writeFileSync(join(REPO, 'bench-results/federation.json'), JSON.stringify(results, null, 2) + '\n');
    const row = (name: string, r: { rps: number; p50: number; p99: number }) =>
      `${name.padEnd(10)} ${r.rps.toFixed(0).padStart(8)} calls/s   p50 ${r.p50.toFixed(2).padStart(7)} ms   p99 ${r.p99.toFixed(2).padStart(7)} ms`;
    process.stdout.write(
      [
        `federation bench: 1 KiB payloads, ${CONCURRENCY} in flight, ${DURATION_MS / 1000} s after ${WARMUP_MS / 1000} s warm-up`,
        row('bare', bare),
        row('federated', federated),
        `ratios     throughput ${results.throughput_ratio}x   p50 ${results.p50_ratio}x   p99 ${results.p99_ratio}x` +
          (results.federated_errors ? `   (${results.federated_errors} federated calls failed)` : ''),
        `1 in flight: bare p50 ${results.bare_unloaded_p50_ms} ms, federated ${results.federated_unloaded_p50_ms} ms (${results.unloaded_p50_ratio}x); CPU µs per task bare client ${results.unloaded_cpu_us_per_task.bare_client}, server ${results.unloaded_cpu_us_per_task.bare_server}, requester ${results.unloaded_cpu_us_per_task.requester}, responder ${results.unloaded_cpu_us_per_task.responder}; fdatasync ${results.fdatasync_p50_ms} ms idle, ${results.unloaded_fdatasync_mean_ms.requester} / ${results.unloaded_fdatasync_mean_ms.responder} ms in the stores (mean)`,
        `CPU µs per task: bare client ${results.cpu_us_per_task.bare_client}, server ${results.cpu_us_per_task.bare_server}; requester ${results.cpu_us_per_task.requester}, responder ${results.cpu_us_per_task.responder}`,
        `event-loop utilisation: requester ${results.event_loop_utilization.requester}, responder ${results.event_loop_utilization.responder}`,
        `per task: commits ${results.commits_per_task.requester} / ${results.commits_per_task.responder}, signatures ${results.signatures_per_task.requester} / ${results.signatures_per_task.responder} (requester / responder); ${results.statements_per_signature} statements per signature`,
        'written to bench-results/federation.json',
        '',
      ].join('\n'),
    );
  } finally {
    for (const c of children) {
      if (c.exitCode === null) {
        c.kill('SIGTERM');
        await once(c, 'exit');
      }
    }
    if (process.env['BENCH_KEEP'] === undefined) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`kept ${dir}\n`);
  }
}

async function firstLine(child: ChildProcess): Promise<string> {
  const rl = createInterface({ input: child.stdout! });
  const [line] = (await once(rl, 'line')) as [string];
  rl.close();
  return line;
}

async function waitForServing(child: ChildProcess): Promise<void> {
  const rl = createInterface({ input: child.stdout! });
  for await (const line of rl) if (line.includes('"gateway serving"')) return;
  throw new Error('gateway B exited before serving');
}

interface Counters {
  readonly cpuUs: number;
  readonly eluActiveMs: number;
  readonly eluIdleMs: number;
  readonly commits: number;
  readonly signatures: number;
  readonly statements: number;
  readonly syncs: number;
  readonly syncMs: number;
}

/** This process's CPU and event loop (the bench's own load loop runs here too). */
function ownCounters(): Pick<Counters, 'cpuUs' | 'eluActiveMs' | 'eluIdleMs'> {
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  return { cpuUs: cpu.user + cpu.system, eluActiveMs: elu.active, eluIdleMs: elu.idle };
}

/** A gateway's counters from its status (the process block of GetStatus). */
function gatewayCounters(p: {
  cpuUserUs: number;
  cpuSystemUs: number;
  eventLoopActiveMs: number;
  eventLoopIdleMs: number;
  storeCommits: number;
  signatures: number;
  statementsSigned: number;
  storeSyncs: number;
  storeSyncMs: number;
}): Counters {
  return {
    cpuUs: p.cpuUserUs + p.cpuSystemUs,
    eluActiveMs: p.eventLoopActiveMs,
    eluIdleMs: p.eventLoopIdleMs,
    commits: p.storeCommits,
    signatures: p.signatures,
    statements: p.statementsSigned,
    syncs: p.storeSyncs,
    syncMs: p.storeSyncMs,
  };
}

function delta(before: Partial<Counters>, after: Partial<Counters>) {
  const d = (k: keyof Counters) => (after[k] ?? 0) - (before[k] ?? 0);
  const active = d('eluActiveMs');
  const idle = d('eluIdleMs');
  return {
    cpuUs: d('cpuUs'),
    elu: active / Math.max(1e-9, active + idle),
    commits: d('commits'),
    signatures: d('signatures'),
    statements: d('statements'),
    // The mean fdatasync of the gateway's store, ms: what each durable commit waited for.
    syncMs: d('syncMs') / Math.max(1, d('syncs')),
  };
}

/** Another process's CPU time (user + system), microseconds, from /proc (Linux). */
function procCpuUs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/**
 * Warms `call` up at `load`'s concurrency for its warm-up, then runs it for its duration with
 * counters sampled before and after. With `profileTo` (a file name: BENCH_A_PROFILE,
 * BENCH_A_UNLOADED_PROFILE), this process's profile of the measured part alone is written
 * there (see profiled).
 */
async function measured<C>(
  sample: () => Promise<C>,
  call: () => Promise<unknown>,
  load: { readonly concurrency: number; readonly warmupMs: number; readonly durationMs: number },
  profileTo?: string,
): Promise<{ before: C; after: C; result: Awaited<ReturnType<typeof closedLoop>> }> {
  await closedLoop(call, { concurrency: load.concurrency, warmupMs: 0, durationMs: load.warmupMs });
  return profiled(profileTo, async () => {
    const before = await sample();
    const result = await closedLoop(call, { ...load, warmupMs: 0 });
    const after = await sample();
    return { before, after, result };
  });
}

/**
 * Runs `work`; with `profileTo` (a file name: BENCH_A_PROFILE for the federated phase at 64 in
 * flight, BENCH_A_UNLOADED_PROFILE at 1 in flight), writes this process's CPU profile of it
 * there, for Chrome DevTools or a script.
 */
async function profiled<R>(profileTo: string | undefined, work: () => Promise<R>): Promise<R> {
  if (profileTo === undefined) return work();
  const profiler = new Session();
  profiler.connect();
  // A name ending in .heapprofile samples allocations instead (every 16 KiB allocated, the
  // objects already collected included): where the garbage comes from.
  const heap = profileTo.endsWith('.heapprofile');
  if (heap) {
    await profiler.post('HeapProfiler.enable');
    await profiler.post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  } else {
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const result = await work();
  const { profile } = heap ? await profiler.post('HeapProfiler.stopSampling') : await profiler.post('Profiler.stop');
  writeFileSync(profileTo, JSON.stringify(profile));
  profiler.disconnect();
  return result;
}

/** Median time of writing a 4 KiB page to `file` and fdatasyncing it, ms. */
function fdatasyncLatency(file: string, n = 200): number {
  const fd = openSync(file, 'w');
  const page = Buffer.alloc(4096, 1);
  const ms: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      writeSync(fd, page, 0, page.length, (i % 16) * page.length);
      fdatasyncSync(fd);
      ms.push(performance.now() - t);
    }
  } finally {
    closeSync(fd);
  }
  return ms.sort((a, b) => a - b)[n >> 1]!;
}

function round(n: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

await main();
