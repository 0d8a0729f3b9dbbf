import type { Body, Expr, Module, Rule, Term, WithModifier } from './ast.js';
import { BUILTINS } from './builtins/index.js';
import { BuiltinError, type Builtin, type BuiltinContext } from './builtins/types.js';
import { outputArgIndex, resolveFunction, type CompiledModules, type RuleSet, type TreeNode } from './compile.js';
import { RegoEvalError } from './errors.js';
import { dottedName } from './vars.js';
import { equals, isArray, isObject, isSet, keyOf, RegoObject, RegoSet, toJSONText, typeName, formatValue, type RegoValue } from './value.js';

/** Continuations return true to stop the search (an answer was enough). */
type K = () => boolean;
type KV = (v: RegoValue) => boolean;

const UNSET = Symbol('unset');
const IN_PROGRESS = Symbol('in progress');

/** Variable bindings of one body; comprehensions and rule bodies get child scopes. */
class Scope {
  readonly vars = new Map<string, RegoValue | typeof UNSET>();
  constructor(
    readonly parent: Scope | undefined,
    readonly module: Module | undefined,
  ) {}

  lookup(name: string): RegoValue | typeof UNSET | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Binds where the variable was declared, or here. Returns an undo function. */
  bind(name: string, value: RegoValue): () => void {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      if (s.vars.get(name) === UNSET) {
        s.vars.set(name, value);
        return () => s.vars.set(name, UNSET);
      }
    }
    this.vars.set(name, value);
    return () => this.vars.delete(name);
  }
}

/** Overrides installed by `with`: input, data paths, and functions. */
interface Frame {
  readonly input: RegoValue | undefined;
  readonly dataOverrides: readonly { path: readonly string[]; value: RegoValue }[];
  readonly functions: ReadonlyMap<string, { kind: 'value'; value: RegoValue } | { kind: 'fn'; target: Term; module: Module | undefined }>;
  readonly cache: Map<string, RegoValue | undefined | typeof IN_PROGRESS>;
}

export interface EvalOptions {
  readonly input?: RegoValue | undefined;
  readonly strictBuiltinErrors?: boolean;
  readonly print?: (line: string) => void;
  /** Evaluation steps before giving up (hostile policies must end). */
  readonly maxSteps?: number;
  readonly timeoutMs?: number;
  /** What `time.now_ns()` returns, in nanoseconds since the epoch; the clock at the start of evaluation by default. */
  readonly nowNs?: bigint;
}

/** One query's evaluation: state that lives as long as the query. */
export class Evaluation {
  private frame: Frame;
  private steps = 0;
  private readonly maxSteps: number;
  private readonly deadline: number;
  private readonly strict: boolean;
  private readonly ctx: BuiltinContext;
  private depth = 0;

  constructor(
    private readonly compiled: CompiledModules,
    private readonly baseData: RegoObject,
    opts: EvalOptions,
  ) {
    this.frame = { input: opts.input, dataOverrides: [], functions: new Map(), cache: new Map() };
    this.maxSteps = opts.maxSteps ?? 50_000_000;
    this.deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    this.strict = opts.strictBuiltinErrors ?? false;
    this.ctx = {
      nowNs: opts.nowNs ?? BigInt(Date.now()) * 1_000_000n,
      cache: new Map(),
      ...(opts.print ? { print: opts.print } : {}),
    };
  }

  /** Runs a query body; `onRow` receives each solution's scope. */
  query(body: Body, module: Module | undefined, onRow: (scope: Scope) => boolean): void {
    const scope = new Scope(undefined, module);
    this.evalBody(body, 0, scope, () => onRow(scope));
  }

  /** The value of a `data.` path, or undefined. */
  valueAt(path: readonly string[]): RegoValue | undefined {
    let result: RegoValue | undefined;
    this.evalDataPath(path, 0, this.compiled.root, this.baseData, new Scope(undefined, undefined), (v) => {
      result = v;
      return true;
    });
    return result;
  }

  // ---- bodies and expressions ----------------------------------------------------------

  private tick(loc?: { file: string; line: number; col: number }): void {
    if (++this.steps > this.maxSteps) throw new RegoEvalError('eval_limit_error', `evaluation exceeded ${this.maxSteps} steps`, loc);
    if ((this.steps & 0xfff) === 0 && Date.now() > this.deadline) {
      throw new RegoEvalError('eval_limit_error', 'evaluation exceeded its time limit', loc);
    }
  }

  evalBody(body: Body, i: number, scope: Scope, k: K): boolean {
    if (i === body.length) return k();
    const e = body[i]!;
    return this.evalExprWith(e, scope, () => this.evalBody(body, i + 1, scope, k));
  }

  private evalExprWith(e: Expr, scope: Scope, k: K): boolean {
    if (e.withs.length === 0) return this.evalExprNeg(e, scope, k);
    const outer = this.frame;
    const inner = this.applyWiths(e.withs, scope);
    this.frame = inner;
    try {
      return this.evalExprNeg(e, scope, () => {
        this.frame = outer;
        try {
          return k();
        } finally {
          this.frame = inner;
        }
      });
    } finally {
      this.frame = outer;
    }
  }

  private evalExprNeg(e: Expr, scope: Scope, k: K): boolean {
    if (!e.negated) return this.evalExpr(e, scope, k);
    const found = this.evalExpr(e, scope, () => true);
    return found ? false : k();
  }

