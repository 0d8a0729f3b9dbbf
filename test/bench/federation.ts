// `npm run bench`: the full federated pipeline against a bare grpc-js mTLS echo, measured in
// the same run on the same machine (these machines are shared and noisy: read the ratios).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { loadConfig } from '../../gateway/src/config/index.js';
import { Gateway } from '../../gateway/src/gateway.js';
import { createLogger } from '../../gateway/src/observability/index.js';
import { writeFederation } from '../../gateway/src/cli/federation.js';
// @ts-expect-error: a JavaScript module of the examples, without types
import { agreements } from '../../examples/shared.mjs';
import { ECHO_SERVICE } from './echo-service.js';
import { closedLoop } from './load.js';
import { REPO } from '../support/paths.js';

const CONCURRENCY = 64;
const WARMUP_MS = Number(process.env['BENCH_WARMUP_MS'] ?? 3000);
const DURATION_MS = Number(process.env['BENCH_DURATION_MS'] ?? 8000);
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
    const bare = await closedLoop(
      () =>
        new Promise((resolve, reject) =>
          (echoClient as unknown as { Echo: (b: Buffer, o: object, cb: (e: unknown, r: unknown) => void) => void }).Echo(
            body,
            { deadline: Date.now() + 10_000 },
            (e, r) => (e ? reject(e) : resolve(r)),
          ),
        ),
      { concurrency: CONCURRENCY, warmupMs: WARMUP_MS, durationMs: DURATION_MS },
    );
    echoClient.close();

    // Federated: gateway A's library API here, gateway B as `entente serve` in another process.
    const serveB = spawn(process.execPath, [...(process.env['BENCH_B_NODE_ARGS']?.split(' ') ?? []), '--import', 'tsx', join(REPO, 'gateway/src/cli/main.ts'), 'serve', '--config', configs['bench-b']!], {
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
    let failures = 0;
    const federated = await closedLoop(
      async () => {
        const r = await a.call({ partner: 'bench-b', capability: 'bench.echo', purpose: 'bench', input: { data: PAYLOAD } });
        if (r.status !== 'completed') {
          failures++;
          throw new Error(`${r.status}: ${r.reason}`);
        }
      },
      { concurrency: CONCURRENCY, warmupMs: WARMUP_MS, durationMs: DURATION_MS },
    );
    await a.stop(1000);

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
    rmSync(dir, { recursive: true, force: true });
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

function round(n: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

await main();
