import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, compare, parseJSON, parseTerm, RegoObject, RegoSet, toJS, type RegoValue } from '../../gateway/src/policy/rego/index.js';
import { REPO } from '../support/paths.js';

export interface CaseResult {
  readonly id: string;
  readonly topic: string;
  readonly passed: boolean;
  readonly reason?: string;
}

/** Where the cases are: $ENTENTE_REGO_CONFORMANCE, or ../shared/rego-conformance/cases beside the repo. */
export function corpusDir(): string {
  return process.env['ENTENTE_REGO_CONFORMANCE'] ?? join(REPO, '..', 'shared', 'rego-conformance', 'cases');
}

export function corpusPresent(): boolean {
  return existsSync(corpusDir());
}

const PER_CASE_MS = 10_000;

/** Runs every case as the corpus README prescribes. */
export function runCorpus(dir = corpusDir()): CaseResult[] {
  const results: CaseResult[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      results.push(runCase(parseJSON(line) as RegoObject));
    }
  }
  return results;
}

function field(c: RegoObject, name: string): RegoValue | undefined {
  return c.get(name);
}

export function runCase(c: RegoObject): CaseResult {
  const id = field(c, 'id') as string;
  const topic = field(c, 'topic') as string;
  const wantCode = field(c, 'want_error_code') as string | undefined;
  const wantError = field(c, 'want_error') as string | undefined;
  const wantResult = field(c, 'want_result') as readonly RegoValue[] | undefined;
  const strict = field(c, 'strict_error') === true;
  const sortBindings = field(c, 'sort_bindings') === true;
  const fail = (reason: string): CaseResult => ({ id, topic, passed: false, reason });
  let rows: Record<string, RegoValue>[];
  try {
    const modules: Record<string, string> = {};
    ((field(c, 'modules') as readonly RegoValue[] | undefined) ?? []).forEach((m, i) => (modules[`test-${i}.rego`] = m as string));
    const data = field(c, 'data');
    const policy = compile({ modules, data: data === null || data === undefined ? undefined : data });
    const inputTerm = field(c, 'input_term');
    const input = typeof inputTerm === 'string' ? parseTerm(inputTerm) : field(c, 'input');
    rows = policy.query(field(c, 'query') as string, {
      ...(input !== undefined ? { input } : {}),
      strictBuiltinErrors: strict,
      timeoutMs: PER_CASE_MS,
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (wantCode !== undefined) {
      return code === wantCode ? { id, topic, passed: true } : fail(`expected error ${wantCode}, got ${code ?? 'error'}: ${(err as Error).message}`);
    }
    if (wantError !== undefined) return { id, topic, passed: true };
    return fail(`unexpected error: ${(err as Error).message.split('\n')[0]}`);
  }
  if (wantCode !== undefined || wantError !== undefined) return fail(`expected error ${wantCode ?? JSON.stringify(wantError)}, got ${rows.length} row(s)`);
  if (wantResult === undefined) return fail('case has no expectation');
  const norm = (row: Record<string, RegoValue> | RegoObject): string => {
    const entries = row instanceof RegoObject ? row.sortedEntries().map(([k, v]) => [k as string, v] as const) : Object.entries(row);
    const o = new RegoObject();
    for (const [k, v] of entries) {
      let val = v;
      if (sortBindings) {
        if (Array.isArray(val)) val = Object.freeze([...(val as RegoValue[])].sort(compare));
        else if (val instanceof RegoSet) val = Object.freeze([...val.sortedValues()]);
      }
      o.set(k, normalizeJSON(val));
    }
    return JSON.stringify(toJS(o), (_, x) => (typeof x === 'bigint' ? x.toString() : x));
  };
  const got = new Set(rows.map(norm));
  const want = new Set(wantResult.map((r) => norm(r as RegoObject)));
  const same = got.size === want.size && [...got].every((r) => want.has(r));
  return same ? { id, topic, passed: true } : fail(`want ${[...want].join(' ')} got ${[...got].join(' ')}`.slice(0, 300));
}

/** Converts to the JSON form the corpus compares in (sets as sorted arrays, numbers by value). */
function normalizeJSON(v: RegoValue): RegoValue {
  if (v instanceof RegoSet) return Object.freeze(v.sortedValues().map(normalizeJSON));
  if (Array.isArray(v)) return Object.freeze((v as RegoValue[]).map(normalizeJSON));
  if (v instanceof RegoObject) return RegoObject.from(v.sortedEntries().map(([k, x]) => [k, normalizeJSON(x)] as const));
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  return v;
}

export function summarize(results: readonly CaseResult[]): { lines: string[]; passed: number; total: number; percent: number } {
  const topics = new Map<string, { passed: number; total: number }>();
  for (const r of results) {
    const t = topics.get(r.topic) ?? { passed: 0, total: 0 };
    t.total++;
    if (r.passed) t.passed++;
    topics.set(r.topic, t);
  }
  const lines: string[] = [];
  const width = Math.max(...[...topics.keys()].map((t) => t.length));
  for (const [topic, t] of [...topics].sort(([a], [b]) => (a < b ? -1 : 1))) {
    lines.push(`${topic.padEnd(width)}  ${String(t.passed).padStart(4)}/${String(t.total).padEnd(4)}${t.passed === t.total ? '' : '  FAIL'}`);
  }
  const failures = results.filter((r) => !r.passed);
  if (failures.length > 0) {
    lines.push('', `failures (${failures.length}):`);
    for (const f of failures) lines.push(`  ${f.id}: ${f.reason}`);
  }
  const passed = results.length - failures.length;
  const percent = results.length === 0 ? 0 : (passed / results.length) * 100;
  lines.push('', `rego conformance: ${passed}/${results.length} passed (${percent.toFixed(1)}%)`);
  return { lines, passed, total: results.length, percent };
}
