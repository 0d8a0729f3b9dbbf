import type { Body, Expr, Module, Rule, Term } from './ast.js';
import { BUILTINS } from './builtins/index.js';
import { RegoCompileError } from './errors.js';
import { exprTerms, forEachTerm, ROOTS, termIO, termVars } from './vars.js';

/** All rules at one path of the data tree. */
export interface RuleSet {
  readonly path: readonly string[];
  readonly key: string;
  readonly kind: Rule['kind'];
  readonly rules: readonly Rule[];
  readonly defaultRule: Rule | undefined;
  /** Object documents built by rules with variables in their heads: each rule's place in it. */
  readonly members?: readonly GroupMember[];
}

export interface TreeNode {
  readonly children: Map<string, TreeNode>;
  ruleSet: RuleSet | undefined;
  /** A package is a document even without rules: `data.<pkg>` is at least `{}`. */
  isPackage?: boolean;
}

export interface CompiledModules {
  readonly root: TreeNode;
  readonly ruleSets: ReadonlyMap<string, RuleSet>;
  readonly modules: readonly Module[];
}

/**
 * Builds the rule tree and checks what can be checked before evaluation: conflicting rule
 * kinds, unknown functions, unsafe variables (reordering bodies so that variables are bound
 * before they are used, as OPA does), and recursion between rules.
 */
export function compileModules(modules: readonly Module[]): CompiledModules {
  const ruleSets = new Map<string, RuleSet>();
  const root: TreeNode = { children: new Map(), ruleSet: undefined };
  const nodeAt = (path: readonly string[]): TreeNode => {
    let node = root;
    for (const seg of path) {
      let child = node.children.get(seg);
      if (!child) {
        child = { children: new Map(), ruleSet: undefined };
        node.children.set(seg, child);
      }
      node = child;
    }
    return node;
  };
  // Rules sit in the tree at the ground (string) prefix of their head reference.
  const rulesAt = new Map<TreeNode, Rule[]>();
  for (const m of modules) {
    for (const r of m.rules) {
      const node = nodeAt(r.path);
      const list = rulesAt.get(node);
      if (list) list.push(r);
      else rulesAt.set(node, [r]);
    }
  }
  for (const m of modules) nodeAt(m.pkg).isPackage = true;
  for (const [node, rules] of rulesAt) checkNodeRules(node, rules);
  // A node whose rules have variables in their heads owns the whole document below it: every
  // rule in its subtree contributes to one object, at the path its head names. Other nodes
  // hold a complete value, a set, or a function.
  const assign = (node: TreeNode, path: readonly string[]): void => {
    const rules = rulesAt.get(node);
    if (rules) {
      const key = path.join('\u0000');
      const first = rules[0]!;
      if (rules.some((r) => relativeRef(r).length > 0)) {
        const all: GroupMember[] = [];
        collectMembers(node, [], rulesAt, all);
        // Functions below are no part of the document, but stay callable by their names.
        for (const fn of all.filter((x) => x.rule.kind === 'function')) registerFunction(fn.rule, rulesAt, ruleSets);
        const members = all.filter((x) => x.rule.kind !== 'function');
        const rs: RuleSet = { path, key, kind: 'partialobject', rules: members.map((x) => x.rule), defaultRule: undefined, members };
        ruleSets.set(key, rs);
        node.ruleSet = rs;
        return;
      }
      const rs: RuleSet = { path, key, kind: first.kind, rules: rules.filter((r) => !r.isDefault), defaultRule: rules.find((r) => r.isDefault) };
      ruleSets.set(key, rs);
      node.ruleSet = rs;
    }
    for (const [seg, child] of node.children) assign(child, [...path, seg]);
  };
  assign(root, []);
  const compiled = { root, ruleSets, modules };
  for (const m of modules) for (const r of m.rules) checkRule(r, compiled);
  checkRecursion(compiled);
  return compiled;
}

/** The terms of a rule's head reference below its ground prefix (a set rule's member excluded). */
function relativeRef(r: Rule): readonly Term[] {
  if (r.kind === 'partialobject') return r.keyPath ?? (r.key ? [r.key] : []);
  if (r.kind === 'partialset') return r.keyPath ?? [];
  return [];
}

