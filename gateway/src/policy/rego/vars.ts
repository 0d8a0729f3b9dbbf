import type { Body, Expr, Term } from './ast.js';

/** Names that are never local variables: document roots and the wildcard's expansions. */
export const ROOTS = new Set(['input', 'data']);

/**
 * Every variable name in a term. `deep` includes comprehensions (which otherwise bind their
 * own variables and are skipped).
 */
export function termVars(t: Term, out: Set<string> = new Set(), deep = true): Set<string> {
  switch (t.type) {
    case 'scalar':
      return out;
    case 'var':
      out.add(t.name);
      return out;
    case 'ref':
      termVars(t.head, out, deep);
      for (const p of t.path) termVars(p, out, deep);
      return out;
    case 'array':
    case 'set':
      for (const i of t.items) termVars(i, out, deep);
      return out;
    case 'object':
      for (const [k, v] of t.entries) {
        termVars(k, out, deep);
        termVars(v, out, deep);
      }
      return out;
    case 'arraycomp':
    case 'setcomp':
      if (!deep) return out;
      termVars(t.term, out);
      bodyVars(t.body, out);
      return out;
    case 'objectcomp':
      if (!deep) return out;
      termVars(t.key, out);
      termVars(t.value, out);
      bodyVars(t.body, out);
      return out;
    case 'call':
      for (const a of t.args) termVars(a, out, deep);
      return out;
  }
}

/**
 * Visits every term of a body or term, outermost first, including comprehension and
 * `every` bodies (not `with` values). A ref's variable head is part of the ref, not visited
 * on its own.
 */
export function forEachTerm(root: Term | Body, visit: (t: Term) => void): void {
  const term = (t: Term): void => {
    visit(t);
    switch (t.type) {
      case 'ref':
        if (t.head.type !== 'var') term(t.head);
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
      case 'arraycomp':
      case 'setcomp':
        term(t.term);
        body(t.body);
        return;
      case 'objectcomp':
        term(t.key);
        term(t.value);
        body(t.body);
        return;
      case 'call':
        t.args.forEach(term);
        return;
      default:
        return;
    }
  };
  const body = (b: Body): void => {
    for (const e of b) {
      exprTerms(e).forEach(term);
      if (e.kind === 'every') body(e.body);
    }
  };
  if (Array.isArray(root)) body(root as Body);
  else term(root as Term);
}

/** `a.b.c` as a dotted name, if the term is a var or a ref of plain names. */
export function dottedName(t: Term): string | undefined {
  if (t.type === 'var') return t.name;
  if (t.type !== 'ref' || t.head.type !== 'var') return undefined;
  const parts = [t.head.name];
  for (const p of t.path) {
    if (p.type !== 'scalar' || typeof p.value !== 'string') return undefined;
    parts.push(p.value);
  }
  return parts.join('.');
}

export function bodyVars(body: Body, out: Set<string> = new Set()): Set<string> {
  for (const e of body) exprVars(e, out);
  return out;
}

export function exprVars(e: Expr, out: Set<string> = new Set()): Set<string> {
  switch (e.kind) {
    case 'term':
      termVars(e.term, out);
      break;
    case 'unify':
    case 'assign':
      termVars(e.left, out);
      termVars(e.right, out);
      break;
    case 'some':
      for (const v of e.vars) out.add(v);
      break;
    case 'somein':
    case 'every':
      if (e.key) termVars(e.key, out);
      termVars(e.value, out);
      termVars(e.domain, out);
      if (e.kind === 'every') bodyVars(e.body, out);
      break;
  }
  for (const w of e.withs) termVars(w.value, out);
  return out;
}

/**
 * Variables a term needs bound before it can be evaluated, and those its evaluation can bind
 * (keys of refs, which iterate). Comprehension bodies bind their own variables; only their
 * free variables that `isOuter` says come from outside are needs.
 */
export function termIO(
  t: Term,
  isLocal: (name: string) => boolean,
  needs: Set<string>,
  binds: Set<string>,
  inCall = false,
  iter: Set<string> = binds,
): void {
  switch (t.type) {
    case 'scalar':
      return;
    case 'var':
      if (!isLocal(t.name)) return;
      if (inCall) needs.add(t.name);
      else binds.add(t.name);
      return;
    case 'ref':
      if (t.head.type === 'var') {
        if (isLocal(t.head.name)) needs.add(t.head.name);
      } else termIO(t.head, isLocal, needs, binds, true, iter);
      for (const p of t.path) {
        if (p.type === 'var') {
          if (isLocal(p.name)) iter.add(p.name);
        } else if (p.type === 'array' || p.type === 'object') {
          termIO(p, isLocal, needs, iter, false, iter);
        } else termIO(p, isLocal, needs, binds, true, iter);
      }
      return;
    case 'array':
      for (const i of t.items) termIO(i, isLocal, needs, binds, inCall, iter);
      return;
    case 'set':
      for (const i of t.items) termIO(i, isLocal, needs, binds, true, iter);
      return;
    case 'object':
      for (const [k, v] of t.entries) {
        termIO(k, isLocal, needs, binds, true, iter);
        termIO(v, isLocal, needs, binds, inCall, iter);
      }
      return;
    case 'arraycomp':
    case 'setcomp':
    case 'objectcomp':
      // A comprehension binds its own variables; those it cannot bind itself but shares with
      // the enclosing body are closures over it: needs.
      {
        const inner = new Set<string>();
        for (const e of t.body) {
          const n = new Set<string>();
          for (const x of exprTerms(e)) termIO(x, () => true, n, inner, false);
          if (e.kind === 'some') for (const v of e.vars) inner.add(v);
        }
        for (const v of termVars(t)) if (isLocal(v) && !inner.has(v)) needs.add(v);
      }
      return;
    case 'call':
      for (const a of t.args) termIO(a, isLocal, needs, binds, true, iter);
      return;
  }
}

/** The terms an expression evaluates or matches (not nested bodies). */
export function exprTerms(e: Expr): Term[] {
  switch (e.kind) {
    case 'term':
      return [e.term];
    case 'unify':
    case 'assign':
      return [e.left, e.right];
    case 'somein':
      return e.key ? [e.key, e.value, e.domain] : [e.value, e.domain];
    case 'every':
      return [e.domain];
    default:
      return [];
  }
}