  private evalExpr(e: Expr, scope: Scope, k: K): boolean {
    this.tick(e.loc);
    switch (e.kind) {
      case 'term':
        return this.evalTerm(e.term, scope, (v) => (v === false ? false : k()));
      case 'unify':
        return this.unifyTerms(e.left, e.right, scope, k);
      case 'assign': {
        const undo = this.declare(e.left, scope);
        try {
          return this.evalTerm(e.right, scope, (v) => this.unify(e.left, v, scope, k));
        } finally {
          undo();
        }
      }
      case 'some': {
        const undos = e.vars.map((v) => this.declareVar(v, scope));
        try {
          return k();
        } finally {
          for (const u of undos) u();
        }
      }
      case 'somein': {
        const undoKey = e.key ? this.declare(e.key, scope) : () => undefined;
        const undoValue = this.declare(e.value, scope);
        try {
          return this.evalTerm(e.domain, scope, (coll) =>
            this.iterate(coll, (key, value) =>
              e.key ? this.unify(e.key, key, scope, () => this.unify(e.value, value, scope, k)) : this.unify(e.value, value, scope, k),
            ),
          );
        } finally {
          undoValue();
          undoKey();
        }
      }
      case 'every':
        return this.evalTerm(e.domain, scope, (coll) => {
          // Only collections can be quantified over; anything else makes `every` undefined.
          if (!isArray(coll) && !isObject(coll) && !isSet(coll)) return false;
          let all = true;
          this.iterate(coll, (key, value) => {
            const inner = new Scope(scope, scope.module);
            const ok =
              (e.key ? this.unify(e.key, key, inner, () => this.unify(e.value, value, inner, () => this.evalBody(e.body, 0, inner, () => true))) : this.unify(e.value, value, inner, () => this.evalBody(e.body, 0, inner, () => true)));
            if (!ok) all = false;
            return !ok;
          });
          return all ? k() : false;
        });
    }
  }

  /** Declares the variables of an assignment target as local to this scope (shadowing). */
  private declare(t: Term, scope: Scope): () => void {
    const undos: (() => void)[] = [];
    const visit = (x: Term): void => {
      if (x.type === 'var') {
        if (x.name !== '_') undos.push(this.declareVar(x.name, scope));
      } else if (x.type === 'array') x.items.forEach(visit);
      else if (x.type === 'object') for (const [, v] of x.entries) visit(v);
    };
    visit(t);
    return () => {
      for (const u of undos.reverse()) u();
    };
  }

  private declareVar(name: string, scope: Scope): () => void {
    const had = scope.vars.has(name);
    const prev = scope.vars.get(name);
    scope.vars.set(name, UNSET);
    return () => {
      if (had) scope.vars.set(name, prev!);
      else scope.vars.delete(name);
    };
  }

  // ---- unification ---------------------------------------------------------------------

  /** Is `t` fully evaluable now (no unbound variables outside ref keys)? */
  private evaluable(t: Term, scope: Scope): boolean {
    switch (t.type) {
      case 'scalar':
        return true;
      case 'var':
        return t.name === '_' ? false : this.isBoundOrGlobal(t.name, scope);
      case 'array':
      case 'set':
        return t.items.every((i) => this.evaluable(i, scope));
      case 'object':
        return t.entries.every(([kk, v]) => this.evaluable(kk, scope) && this.evaluable(v, scope));
      case 'ref':
        return t.head.type !== 'var' || this.isBoundOrGlobal(t.head.name, scope);
      default:
        return true;
    }
  }

  private isBoundOrGlobal(name: string, scope: Scope): boolean {
    const v = scope.lookup(name);
    if (v === UNSET) return false;
    if (v !== undefined || name === 'data' || name === 'input') return true;
    return this.globalRef(name, scope.module) !== undefined;
  }

  private unifyTerms(a: Term, b: Term, scope: Scope, k: K): boolean {
    if (this.evaluable(b, scope)) return this.evalTerm(b, scope, (v) => this.unify(a, v, scope, k));
    if (this.evaluable(a, scope)) return this.evalTerm(a, scope, (v) => this.unify(b, v, scope, k));
    // Both sides have unbound variables: match structurally.
    if (a.type === 'array' && b.type === 'array') {
      if (a.items.length !== b.items.length) return false;
      const step = (i: number): boolean => (i === a.items.length ? k() : this.unifyTerms(a.items[i]!, b.items[i]!, scope, () => step(i + 1)));
      return step(0);
    }
    throw new RegoEvalError('rego_unsafe_var_error', 'both sides of = have unbound variables', a.loc);
  }

  /** Matches a term (a pattern with variables) against a value, binding variables. */
  unify(t: Term, v: RegoValue, scope: Scope, k: K): boolean {
    switch (t.type) {
      case 'var': {
        if (t.name === '_') return k();
        const cur = scope.lookup(t.name);
        if (cur === undefined || cur === UNSET) {
          if (cur === undefined && this.globalRef(t.name, scope.module) !== undefined) {
            return this.evalTerm(t, scope, (g) => (equals(g, v) ? k() : false));
          }
          const undo = scope.bind(t.name, v);
          try {
            return k();
          } finally {
            undo();
          }
        }
        return equals(cur, v) ? k() : false;
      }
      case 'array': {
        if (!isArray(v) || v.length !== t.items.length) return false;
        const step = (i: number): boolean => (i === t.items.length ? k() : this.unify(t.items[i]!, v[i]!, scope, () => step(i + 1)));
        return step(0);
      }
      case 'object': {
        if (!isObject(v) || v.size !== t.entries.length) return false;
        const step = (i: number): boolean => {
          if (i === t.entries.length) return k();
          const [kt, vt] = t.entries[i]!;
          return this.evalTerm(kt, scope, (key) => {
            const val = v.get(key);
            return val === undefined ? false : this.unify(vt, val, scope, () => step(i + 1));
          });
        };
        return step(0);
      }
      default:
        return this.evalTerm(t, scope, (x) => (equals(x, v) ? k() : false));
    }
  }