/** One rule's contribution to an object document: the head path below the document's root. */
export interface GroupMember {
  readonly rule: Rule;
  /** Path terms from the document's root to the value (or set) this rule produces. */
  readonly ref: readonly Term[];
  /** `contains` rules add members to a set at `ref`; the others put a value there. */
  readonly multi: boolean;
}

function collectMembers(node: TreeNode, prefix: readonly string[], rulesAt: ReadonlyMap<TreeNode, readonly Rule[]>, out: GroupMember[]): void {
  const here: Term[] = prefix.map((seg) => ({ type: 'scalar', value: seg, loc: { file: '', line: 0, col: 0 } }));
  for (const r of rulesAt.get(node) ?? []) {
    if (r.isDefault) continue;
    out.push({ rule: r, ref: [...here, ...relativeRef(r)], multi: r.kind === 'partialset' });
  }
  for (const [seg, child] of node.children) collectMembers(child, [...prefix, seg], rulesAt, out);
}

function registerFunction(r: Rule, rulesAt: ReadonlyMap<TreeNode, readonly Rule[]>, ruleSets: Map<string, RuleSet>): void {
  const key = r.path.join('\u0000');
  if (ruleSets.has(key)) return;
  for (const rules of rulesAt.values()) {
    if (rules[0]?.path.join('\u0000') !== key) continue;
    ruleSets.set(key, { path: r.path, key, kind: 'function', rules: rules.filter((x) => !x.isDefault), defaultRule: rules.find((x) => x.isDefault) });
    return;
  }
}

/**
 * OPA's checks on the rules at one node of the rule tree: a rule without variables in its
 * head may have no rules below it; single-value and multi-value rules, functions of different
 * arity, and complete rules beside rules with variables may not share a node; one default.
 */
function checkNodeRules(node: TreeNode, rules: readonly Rule[]): void {
  const first = rules[0]!;
  const name = 'data.' + first.path.join('.');
  const grounded = rules.filter((r) => relativeRef(r).length === 0);
  if (grounded.length > 0 && node.children.size > 0) {
    const below: string[] = [];
    const walk = (n: TreeNode, path: string[]): void => {
      for (const [seg, c] of n.children) {
        below.push([name, ...path, seg].join('.'));
        walk(c, [...path, seg]);
      }
    };
    walk(node, []);
    throw new RegoCompileError('rego_type_error', `rule ${name} conflicts with [${below.join(' ')}]`, grounded[0]!.loc);
  }
  const kinds = new Set(rules.map((r) => (r.kind === 'partialset' ? 'multi' : 'single')));
  const arities = new Set(rules.map((r) => r.args?.length ?? 0));
  const complete = rules.filter((r) => r.kind !== 'partialset' && relativeRef(r).length === 0).length;
  if (kinds.size > 1 || arities.size > 1 || (complete > 0 && complete < rules.length)) {
    throw new RegoCompileError('rego_type_error', `conflicting rules ${name} found`, first.loc);
  }
  const defaults = rules.filter((r) => r.isDefault);
  if (defaults.length > 1) throw new RegoCompileError('rego_type_error', `multiple default rules ${name} found`, defaults[1]!.loc);
}

/** Resolves a call name as written in `module` to a rule set or a builtin. */
export function resolveFunction(
  name: string,
  module: Module | undefined,
  compiled: CompiledModules,
): { kind: 'rule'; ruleSet: RuleSet } | { kind: 'builtin'; name: string } | undefined {
  const parts = name.split('.');
  const candidates: string[][] = [];
  if (parts[0] === 'data') candidates.push(parts.slice(1));
  else if (module) {
    const imp = module.imports.find((i) => i.alias === parts[0]);
    if (imp && imp.path[0] === 'data') candidates.push([...imp.path.slice(1), ...parts.slice(1)]);
    candidates.push([...module.pkg, ...parts]);
  }
  for (const c of candidates) {
    const rs = compiled.ruleSets.get(c.join('\u0000'));
    if (rs) return { kind: 'rule', ruleSet: rs };
  }
  if (BUILTINS.has(name)) return { kind: 'builtin', name };
  return undefined;
}

/** First segments of dotted builtin names (`object` of object.get), which are never variables. */
const BUILTIN_NAMESPACES = new Set([...BUILTINS.keys()].filter((n) => n.includes('.')).map((n) => n.split('.')[0]!));

