/**
 * Entente's Rego v1 evaluator. Self-contained: imports nothing else from the gateway.
 *
 * @example
 * const policy = compile({ modules: { 'inbound.rego': src }, data });
 * const { value } = policy.evaluate('data.entente.inbound.decision', { input });
 */
import type { Body, Module, Term } from './ast.js';
import { compileModules, reorderBody, isGlobalName, type CompiledModules } from './compile.js';
import { REGO_ERROR_CODES, RegoCompileError, RegoError, RegoEvalError } from './errors.js';
import { Evaluation, Scope, type EvalOptions } from './eval.js';
import { parseModule, parseQuery, parseTermText } from './parser.js';
import { fromJS, isObject, RegoObject, type RegoValue } from './value.js';
import { termVars } from './vars.js';

export interface CompileOptions {
  /** File name → Rego source. */
  readonly modules: Readonly<Record<string, string>>;
  /** The base document mounted at `data` (plain JSON or Rego values). */
  readonly data?: unknown;
}

export interface EvaluateOptions {
  readonly input?: unknown;
  /** OPA's strict builtin errors: a builtin error stops evaluation instead of being undefined. */
  readonly strictBuiltinErrors?: boolean;
  readonly print?: (line: string) => void;
  readonly maxSteps?: number;
  readonly timeoutMs?: number;
  /**
   * The evaluation's time, milliseconds since the epoch: what `time.now_ns()` returns (as
   * nanoseconds). Now by default; a replay of an earlier decision passes that decision's time.
   */
  readonly now?: number;
}

export interface TestResult {
  readonly package: string;
  readonly name: string;
  readonly passed: boolean;
  readonly error?: string;
  readonly durationMs: number;
}

/** A compiled set of modules with its data: compile once, evaluate many times. */
export class CompiledPolicy {
  private readonly pathCache = new Map<string, readonly string[]>();

  constructor(
    private readonly compiled: CompiledModules,
    private readonly data: RegoObject,
  ) {}

  /** Whether some rule defines exactly the `data.` reference `ref`, whatever it evaluates to. */
  defines(ref: string): boolean {
    return this.compiled.ruleSets.has(parseDataRef(ref).join('\u0000'));
  }

  /** Evaluates a `data.` reference such as `data.entente.inbound.decision`. */
  evaluate(ref: string, opts: EvaluateOptions = {}): { value: RegoValue | undefined } {
    let path = this.pathCache.get(ref);
    if (path === undefined) {
      path = parseDataRef(ref);
      this.pathCache.set(ref, path);
    }
    const ev = new Evaluation(this.compiled, this.data, evalOptions(opts));
    return { value: ev.valueAt(path) };
  }

  /** Runs a query; each row maps the query's named variables to values. */
  query(text: string, opts: EvaluateOptions = {}): Record<string, RegoValue>[] {
    let body: Body = parseQuery(text);
    const isGlobal = (n: string) => isGlobalName(n, undefined, this.compiled);
    body = reorderBody(body, new Set(), isGlobal, this.compiled, undefined);
    const names = [...queryVars(body)].filter((n) => n !== '_' && !n.startsWith('$') && !isGlobal(n));
    const rows: Record<string, RegoValue>[] = [];
    const ev = new Evaluation(this.compiled, this.data, evalOptions(opts));
    ev.query(body, undefined, (scope) => {
      const row: Record<string, RegoValue> = {};
      for (const n of names) {
        const v = scope.lookup(n);
        if (v !== undefined && typeof v !== 'symbol') row[n] = v;
      }
      rows.push(row);
      return false;
    });
    return rows;
  }

  /** Runs every `test_*` rule in packages (or files) named like tests, as `opa test` does. */
  runTests(): TestResult[] {
    const results: TestResult[] = [];
    for (const rs of this.compiled.ruleSets.values()) {
      const name = rs.path[rs.path.length - 1]!;
      if (!name.startsWith('test_') || rs.kind !== 'complete') continue;
      const started = performance.now();
      const pkg = 'data.' + rs.path.slice(0, -1).join('.');
      try {
        const { value } = this.evaluate('data.' + rs.path.join('.'), { strictBuiltinErrors: true });
        results.push({ package: pkg, name, passed: value !== undefined && value !== false, durationMs: performance.now() - started });
      } catch (err) {
        results.push({ package: pkg, name, passed: false, error: (err as Error).message, durationMs: performance.now() - started });
      }
    }
    return results.sort((a, b) => (a.package === b.package ? 0 : a.package < b.package ? -1 : 1));
  }
}