  // ---- terms ---------------------------------------------------------------------------

  evalTerm(t: Term, scope: Scope, k: KV): boolean {
    switch (t.type) {
      case 'scalar':
        return k(t.value);
      case 'var': {
        const v = scope.lookup(t.name);
        if (v !== undefined && v !== UNSET) return k(v);
        if (t.name === 'input') return this.frame.input === undefined ? false : k(this.frame.input);
        if (t.name === 'data') return this.evalDataPath([], 0, this.compiled.root, this.baseData, scope, k);
        const g = this.globalRef(t.name, scope.module);
        if (g !== undefined) return this.evalRefFrom(g.root, g.path, NO_TERMS, scope, k);
        throw new RegoEvalError('eval_internal_error', `var ${t.name} is unbound`, t.loc);
      }
      case 'ref':
        return this.evalRef(t, scope, k);
      case 'array':
        return this.evalSeq(t.items, scope, (vals) => k(Object.freeze(vals)));
      case 'set':
        return this.evalSeq(t.items, scope, (vals) => k(RegoSet.from(vals)));
      case 'object': {
        const flat = t.entries.flatMap(([a, b]) => [a, b]);
        return this.evalSeq(flat, scope, (vals) => {
          const o = new RegoObject();
          for (let i = 0; i < vals.length; i += 2) o.set(vals[i]!, vals[i + 1]!);
          return k(o);
        });
      }
      case 'arraycomp': {
        const out: RegoValue[] = [];
        const inner = new Scope(scope, scope.module);
        this.evalBody(t.body, 0, inner, () => this.evalTerm(t.term, inner, (v) => (out.push(v), false)));
        return k(Object.freeze(out));
      }
      case 'setcomp': {
        const out = new RegoSet();
        const inner = new Scope(scope, scope.module);
        this.evalBody(t.body, 0, inner, () => this.evalTerm(t.term, inner, (v) => (out.add(v), false)));
        return k(out);
      }
      case 'objectcomp': {
        const out = new RegoObject();
        const inner = new Scope(scope, scope.module);
        this.evalBody(t.body, 0, inner, () =>
          this.evalTerm(t.key, inner, (key) =>
            this.evalTerm(t.value, inner, (value) => {
              const prev = out.get(key);
              if (prev !== undefined && !equals(prev, value)) {
                throw new RegoEvalError('eval_conflict_error', 'object keys must be unique', t.loc);
              }
              out.set(key, value);
              return false;
            }),
          ),
        );
        return k(out);
      }
      case 'call':
        return this.evalCall(t, scope, k);
    }
  }

  private evalSeq(items: readonly Term[], scope: Scope, k: (vals: RegoValue[]) => boolean): boolean {
    const vals: RegoValue[] = new Array(items.length);
    const step = (i: number): boolean => {
      if (i === items.length) return k(vals.slice());
      return this.evalTerm(items[i]!, scope, (v) => {
        vals[i] = v;
        return step(i + 1);
      });
    };
    return step(0);
  }

  /** A name that refers to a rule of the module's package, or an import (remembered: see perModule). */
  private globalRef(name: string, module: Module | undefined): GlobalRef | undefined {
    return perModule(GLOBAL_REFS, this.compiled, module, name, () => this.findGlobalRef(name, module));
  }

  private findGlobalRef(name: string, module: Module | undefined): GlobalRef | undefined {
    if (!module) return undefined;
    const imp = module.imports.find((i) => i.alias === name);
    if (imp) return { root: imp.path[0] as 'data' | 'input', path: imp.path.slice(1) };
    let node: TreeNode | undefined = this.compiled.root;
    for (const seg of module.pkg) node = node?.children.get(seg);
    if (node?.children.has(name)) return { root: 'data', path: [...module.pkg, name] };
    return undefined;
  }

  private evalRef(t: Extract<Term, { type: 'ref' }>, scope: Scope, k: KV): boolean {
    const head = t.head;
    if (head.type === 'var') {
      const v = scope.lookup(head.name);
      if (v === undefined) {
        if (head.name === 'data') return this.evalRefFrom('data', NO_PREFIX, t.path, scope, k);
        if (head.name === 'input') return this.evalRefFrom('input', NO_PREFIX, t.path, scope, k);
        const g = this.globalRef(head.name, scope.module);
        if (g !== undefined) return this.evalRefFrom(g.root, g.path, t.path, scope, k);
      }
    }
    return this.evalTerm(head, scope, (hv) => this.walk(hv, t.path, 0, scope, k));
  }

  private evalRefFrom(root: 'data' | 'input', prefix: readonly string[], path: readonly Term[], scope: Scope, k: KV): boolean {
    if (root === 'input') {
      if (this.frame.input === undefined) return false;
      let v: RegoValue | undefined = this.frame.input;
      for (const seg of prefix) {
        v = index(v, seg);
        if (v === undefined) return false;
      }
      return this.walk(v, path, 0, scope, k);
    }
    // data: resolve ground segments through the rule tree first. The segments of one
    // reference written in a policy are the same at every evaluation: built once (a bare
    // name's are its prefix; its path is shared by all policies, and must key nothing).
    if (path.length === 0) return this.evalDataSegs(prefix, 0, this.compiled.root, this.baseData, scope, k);
    let byPrefix = DATA_SEGS.get(path);
    if (byPrefix === undefined) DATA_SEGS.set(path, (byPrefix = new Map()));
    let segs = byPrefix.get(prefix);
    if (segs === undefined) {
      segs = [...prefix, ...path.map((p) => (p.type === 'scalar' && typeof p.value === 'string' ? p.value : p))];
      byPrefix.set(prefix, segs);
    }
    return this.evalDataSegs(segs, 0, this.compiled.root, this.baseData, scope, k);
  }