/** Whether `name` as written in `module` refers to something global (a rule, an import, a root). */
export function isGlobalName(name: string, module: Module | undefined, compiled: CompiledModules): boolean {
  if (ROOTS.has(name) || BUILTINS.has(name) || BUILTIN_NAMESPACES.has(name)) return true;
  if (!module) return false;
  if (module.imports.some((i) => i.alias === name)) return true;
  let node: TreeNode | undefined = compiled.root;
  for (const seg of module.pkg) node = node?.children.get(seg);
  return node?.children.has(name) ?? false;
}

function checkRule(rule: Rule, compiled: CompiledModules): void {
  // A function's parameters are its own variables, even where a rule has the same name.
  const params = new Set<string>();
  for (const a of rule.args ?? []) for (const v of termVars(a)) if (v !== '_') params.add(v);
  const isGlobal = (n: string) => !params.has(n) && isGlobalName(n, rule.module, compiled);
  const bound = new Set<string>(params);
  const ordered = reorderBody(rule.body, bound, isGlobal, compiled, rule.module);
  (rule as { body: Body }).body = ordered;
  for (const t of [rule.key, rule.value, ...(rule.keyPath ?? [])]) {
    if (!t) continue;
    for (const v of termVars(t, new Set(), false)) {
      if (!isGlobal(v) && v !== '_' && !bound.has(v)) {
        throw new RegoCompileError('rego_unsafe_var_error', `var ${v} is unsafe`, rule.loc);
      }
    }
    checkNested({ kind: 'term', term: t, negated: false, withs: [], loc: rule.loc }, bound, isGlobal, compiled, rule.module);
  }
  if (rule.elseRule) checkRule(rule.elseRule, compiled);
  checkCalls(rule, compiled);
}

/**
 * Reorders a body so that every expression's inputs are bound by earlier ones (OPA's
 * safety reordering), and reports variables that nothing binds. `bound` is updated with
 * every variable the body binds.
 */
export function reorderBody(
  body: Body,
  bound: Set<string>,
  isGlobal: (n: string) => boolean,
  compiled: CompiledModules,
  module: Module | undefined,
): Body {
  const pending = body.flatMap(splitUnify);
  const out: Expr[] = [];
  const locals = new Set<string>();
  for (const e of body) collectLocals(e, locals, isGlobal);
  const isLocal = (n: string) => locals.has(n);
  while (pending.length > 0) {
    let picked = -1;
    let io: { needs: Set<string>; binds: Set<string> } | undefined;
    for (let i = 0; i < pending.length; i++) {
      const candidate = exprIO(pending[i]!, isLocal, bound, compiled, module);
      if ([...candidate.needs].every((v) => bound.has(v))) {
        picked = i;
        io = candidate;
        break;
      }
    }
    if (picked < 0) {
      const e = pending[0]!;
      const missing = [...exprIO(e, isLocal, bound, compiled, module).needs].filter((v) => !bound.has(v)).sort();
      throw new RegoCompileError('rego_unsafe_var_error', `var ${missing[0] ?? '?'} is unsafe`, e.loc);
    }
    const e = pending.splice(picked, 1)[0]!;
    checkNested(e, bound, isGlobal, compiled, module);
    out.push(e);
    for (const v of io!.binds) bound.add(v);
  }
  return out;
}

/** Variables bound inside a body: anything that is not global (wildcards included). */
function collectLocals(e: Expr, out: Set<string>, isGlobal: (n: string) => boolean): void {
  const add = (t: Term) => {
    for (const v of termVars(t, new Set(), false)) if (!isGlobal(v)) out.add(v);
  };
  switch (e.kind) {
    case 'term':
      add(e.term);
      break;
    case 'unify':
    case 'assign':
      add(e.left);
      add(e.right);
      break;
    case 'some':
      for (const v of e.vars) out.add(v);
      break;
    case 'somein':
    case 'every':
      if (e.key) add(e.key);
      add(e.value);
      add(e.domain);
      break;
  }
  for (const w of e.withs) add(w.value);
}

