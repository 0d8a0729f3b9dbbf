// `npm run bench:rego`: decisions per second and per-decision latency of Entente's Rego
// evaluator on the shipped policies (compile once, evaluate many), and on a policy whose data
// holds 1,000 partner agreements (a lookup by partner and capability must not scan them).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPolicyDirs } from '../../gateway/dist/policy/index.js';
import { compile, fromJS } from '../../gateway/dist/policy/rego/index.js';
import { REPO } from '../support/paths.js';

const ITERATIONS = Number(process.env['BENCH_REGO_ITERATIONS'] ?? 20_000);

interface Case {
  readonly name: string;
  readonly path: string;
  readonly inputs: readonly unknown[];
}

function measure(evaluate: (input: unknown) => unknown, inputs: readonly unknown[]) {
  for (let i = 0; i < 2000; i++) evaluate(inputs[i % inputs.length]);
  const samples = new Float64Array(ITERATIONS);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) {
    const s = process.hrtime.bigint();
    evaluate(inputs[i % inputs.length]);
    samples[i] = Number(process.hrtime.bigint() - s) / 1000;
  }
  const total = Number(process.hrtime.bigint() - t0) / 1e9;
  samples.sort();
  return {
    p50_us: round(samples[Math.floor(ITERATIONS * 0.5)]!),
    p99_us: round(samples[Math.floor(ITERATIONS * 0.99)]!),
    decisions_per_s: Math.round(ITERATIONS / total),
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

const requester = (org: string) => ({ org, certificate: { serial: '0a1b2c', fingerprint256: 'AB:CD' } });
const shipped: Case[] = [
  {
    name: 'outbound',
    path: 'data.entente.outbound.decision',
    inputs: ['hospital-b', 'hospital-c', 'hospital-z'].map((partner) => ({
      task_id: 'c0ffee',
      partner,
      capability: 'patients.count',
      purpose: 'research',
      input: { condition: 'diabetes', min_age: 40, max_age: 65, note: 'stays here' },
    })),
  },
  {
    name: 'inbound',
    path: 'data.entente.inbound.decision',
    inputs: ['hospital-a', 'hospital-c', 'bank-x'].map((org) => ({
      task_id: 'c0ffee',
      requester: requester(org),
      capability: 'patients.count',
      purpose: 'research',
      input: { condition: 'diabetes', min_age: 40, max_age: 65 },
    })),
  },
  {
    name: 'disclosure',
    path: 'data.entente.disclosure.decision',
    inputs: [3, 17, 250].map((count) => ({
      task_id: 'c0ffee',
      requester: requester('hospital-a'),
      capability: 'patients.count',
      purpose: 'research',
      result: { count },
    })),
  },
];

const source = readPolicyDirs([join(REPO, 'policies/default'), join(REPO, 'policies/hospital-a')]);
const policy = compile({ modules: source.modules, data: source.data });
const results: Record<string, ReturnType<typeof measure>> = {};
for (const c of shipped) {
  const inputs = c.inputs.map((i) => fromJS(i));
  results[c.name] = measure((input) => policy.evaluate(c.path, { input, strictBuiltinErrors: true }), inputs);
}
// All three decision points together: what one federated task costs in policy.
const all = shipped.flatMap((c) => c.inputs.map((i) => ({ path: c.path, input: fromJS(i) })));
let k = 0;
const combined = measure(() => {
  const { path, input } = all[k++ % all.length]!;
  return policy.evaluate(path, { input, strictBuiltinErrors: true });
}, [0]);

// 1,000 partners with three capabilities each, against 10 partners: equal cost means a lookup.
function agreementsFor(n: number) {
  const inbound: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    inbound[`partner-${i}`] = Object.fromEntries(
      ['patients.count', 'claims.total', 'beds.free'].map((cap) => [cap, { purposes: ['research'], until: '2099-01-01T00:00:00Z', disclose: ['count'] }]),
    );
  }
  return { agreements: { inbound, outbound: {} } };
}
const scale: Record<string, ReturnType<typeof measure>> = {};
for (const n of [10, 1000]) {
  const p = compile({ modules: source.modules, data: agreementsFor(n) });
  const inputs = Array.from({ length: 50 }, (_, i) =>
    fromJS({ requester: requester(`partner-${(i * 7919) % n}`), capability: 'beds.free', purpose: 'research', input: {} }),
  );
  scale[`agreements_${n}`] = measure((input) => p.evaluate('data.entente.inbound.decision', { input, strictBuiltinErrors: true }), inputs);
}

const out = {
  iterations: ITERATIONS,
  p50_us: combined.p50_us,
  p99_us: combined.p99_us,
  decisions_per_s: combined.decisions_per_s,
  per_decision_point: results,
  agreements_scaling: {
    ...scale,
    p50_ratio_1000_vs_10: round(scale['agreements_1000']!.p50_us / scale['agreements_10']!.p50_us),
  },
};
mkdirSync(join(REPO, 'bench-results'), { recursive: true });
writeFileSync(join(REPO, 'bench-results/rego.json'), JSON.stringify(out, null, 2) + '\n');
const line = (name: string, r: ReturnType<typeof measure>) =>
  `${name.padEnd(22)} p50 ${String(r.p50_us).padStart(7)} µs   p99 ${String(r.p99_us).padStart(7)} µs   ${String(r.decisions_per_s).padStart(8)} decisions/s`;
process.stdout.write(
  [
    `rego bench: shipped policies, ${ITERATIONS} evaluations each after warm-up`,
    ...Object.entries(results).map(([n, r]) => line(n, r)),
    line('all decision points', combined),
    line('10 agreements', scale['agreements_10']!),
    line('1,000 agreements', scale['agreements_1000']!),
    `1,000 vs 10 agreements: p50 ratio ${out.agreements_scaling.p50_ratio_1000_vs_10}x (≈1 means lookups, not scans)`,
    'written to bench-results/rego.json',
    '',
  ].join('\n'),
);