  private evalDataPath(path: readonly string[], i: number, node: TreeNode | undefined, base: RegoValue | undefined, scope: Scope, k: KV): boolean {
    return this.evalDataSegs(path, i, node, base, scope, k);
  }

  /**
   * Walks `data` along `segs`: through the rule tree while there are rules below, into the
   * base document otherwise. A rule reached is evaluated and the rest of the path is walked
   * in its value.
   */
  private evalDataSegs(segs: readonly (string | Term)[], i: number, node: TreeNode | undefined, base: RegoValue | undefined, scope: Scope, k: KV): boolean {
    const override = this.dataOverrideAt(segs, i);
    if (override !== undefined) return override(k, scope);
    if (node?.ruleSet) {
      const rs = node.ruleSet;
      if (rs.kind === 'function') return false;
      const rest = termsOf(segs, i);
      let value = rs.kind === 'partialobject' ? this.objectValue(rs, rest, scope) : this.ruleValue(rs);
      // `with data.p.q as …` below a rule's document replaces that part of it.
      if (this.frame.dataOverrides.length > 0) value = this.withOverridesBelow(value, segs, i);
      if (value === undefined) return false;
      return this.walk(value, rest, 0, scope, k);
    }
    if (i === segs.length) {
      const v = this.withOverridesBelow(this.materialize(node, base), segs, i);
      return v === undefined ? false : k(v);
    }
    const seg = segs[i]!;
    if (typeof seg === 'string') {
      const child = node?.children.get(seg);
      const b = base === undefined ? undefined : index(base, seg);
      const overridden = this.overrideBelow(segs, i + 1);
      if (child === undefined && b === undefined && !overridden) return false;
      if (child === undefined && !overridden) {
        const doc = this.withOverridesBelow(b, segs, i + 1);
        return doc === undefined ? false : this.walk(doc, termsOf(segs, i + 1), 0, scope, k, true);
      }
      return this.evalDataSegs(segs, i + 1, child, b, scope, k);
    }
    // A non-string key at this level.
    if (this.evaluable(seg, scope)) {
      return this.evalTerm(seg, scope, (key) => {
        if (typeof key === 'string') {
          const next = [...segs];
          next[i] = key;
          return this.evalDataSegs(next, i, node, base, scope, k);
        }
        // The base document comes from JSON, whose keys are strings: data[2] finds "2".
        const b = base === undefined ? undefined : (index(base, key) ?? (typeof key === 'number' ? index(base, String(key)) : undefined));
        return b === undefined ? false : this.walk(b, termsOf(segs, i + 1), 0, scope, k, true);
      });
    }
    // Iterate over the keys available here (rules and base data).
    const whole = this.materialize(node, base);
    if (whole === undefined) return false;
    return this.walk(whole, termsOf(segs, i), 0, scope, k);
  }

  /** The document at a tree node: base data merged with the values of every rule below. */
  private materialize(node: TreeNode | undefined, base: RegoValue | undefined): RegoValue | undefined {
    if (node === undefined) return base;
    if (node.ruleSet) return node.ruleSet.kind === 'function' ? undefined : this.ruleValue(node.ruleSet);
    if (node.children.size === 0) return base ?? (node.isPackage ? new RegoObject() : undefined);
    const out = new RegoObject();
    if (isObject(base)) for (const [kk, v] of base.unorderedEntries()) out.set(kk, v);
    for (const [name, child] of node.children) {
      const v = this.materialize(child, base === undefined ? undefined : index(base, name));
      if (v !== undefined) out.set(name, v);
    }
    return out;
  }

  /** `with data.x.y as v`: an override that applies at this point of the walk, if any. */
  private dataOverrideAt(segs: readonly (string | Term)[], i: number): ((k: KV, scope: Scope) => boolean) | undefined {
    const overrides = this.frame.dataOverrides;
    if (overrides.length === 0) return undefined;
    const prefix = segs.slice(0, i);
    if (prefix.some((s) => typeof s !== 'string')) return undefined;
    for (let n = overrides.length - 1; n >= 0; n--) {
      const o = overrides[n]!;
      if (o.path.length === i && o.path.every((p, j) => p === prefix[j])) {
        return (k, scope) => this.walk(o.value, termsOf(segs, i), 0, scope, k);
      }
    }
    return undefined;
  }

  /** `doc` (at the first n segments) with every deeper `with data…` override applied, in order. */
  private withOverridesBelow(doc: RegoValue | undefined, segs: readonly (string | Term)[], n: number): RegoValue | undefined {
    let out = doc;
    for (const o of this.frame.dataOverrides) {
      if (o.path.length > n && segs.slice(0, n).every((s, j) => s === o.path[j])) out = upsert(out, o.path.slice(n), o.value);
    }
    return out;
  }

  /** Whether a `with data…` override lies at or below the first `n` segments. */
  private overrideBelow(segs: readonly (string | Term)[], n: number): boolean {
    return this.frame.dataOverrides.some((o) => o.path.length >= n && segs.slice(0, n).every((s, j) => s === o.path[j]));
  }