function exprIO(
  e: Expr,
  isLocal: (n: string) => boolean,
  bound: ReadonlySet<string>,
  compiled: CompiledModules,
  module: Module | undefined,
): { needs: Set<string>; binds: Set<string> } {
  const needs = new Set<string>();
  const binds = new Set<string>();
  const local = (n: string) => isLocal(n) && n !== '_';
  switch (e.kind) {
    case 'term': {
      const t = e.term;
      if (t.type === 'call') {
        const outArg = outputArgIndex(t, compiled, module);
        t.args.forEach((a, i) => termIO(a, local, needs, binds, i !== outArg));
      } else termIO(t, local, needs, binds, true);
      break;
    }
    case 'unify': {
      // One side is evaluated, the other matched against its value. A side can be evaluated
      // when its inputs and its plain variables are bound (ref keys may still iterate).
      const side = (t: Term) => {
        const x = { needs: new Set<string>(), pattern: new Set<string>(), iter: new Set<string>() };
        termIO(t, local, x.needs, x.pattern, false, x.iter);
        return x;
      };
      const l = side(e.left);
      const r = side(e.right);
      const evaluable = (x: ReturnType<typeof side>) => [...x.needs, ...x.pattern].every((v) => bound.has(v));
      if (!evaluable(l) && !evaluable(r)) {
        const cheaper = [...l.needs, ...l.pattern].filter((v) => !bound.has(v)).length <= [...r.needs, ...r.pattern].filter((v) => !bound.has(v)).length ? l : r;
        for (const v of [...cheaper.needs, ...cheaper.pattern]) needs.add(v);
      } else {
        for (const v of [...l.needs, ...r.needs]) if (bound.has(v)) needs.add(v);
        if (!evaluable(l)) for (const v of l.needs) needs.add(v);
        if (!evaluable(r)) for (const v of r.needs) needs.add(v);
      }
      for (const x of [l, r]) for (const v of [...x.pattern, ...x.iter]) binds.add(v);
      break;
    }
    case 'assign': {
      // The right side is evaluated: its plain variables must be bound, but variables used
      // as ref keys (xs[i]) are bound by iterating.
      const plain = new Set<string>();
      termIO(e.right, local, needs, plain, false, binds);
      for (const v of plain) needs.add(v);
      termIO(e.left, local, needs, binds);
      break;
    }
    case 'some':
      break;
    case 'somein': {
      // The domain is evaluated: plain variables in it must be bound, ref keys iterate.
      const plain = new Set<string>();
      termIO(e.domain, local, needs, plain, false, binds);
      for (const v of plain) needs.add(v);
      if (e.key) termIO(e.key, local, needs, binds);
      termIO(e.value, local, needs, binds);
      break;
    }
    case 'every': {
      termIO(e.domain, local, needs, binds, true);
      for (const v of binds) needs.add(v);
      binds.clear();
      const inner = new Set<string>();
      if (e.key) for (const v of termVars(e.key)) inner.add(v);
      for (const v of termVars(e.value)) inner.add(v);
      break;
    }
  }
  if (e.negated) {
    // Nothing escapes a negation: it binds nothing outside, so every variable it uses must
    // be bound before it (`not a = f(1)` waits for what binds `a`).
    binds.clear();
    for (const t of exprTerms(e)) for (const v of termVars(t, new Set(), false)) if (local(v)) needs.add(v);
  }
  for (const w of e.withs) termIO(w.value, local, needs, binds, true);
  return { needs, binds };
}


/** For a call written with one argument more than the function takes, the last is its output. */
export function outputArgIndex(t: Extract<Term, { type: 'call' }>, compiled?: CompiledModules, module?: Module): number {
  if (t.name === 'print') return -1; // variadic, no output
  const cached = outputCache.get(t);
  if (cached !== undefined) return cached;
  let arity: number | undefined;
  const f = compiled ? resolveFunction(t.name, module, compiled) : undefined;
  if (f?.kind === 'rule') arity = (f.ruleSet.rules[0] ?? f.ruleSet.defaultRule)?.args?.length;
  else arity = BUILTINS.get(t.name)?.arity;
  const index = arity !== undefined && t.args.length === arity + 1 ? t.args.length - 1 : -1;
  if (compiled) outputCache.set(t, index);
  return index;
}
const outputCache = new WeakMap<Term, number>();