function evalOptions(opts: EvaluateOptions): EvalOptions {
  const input = opts.input === undefined ? undefined : inputValue(opts.input);
  return {
    input,
    ...(opts.strictBuiltinErrors !== undefined ? { strictBuiltinErrors: opts.strictBuiltinErrors } : {}),
    ...(opts.print ? { print: opts.print } : {}),
    ...(opts.maxSteps !== undefined ? { maxSteps: opts.maxSteps } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.now !== undefined ? { nowNs: BigInt(Math.trunc(opts.now)) * 1_000_000n } : {}),
  };
}

/** Input as a Rego value; nesting too deep for the stack is a typed error, not a crash. */
function inputValue(input: unknown): ReturnType<typeof fromJS> {
  try {
    return fromJS(input);
  } catch (err) {
    if (err instanceof RangeError) throw new RegoEvalError('eval_limit_error', 'input is nested too deeply', undefined, { cause: err });
    throw err;
  }
}

function queryVars(body: Body): Set<string> {
  const out = new Set<string>();
  for (const e of body) {
    switch (e.kind) {
      case 'term':
        for (const v of shallow(e.term)) out.add(v);
        break;
      case 'unify':
      case 'assign':
        for (const v of shallow(e.left)) out.add(v);
        for (const v of shallow(e.right)) out.add(v);
        break;
      case 'some':
        for (const v of e.vars) out.add(v);
        break;
      case 'somein':
        if (e.key) for (const v of shallow(e.key)) out.add(v);
        for (const v of shallow(e.value)) out.add(v);
        for (const v of shallow(e.domain)) out.add(v);
        break;
      default:
        break;
    }
  }
  return out;
}

function shallow(t: Term): Set<string> {
  return termVars(t, new Set(), false);
}

function parseDataRef(ref: string): readonly string[] {
  const t = parseTermText(ref);
  const parts: string[] = [];
  if (t.type === 'var' && t.name === 'data') return parts;
  if (t.type !== 'ref' || t.head.type !== 'var' || t.head.name !== 'data') {
    throw new RegoCompileError('rego_parse_error', `expected a data reference like data.pkg.rule, got ${ref}`);
  }
  for (const p of t.path) {
    if (p.type !== 'scalar' || typeof p.value !== 'string') {
      throw new RegoCompileError('rego_parse_error', `only string path segments are allowed in ${ref}`);
    }
    parts.push(p.value);
  }
  return parts;
}

/** Parses and compiles modules; throws RegoCompileError with file:line:col. */
export function compile(opts: CompileOptions): CompiledPolicy {
  const modules: Module[] = Object.entries(opts.modules).map(([file, src]) => parseModule(src, file));
  const compiled = compileModules(modules);
  const data = opts.data === undefined || opts.data === null ? new RegoObject() : fromJS(opts.data);
  if (!isObject(data)) throw new RegoCompileError('rego_compile_error', 'data must be an object');
  return new CompiledPolicy(compiled, data);
}

/** `opa test`-style: every test_* rule. */
export function runTests(policy: CompiledPolicy): TestResult[] {
  return policy.runTests();
}

/** Parses a value written as a Rego term (sets, non-string keys allowed); it must be ground. */
export function parseTerm(text: string): RegoValue {
  const term = parseTermText(text);
  let value: RegoValue | undefined;
  const ev = new Evaluation(EMPTY, new RegoObject(), {});
  ev.evalTerm(term, new Scope(undefined, undefined), (v) => ((value = v), true));
  if (value === undefined) throw new RegoCompileError('rego_parse_error', 'the term is not a ground value');
  return value;
}

const EMPTY = compileModules([]);

export { REGO_ERROR_CODES, RegoCompileError, RegoError, RegoEvalError };
export type { RegoErrorCode } from './errors.js';
export {
  compare,
  equals,
  formatValue,
  fromJS,
  parseJSON,
  RegoObject,
  RegoSet,
  toJS,
  toJSONText,
  typeName,
} from './value.js';
export type { RegoValue } from './value.js';
export { BUILTINS } from './builtins/index.js';