  /**
   * Walks a value along path terms; unbound keys iterate. In `base` documents (JSON data, whose
   * keys are strings) a number key finds the string key it spells, as OPA's store does.
   */
  private walk(v: RegoValue, path: readonly Term[], i: number, scope: Scope, k: KV, base = false): boolean {
    const at = base ? baseIndex : index;
    if (i === path.length) return k(v);
    const p = path[i]!;
    if (p.type === 'scalar') {
      const next = at(v, p.value);
      return next === undefined ? false : this.walk(next, path, i + 1, scope, k, base);
    }
    if (this.evaluable(p, scope) && p.type !== 'var') {
      return this.evalTerm(p, scope, (key) => {
        const next = at(v, key);
        return next === undefined ? false : this.walk(next, path, i + 1, scope, k, base);
      });
    }
    if (p.type === 'var') {
      const bound = scope.lookup(p.name);
      if (p.name !== '_' && bound !== undefined && bound !== UNSET) {
        const next = at(v, bound);
        return next === undefined ? false : this.walk(next, path, i + 1, scope, k, base);
      }
      if (p.name !== '_' && bound === undefined && this.globalRef(p.name, scope.module) !== undefined) {
        return this.evalTerm(p, scope, (key) => {
          const next = at(v, key);
          return next === undefined ? false : this.walk(next, path, i + 1, scope, k, base);
        });
      }
    }
    // Iterate the collection, matching the key term.
    return this.iterate(v, (key, value) => this.unify(p, key, scope, () => this.walk(value, path, i + 1, scope, k, base)));
  }

  /** Calls `f(key, value)` for each member of a collection in Rego's order; stops when it returns true. */
  private iterate(coll: RegoValue, f: (key: RegoValue, value: RegoValue) => boolean): boolean {
    // Every member visited is a step: iteration is where runaway policies spend their time.
    if (isArray(coll)) {
      for (let i = 0; i < coll.length; i++) {
        this.tick();
        if (f(i, coll[i]!)) return true;
      }
      return false;
    }
    if (isObject(coll)) {
      for (const [kk, v] of coll.sortedEntries()) {
        this.tick();
        if (f(kk, v)) return true;
      }
      return false;
    }
    if (isSet(coll)) {
      for (const v of coll.sortedValues()) {
        this.tick();
        if (f(v, v)) return true;
      }
      return false;
    }
    return false;
  }

  // ---- rules ---------------------------------------------------------------------------

  /** The value of a complete or partial rule set, cached per query and `with` frame. */
  ruleValue(rs: RuleSet): RegoValue | undefined {
    const cache = this.frame.cache;
    const cached = cache.get(rs.key);
    if (cached === IN_PROGRESS) {
      throw new RegoEvalError('rego_recursion_error', `rule data.${rs.path.join('.')} depends on itself`, rs.rules[0]?.loc);
    }
    if (cache.has(rs.key)) return cached as RegoValue | undefined;
    cache.set(rs.key, IN_PROGRESS);
    let value: RegoValue | undefined;
    try {
      value = this.computeRule(rs);
    } catch (err) {
      cache.delete(rs.key);
      throw err;
    }
    cache.set(rs.key, value);
    return value;
  }

  /**
   * An object document looked up along `path`. When the whole document has conflicting rules,
   * OPA still answers lookups whose key path avoids the conflict: evaluate only the rules that
   * can contribute along the ground keys of the path.
   */
  private objectValue(rs: RuleSet, path: readonly Term[], scope: Scope): RegoValue | undefined {
    const cache = this.frame.cache;
    const failed = rs.key + '\u0000!';
    if (!cache.has(failed)) {
      try {
        return this.ruleValue(rs);
      } catch (err) {
        if (!(err instanceof RegoEvalError) || err.code !== 'eval_conflict_error') throw err;
        cache.set(failed, undefined);
      }
    }
    const keys: RegoValue[] = [];
    for (const t of path) {
      if (t.type === 'scalar') keys.push(t.value);
      else if (t.type === 'var' && t.name !== '_') {
        const v = scope.lookup(t.name);
        if (v === undefined || v === UNSET) break;
        keys.push(v);
      } else break;
    }
    if (keys.length === 0) return this.ruleValue(rs);
    const key = rs.key + '\u0000' + String(keyOf(keys));
    const cached = cache.get(key);
    if (cached !== undefined && cached !== IN_PROGRESS) return cached;
    const value = this.computeObject(rs, keys);
    cache.set(key, value);
    return value;
  }

  private computeRule(rs: RuleSet): RegoValue | undefined {
    switch (rs.kind) {
      case 'complete': {
        let value: RegoValue | undefined;
        for (const rule of rs.rules) {
          const v = this.evalCompleteRule(rule, undefined);
          if (v === undefined) continue;
          if (value !== undefined && !equals(value, v)) {
            throw new RegoEvalError('eval_conflict_error', 'complete rules must not produce multiple outputs', rule.loc);
          }
          value = v;
        }
        if (value === undefined && rs.defaultRule) {
          this.evalTerm(rs.defaultRule.value, new Scope(undefined, rs.defaultRule.module), (v) => ((value = v), true));
        }
        return value;
      }
      case 'partialset': {
        const out = new RegoSet();
        for (const rule of rs.rules) {
          const scope = new Scope(undefined, rule.module);
          this.evalBody(rule.body, 0, scope, () => this.evalTerm(rule.key!, scope, (v) => (out.add(v), false)));
        }
        return out;
      }
      case 'partialobject':
        return this.computeObject(rs, undefined);
      default:
        return undefined;
    }
  }