/** Comprehension bodies and every/negation bodies are checked with the variables bound so far. */
function checkNested(e: Expr, bound: Set<string>, isGlobal: (n: string) => boolean, compiled: CompiledModules, module: Module | undefined): void {
  const visit = (t: Term, scope: Set<string>): void => {
    switch (t.type) {
      case 'arraycomp':
      case 'setcomp':
      case 'objectcomp': {
        const inner = new Set(scope);
        (t as { body: Body }).body = reorderBody(t.body, inner, isGlobal, compiled, module);
        const heads = t.type === 'objectcomp' ? [t.key, t.value] : [t.term];
        for (const h of heads) {
          for (const v of termVars(h)) {
            if (!isGlobal(v) && !inner.has(v)) throw new RegoCompileError('rego_unsafe_var_error', `var ${v} is unsafe`, t.loc);
          }
          visit(h, inner);
        }
        return;
      }
      case 'ref':
        visit(t.head, scope);
        for (const p of t.path) visit(p, scope);
        return;
      case 'array':
      case 'set':
        for (const i of t.items) visit(i, scope);
        return;
      case 'object':
        for (const [k, v] of t.entries) {
          visit(k, scope);
          visit(v, scope);
        }
        return;
      case 'call':
        for (const a of t.args) visit(a, scope);
        return;
      default:
        return;
    }
  };
  switch (e.kind) {
    case 'term':
      visit(e.term, bound);
      break;
    case 'unify':
    case 'assign':
      visit(e.left, bound);
      visit(e.right, bound);
      break;
    case 'somein':
      visit(e.domain, bound);
      break;
    case 'every': {
      visit(e.domain, bound);
      const inner = new Set(bound);
      if (e.key) for (const v of termVars(e.key)) inner.add(v);
      for (const v of termVars(e.value)) inner.add(v);
      (e as { body: Body }).body = reorderBody(e.body, inner, isGlobal, compiled, module);
      break;
    }
    default:
      break;
  }
}

/** Every call must name a builtin or a function rule. */
function checkCalls(rule: Rule, compiled: CompiledModules): void {
  const check = (t: Term): void => {
    if (t.type === 'call' && !t.name.startsWith('internal.') && resolveFunction(t.name, rule.module, compiled) === undefined) {
      throw new RegoCompileError('rego_type_error', `undefined function ${t.name}`, t.loc);
    }
  };
  for (const root of [rule.body, rule.value, ...(rule.key ? [rule.key] : []), ...(rule.keyPath ?? [])]) forEachTerm(root, check);
}

/** Rules that depend on themselves through other rules are a compile error in Rego. */
function checkRecursion(compiled: CompiledModules): void {
  const deps = new Map<string, Set<string>>();
  for (const rs of compiled.ruleSets.values()) {
    const out = new Set<string>();
    const all = [...rs.rules, ...(rs.defaultRule ? [rs.defaultRule] : [])];
    for (const r of all) {
      for (let x: Rule | undefined = r; x; x = x.elseRule) collectRuleRefs(x, compiled, out);
    }
    deps.set(rs.key, out);
  }
  const state = new Map<string, 1 | 2>();
  const visit = (key: string, stack: string[]): void => {
    const s = state.get(key);
    if (s === 2) return;
    if (s === 1) {
      const cycle = stack.slice(stack.indexOf(key)).map((k) => 'data.' + k.split('\u0000').join('.'));
      const rs = compiled.ruleSets.get(key)!;
      throw new RegoCompileError('rego_recursion_error', `rule ${cycle[0]} is recursive: ${[...cycle, cycle[0]].join(' -> ')}`, rs.rules[0]?.loc);
    }
    state.set(key, 1);
    stack.push(key);
    for (const d of deps.get(key) ?? []) visit(d, stack);
    stack.pop();
    state.set(key, 2);
  };
  for (const key of deps.keys()) visit(key, []);
}