  /**
   * The object document of rules with variables in their heads (OPA's general rule refs). Each
   * solution of each rule puts its value, or adds its member to the set, at the path its head
   * names. Two different values at one path conflict, and so does a path that runs through
   * another rule's value. With `only`, contributions outside that key path are left out: a
   * lookup of one key sees only the rules that can produce it, as in OPA.
   */
  private computeObject(rs: RuleSet, only: readonly RegoValue[] | undefined): RegoObject {
    const root = new RegoObject();
    // Objects that are some rule's value: a later path may not run through them.
    const placed = new WeakSet<RegoObject>();
    for (const m of rs.members ?? []) {
      const rule = m.rule;
      if (only !== undefined && !m.ref.every((t, i) => i >= only.length || t.type !== 'scalar' || equals(t.value, only[i]!))) continue;
      const conflict = (): never => {
        throw new RegoEvalError('eval_conflict_error', 'object keys must be unique', rule.loc);
      };
      const put = (keys: readonly RegoValue[], value: RegoValue): boolean => {
        if (only !== undefined && !only.every((o, i) => i >= keys.length || equals(o, keys[i]!))) return false;
        let node = root;
        for (let n = 0; n < keys.length - 1; n++) {
          const key = keys[n]!;
          const next = node.get(key);
          if (next === undefined) {
            const child = new RegoObject();
            node.set(key, child);
            node = child;
          } else if (isObject(next) && !placed.has(next)) node = next;
          else conflict();
        }
        const last = keys[keys.length - 1];
        if (last === undefined) conflict();
        const prev = node.get(last!);
        if (m.multi) {
          if (prev === undefined) node.set(last!, RegoSet.from([value]));
          else if (isSet(prev)) prev.add(value);
          else conflict();
          return false;
        }
        if (prev !== undefined && !equals(prev, value)) conflict();
        const v = prev ?? value;
        if (prev === undefined) node.set(last!, value);
        if (isObject(v)) placed.add(v);
        return false;
      };
      if (!m.multi && rule.kind === 'complete') {
        // A rule without variables in its head inside the document: its value, else chain included.
        const keys = m.ref.map((t) => (t as Extract<Term, { type: 'scalar' }>).value);
        const v = this.evalCompleteRule(rule, undefined);
        if (v !== undefined) put(keys, v);
        continue;
      }
      const leaf = m.multi ? rule.key! : rule.value;
      const scope = new Scope(undefined, rule.module);
      this.evalBody(rule.body, 0, scope, () => this.evalSeq(m.ref, scope, (keys) => this.evalTerm(leaf, scope, (value) => put(keys, value))));
    }
    return root;
  }

  /** One complete rule (or function definition) with its else chain; args for functions. */
  private evalCompleteRule(rule: Rule, args: readonly RegoValue[] | undefined): RegoValue | undefined {
    for (let r: Rule | undefined = rule; r; r = r.elseRule) {
      const scope = new Scope(undefined, r.module);
      let value: RegoValue | undefined;
      const bodyOk = (): boolean =>
        this.evalBody(r!.body, 0, scope, () =>
          this.evalTerm(r!.value, scope, (v) => {
            if (value !== undefined && !equals(value, v)) {
              throw new RegoEvalError(
                'eval_conflict_error',
                args ? 'functions must not produce multiple outputs for same inputs' : 'complete rules must not produce multiple outputs',
                r!.loc,
              );
            }
            value = v;
            return false;
          }),
        );
      if (args) {
        const params = r.args ?? [];
        // Parameters are the function's own variables, even where a rule has the same name.
        for (const p of params) this.declare(p, scope);
        const step = (i: number): boolean => (i === params.length ? (bodyOk(), false) : this.unify(params[i]!, args[i]!, scope, () => step(i + 1)));
        step(0);
      } else bodyOk();
      if (value !== undefined) return value;
    }
    return undefined;
  }

  private callFunction(rs: RuleSet, args: readonly RegoValue[], loc: Term['loc']): RegoValue | undefined {
    if (++this.depth > 1000) {
      this.depth = 0;
      throw new RegoEvalError('eval_limit_error', `function data.${rs.path.join('.')} recursed too deeply`, loc);
    }
    try {
      let value: RegoValue | undefined;
      for (const rule of rs.rules) {
        const v = this.evalCompleteRule(rule, args);
        if (v === undefined) continue;
        if (value !== undefined && !equals(value, v)) {
          throw new RegoEvalError('eval_conflict_error', 'functions must not produce multiple outputs for same inputs', rule.loc);
        }
        value = v;
      }
      if (value === undefined && rs.defaultRule) {
        this.evalTerm(rs.defaultRule.value, new Scope(undefined, rs.defaultRule.module), (v) => ((value = v), true));
      }
      return value;
    } finally {
      this.depth--;
    }
  }

  // ---- calls ---------------------------------------------------------------------------

  private evalCall(t: Extract<Term, { type: 'call' }>, scope: Scope, k: KV): boolean {
    if (t.name === 'internal.member_2' || t.name === 'internal.member_3') return this.evalMember(t, scope, k);
    if (t.name === 'print' && !this.frame.functions.has('print')) return this.evalPrint(t, scope, k);
    const outIdx = outputArgIndex(t, this.compiled, scope.module);
    const inputs = outIdx >= 0 ? t.args.slice(0, outIdx) : t.args;
    return this.evalSeq(inputs, scope, (vals) => {
      const finish = (v: RegoValue) => (outIdx >= 0 ? this.unify(t.args[outIdx]!, v, scope, () => k(true)) : k(v));
      const mocks = this.frame.functions;
      const mock = mocks.size === 0 ? undefined : (mocks.get(t.name) ?? mocks.get(this.canonicalFnName(t.name, scope.module)));
      if (mock) {
        if (mock.kind === 'value') return finish(mock.value);
        const target = mock.target;
        const name = target.type === 'var' ? target.name : dottedName(target);
        // The replacement runs without any function mocks: the mocked name means the original
        // again, and no other mock applies inside it (OPA pops all mocks for the call).
        const outer = this.frame;
        const functions: Frame['functions'] = new Map();
        this.frame = { ...outer, functions, cache: new Map() };
        try {
          return this.invoke(name ?? t.name, vals, mock.module, t, (v) => {
            this.frame = outer;
            try {
              return finish(v);
            } finally {
              this.frame = { ...outer, functions, cache: this.frame.cache };
            }
          });
        } finally {
          this.frame = outer;
        }
      }
      return this.invoke(t.name, vals, scope.module, t, finish);
    });
  }

  private canonicalFnName(name: string, module: Module | undefined): string {
    const f = resolved(name, module, this.compiled);
    return f?.kind === 'rule' ? 'data.' + f.ruleSet.path.join('.') : name;
  }

  private invoke(name: string, vals: readonly RegoValue[], module: Module | undefined, t: Extract<Term, { type: 'call' }>, k: KV): boolean {
    const f = resolved(name, module, this.compiled);
    if (f === undefined) throw new RegoEvalError('eval_internal_error', `undefined function ${name}`, t.loc);
    if (f.kind === 'rule') {
      const v = this.callFunction(f.ruleSet, vals, t.loc);
      return v === undefined ? false : k(v);
    }
    const b = BUILTINS.get(f.name)!;
    if (vals.length !== b.arity) {
      throw new RegoEvalError('rego_type_error', `${b.name}: expected ${b.arity} arguments, got ${vals.length}`, t.loc);
    }
    return this.callBuiltin(b, vals, t, k);
  }

  private callBuiltin(b: Builtin, vals: readonly RegoValue[], t: Term, k: KV): boolean {
    try {
      if (b.kind === 'relation') {
        for (const v of b.impl(vals, this.ctx)) if (k(v)) return true;
        return false;
      }
      const v = b.impl(vals, this.ctx);
      return v === undefined ? false : k(v);
    } catch (err) {
      if (err instanceof BuiltinError) {
        if (this.strict) throw new RegoEvalError(err.code, err.message, t.loc, { cause: err });
        return false;
      }
      throw err;
    }
  }

  /**
   * `print(a, b, …)`: variadic, never undefined, never fails: each argument prints as its
   * first value (strings bare), or `<undefined>`.
   */
  private evalPrint(t: Extract<Term, { type: 'call' }>, scope: Scope, k: KV): boolean {
    const parts = t.args.map((a) => {
      let text = '<undefined>';
      try {
        this.evalTerm(a, scope, (v) => {
          text = typeof v === 'string' ? v : formatValue(v);
          return true;
        });
      } catch (err) {
        if (!(err instanceof RegoEvalError)) throw err;
      }
      return text;
    });
    this.ctx.print?.(parts.join(' '));
    return k(true);
  }

  private evalMember(t: Extract<Term, { type: 'call' }>, scope: Scope, k: KV): boolean {
    const three = t.name === 'internal.member_3';
    const coll = t.args[three ? 2 : 1]!;
    return this.evalTerm(coll, scope, (c) => {
      let found = false;
      const keyTerm = three ? t.args[0]! : undefined;
      const valueTerm = three ? t.args[1]! : t.args[0]!;
      return this.evalTerm(valueTerm, scope, (x) => {
        if (keyTerm) {
          return this.evalTerm(keyTerm, scope, (key) => {
            const v = index(c, key);
            return k(v !== undefined && equals(v, x));
          });
        }
        if (isSet(c)) found = c.has(x);
        else if (isArray(c)) found = c.some((e) => equals(e, x));
        else if (isObject(c)) {
          for (const [, v] of c.unorderedEntries()) if (equals(v, x)) found = true;
        }
        return k(found);
      });
    });
  }

  // ---- with ----------------------------------------------------------------------------

  private applyWiths(withs: readonly WithModifier[], scope: Scope): Frame {
    let input = this.frame.input;
    const dataOverrides = [...this.frame.dataOverrides];
    const functions = new Map(this.frame.functions);
    for (const w of withs) {
      const target = w.target;
      const rootName = target.type === 'var' ? target.name : target.type === 'ref' && target.head.type === 'var' ? target.head.name : undefined;
      const path = target.type === 'ref' ? target.path.map((p) => (p.type === 'scalar' ? p.value : undefined)) : [];
      if (path.some((p) => p === undefined)) throw new RegoEvalError('rego_type_error', 'with targets must be ground refs', w.loc);
      const segs = path as RegoValue[];
      // A function or builtin mock?
      const dotted = target.type === 'var' ? target.name : dottedName(target);
      const asFn = dotted !== undefined && rootName !== 'input' ? resolveFunction(dotted, scope.module, this.compiled) : undefined;
      if (asFn && (asFn.kind === 'builtin' || asFn.ruleSet.kind === 'function')) {
        const key = asFn.kind === 'builtin' ? asFn.name : 'data.' + asFn.ruleSet.path.join('.');
        const vt = w.value;
        const vName = vt.type === 'var' ? vt.name : dottedName(vt);
        const fnTarget = vName !== undefined ? resolveFunction(vName, scope.module, this.compiled) : undefined;
        if (fnTarget && (fnTarget.kind === 'builtin' || fnTarget.ruleSet.kind === 'function')) {
          functions.set(key, { kind: 'fn', target: vt, module: scope.module });
        } else {
          let value: RegoValue | undefined;
          this.evalTerm(vt, scope, (v) => ((value = v), true));
          if (value === undefined) return { ...this.frame, cache: new Map(), input: undefined, dataOverrides: [], functions };
          functions.set(key, { kind: 'value', value });
        }
        continue;
      }
      let value: RegoValue | undefined;
      this.evalTerm(w.value, scope, (v) => ((value = v), true));
      if (value === undefined) throw new RegoEvalError('eval_internal_error', 'with value is undefined', w.loc);
      if (rootName === 'input') {
        input = segs.length === 0 ? value : upsert(input, segs, value);
      } else {
        let fullPath: RegoValue[] | undefined;
        if (rootName === 'data') fullPath = segs;
        else if (rootName !== undefined) {
          const g = this.globalRef(rootName, scope.module);
          if (g?.root === 'data') fullPath = [...g.path, ...segs];
          else if (g?.root === 'input') {
            input = upsert(input, [...g.path, ...segs], value);
            continue;
          }
        }
        if (fullPath === undefined || fullPath.some((p) => typeof p !== 'string')) {
          throw new RegoEvalError('rego_type_error', 'with targets must be input, data or a function', w.loc);
        }
        dataOverrides.push({ path: fullPath as string[], value });
      }
    }
    return { input, dataOverrides, functions, cache: new Map() };
  }
}