function collectRuleRefs(rule: Rule, compiled: CompiledModules, out: Set<string>): void {
  const module = rule.module;
  // Names the rule declares for itself (parameters, := and some) shadow rules of its package.
  const locals = new Set<string>();
  for (const a of rule.args ?? []) termVars(a, locals);
  forEachExpr(rule.body, (e) => {
    if (e.kind === 'assign') termVars(e.left, locals);
    else if (e.kind === 'some') for (const v of e.vars) locals.add(v);
    else if (e.kind === 'somein' || e.kind === 'every') {
      if (e.key) termVars(e.key, locals);
      termVars(e.value, locals);
    }
  });
  const addPath = (path: readonly string[]) => {
    // Every rule set at or under this path, and the one the path ends in.
    let node: TreeNode | undefined = compiled.root;
    for (const seg of path) {
      node = node?.children.get(seg);
      if (!node) return;
      if (node.ruleSet) {
        out.add(node.ruleSet.key);
        return;
      }
    }
    const all = (n: TreeNode): void => {
      if (n.ruleSet) out.add(n.ruleSet.key);
      for (const c of n.children.values()) all(c);
    };
    if (node) all(node);
  };
  const groundPrefix = (t: Term): string[] | undefined => {
    let head: string;
    let path: readonly Term[] = [];
    if (t.type === 'var') head = t.name;
    else if (t.type === 'ref' && t.head.type === 'var') {
      head = t.head.name;
      path = t.path;
    } else return undefined;
    const segs: string[] = [];
    for (const p of path) {
      if (p.type === 'scalar' && typeof p.value === 'string') segs.push(p.value);
      else if (p.type === 'scalar') return undefined; // rules are named by strings: no rule here
      else break;
    }
    if (head === 'data') return segs;
    if (locals.has(head)) return undefined;
    const imp = module.imports.find((i) => i.alias === head);
    if (imp) return imp.path[0] === 'data' ? [...imp.path.slice(1), ...segs] : undefined;
    let node: TreeNode | undefined = compiled.root;
    for (const seg of module.pkg) node = node?.children.get(seg);
    if (node?.children.has(head)) return [...module.pkg, head, ...segs];
    return undefined;
  };
  // `with` replaces what it targets: a rule mocked by `with` is not a dependency there.
  const visit = (t: Term): void => {
    const p = groundPrefix(t);
    if (p) addPath(p);
    if (t.type === 'call') {
      const f = resolveFunction(t.name, module, compiled);
      if (f?.kind === 'rule') out.add(f.ruleSet.key);
    }
  };
  for (const root of [rule.body, rule.value, ...(rule.key ? [rule.key] : [])]) forEachTerm(root, visit);
}

/**
 * `[a, b] = [c, d]` is `a = c` and `b = d`: splitting composite unifications lets each part
 * be ordered on its own (a variable bound by one element can be checked by another).
 */
function splitUnify(e: Expr): Expr[] {
  if (e.kind !== 'unify' || e.negated || e.withs.length > 0) return [e];
  const { left, right } = e;
  if (left.type === 'array' && right.type === 'array' && left.items.length === right.items.length) {
    return left.items.flatMap((l, i) => splitUnify({ ...e, left: l, right: right.items[i]! }));
  }
  if (left.type === 'array' && right.type === 'array') {
    return [{ ...e, left: { type: 'scalar', value: 0, loc: e.loc }, right: { type: 'scalar', value: 1, loc: e.loc } }];
  }
  if (left.type === 'object' && right.type === 'object') {
    const key = (t: Term) => (t.type === 'scalar' ? JSON.stringify(t.value) : undefined);
    const lk = left.entries.map(([k]) => key(k));
    const rk = new Map(right.entries.map(([k, v]) => [key(k), v] as const));
    if (lk.every((k) => k !== undefined && rk.has(k)) && rk.size === lk.length && !rk.has(undefined)) {
      return left.entries.flatMap(([k, v]) => splitUnify({ ...e, left: v, right: rk.get(key(k))! }));
    }
  }
  return [e];
}

/** Visits every expression of a body, nested bodies (comprehensions, every) included. */
function forEachExpr(body: Body, visit: (e: Expr) => void): void {
  const term = (t: Term): void => {
    switch (t.type) {
      case 'arraycomp':
      case 'setcomp':
        term(t.term);
        forEachExpr(t.body, visit);
        return;
      case 'objectcomp':
        term(t.key);
        term(t.value);
        forEachExpr(t.body, visit);
        return;
      case 'ref':
        term(t.head);
        t.path.forEach(term);
        return;
      case 'array':
      case 'set':
        t.items.forEach(term);
        return;
      case 'object':
        for (const [k, v] of t.entries) {
          term(k);
          term(v);
        }
        return;
      case 'call':
        t.args.forEach(term);
        return;
      default:
        return;
    }
  };
  for (const e of body) {
    visit(e);
    exprTerms(e).forEach(term);
    if (e.kind === 'every') forEachExpr(e.body, visit);
  }
}