/**
 * resolveFunction, remembered per compiled policy and module: a call's name means the same
 * rule or builtin for as long as the compiled modules live, and resolving it splits and joins
 * strings (it ran on every call of every evaluation).
 */
function resolved(name: string, module: Module | undefined, compiled: CompiledModules): ReturnType<typeof resolveFunction> {
  return perModule(RESOLVED, compiled, module, name, () => resolveFunction(name, module, compiled));
}
const RESOLVED: PerModule<ReturnType<typeof resolveFunction>> = new WeakMap();

/** Where a global name (a rule of the module's package, or an import) points. */
interface GlobalRef {
  readonly root: 'data' | 'input';
  readonly path: readonly string[];
}
const GLOBAL_REFS: PerModule<GlobalRef | undefined> = new WeakMap();

/**
 * What a name means in a module, computed once per compiled policy: compiled modules do not
 * change while they live, and a reference's meaning follows from them alone.
 */
type PerModule<T> = WeakMap<CompiledModules, Map<Module | undefined, Map<string, T>>>;
function perModule<T>(memo: PerModule<T>, compiled: CompiledModules, module: Module | undefined, name: string, compute: () => T): T {
  let byModule = memo.get(compiled);
  if (byModule === undefined) memo.set(compiled, (byModule = new Map()));
  let names = byModule.get(module);
  if (names === undefined) byModule.set(module, (names = new Map()));
  if (names.has(name)) return names.get(name) as T;
  const value = compute();
  names.set(name, value);
  return value;
}

/**
 * The data segments of a reference's path after a prefix (see evalRefFrom), by path and prefix:
 * the path is a reference's own (its AST's, so it lives as long as its policy), the prefix
 * NO_PREFIX or a remembered GlobalRef's path (of the same policy).
 */
const NO_PREFIX: readonly string[] = [];
const NO_TERMS: readonly Term[] = [];
const DATA_SEGS = new WeakMap<readonly Term[], Map<readonly string[], readonly (string | Term)[]>>();

const LOC = { file: '', line: 0, col: 0 };

/**
 * `segs` from `from` on, as terms; remembered per segments array, which for a reference
 * written in a policy is the same at every evaluation (see evalRefFrom).
 */
function termsOf(segs: readonly (string | Term)[], from: number): readonly Term[] {
  let byFrom = TERMS_OF.get(segs);
  if (byFrom === undefined) TERMS_OF.set(segs, (byFrom = []));
  return (byFrom[from] ??= segs.slice(from).map(toTerm));
}
const TERMS_OF = new WeakMap<readonly (string | Term)[], Term[][]>();

function toTerm(s: string | Term): Term {
  return typeof s === 'string' ? { type: 'scalar', value: s, loc: LOC } : s;
}

/** `coll[key]` with Rego semantics (arrays by integer index), or undefined. */
export function index(coll: RegoValue | undefined, key: RegoValue): RegoValue | undefined {
  if (coll === undefined || coll === null || typeof coll !== 'object') return undefined;
  if (isArray(coll)) {
    if (typeof key === 'number' && Number.isInteger(key) && key >= 0 && key < coll.length) return coll[key];
    return undefined;
  }
  if (isObject(coll)) return coll.get(key);
  if (isSet(coll)) return coll.has(key) ? key : undefined;
  return undefined;
}

/** `index` for base documents: their keys are strings, so `data.x[2]` finds `"2"`. */
function baseIndex(coll: RegoValue | undefined, key: RegoValue): RegoValue | undefined {
  const v = index(coll, key);
  if (v !== undefined || !isObject(coll) || (typeof key !== 'number' && typeof key !== 'bigint')) return v;
  return coll.get(toJSONText(key));
}

/** A copy of `doc` with `path` set to `value` (creating objects on the way), for `with input.x`. */
function upsert(doc: RegoValue | undefined, path: readonly RegoValue[], value: RegoValue): RegoValue {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [RegoValue, ...RegoValue[]];
  const out = new RegoObject();
  if (isObject(doc)) for (const [kk, v] of doc.unorderedEntries()) out.set(kk, v);
  out.set(head, upsert(isObject(doc) ? doc.get(head) : undefined, rest, value));
  return out;
}

export { Scope, typeName, keyOf, formatValue };
