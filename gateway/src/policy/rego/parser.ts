import type { Body, Expr, Import, Location, Module, Rule, RuleKind, Term, WithModifier } from './ast.js';
import { RegoCompileError } from './errors.js';
import { tokenize, type Token } from './lexer.js';
import { parseNumberText, type RegoValue } from './value.js';
import { dottedName } from './vars.js';

const MAX_DEPTH = 200;

/** Infix operators by precedence level, lowest first; each maps to its builtin name. */
const LEVELS: readonly (Readonly<Record<string, string>>)[] = [
  { '==': 'equal', '!=': 'neq', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' },
  { '|': 'or' },
  { '&': 'and' },
  { '+': 'plus', '-': 'minus' },
  { '*': 'mul', '/': 'div', '%': 'rem' },
];

const KEYWORDS = new Set(['package', 'import', 'default', 'if', 'contains', 'some', 'in', 'every', 'not', 'with', 'as', 'else']);

class Parser {
  private pos = 0;
  /** Bracket nesting: inside (), [] and literal {}, newlines do not end expressions. */
  private nest = 0;
  private depth = 0;
  /** Inside `[x | …]` / `{x | …}` heads, `|` starts the comprehension body, not a union. */
  private noPipe = false;
  private module!: Module;

  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
  ) {}

  // ---- token helpers -------------------------------------------------------------------

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }
  private loc(t: Token = this.peek()): Location {
    return { file: this.file, line: t.line, col: t.col };
  }
  private fail(msg: string, t: Token = this.peek()): never {
    throw new RegoCompileError('rego_parse_error', msg, this.loc(t));
  }
  private isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'punct' && t.text === text;
  }
  private isIdent(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'ident' && t.text === text;
  }
  /** A keyword in keyword position: `every.x` or `if.y` are refs that merely start with one. */
  private isKeyword(text: string): boolean {
    return this.isIdent(text) && !this.followedByDot();
  }
  private followedByDot(offset = 0): boolean {
    const t = this.peek(offset);
    const n = this.peek(offset + 1);
    return n.type === 'punct' && (n.text === '.' || n.text === '[' || n.text === '(') && n.line === t.line && n.col === t.col + t.text.length;
  }
  private expectPunct(text: string): Token {
    if (!this.isPunct(text)) this.fail(`expected ${text} but found ${describe(this.peek())}`);
    return this.next();
  }
  /** At depth 0 a newline before the next token ends the current expression. */
  private atBreak(): boolean {
    const t = this.peek();
    return t.type === 'eof' || (this.nest === 0 && t.nl);
  }
  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
  }
  private leave(): void {
    this.depth--;
  }

  // ---- module --------------------------------------------------------------------------

  parseModule(): Module {
    const pkgTok = this.peek();
    if (!this.isIdent('package')) this.fail('a module must start with a package declaration');
    this.next();
    const pkgRef = this.parseRefPath();
    if (pkgRef[0] === 'data') pkgRef.shift();
    this.module = { file: this.file, pkg: pkgRef, imports: [], rules: [] };
    if (pkgRef.length === 0) this.fail('package name missing', pkgTok);
    const imports: Import[] = [];
    while (this.isKeyword('import')) {
      const t = this.next();
      const path = this.parseRefPath();
      let alias = path[path.length - 1]!;
      if (this.isIdent('as')) {
        this.next();
        alias = this.expectIdent();
      }
      if (path[0] === 'future' || path[0] === 'rego') continue; // future.keywords, rego.v1: implied
      if (path[0] !== 'data' && path[0] !== 'input') this.fail(`import must refer to data or input, not ${path[0]}`, t);
      imports.push({ path, alias, loc: this.loc(t) });
    }
    this.module.imports = imports;
    while (this.peek().type !== 'eof') this.parseRule();
    return this.module;
  }

  private expectIdent(): string {
    const t = this.next();
    if (t.type !== 'ident') this.fail(`expected a name but found ${describe(t)}`, t);
    return t.text;
  }

  /** a.b["c"].d, all ground strings (package and import paths). */
  private parseRefPath(): string[] {
    const path = [this.expectIdent()];
    for (;;) {
      if (this.isPunct('.') && !this.peek().nl) {
        this.next();
        path.push(this.expectIdent());
      } else if (this.isPunct('[') && !this.peek().nl) {
        this.next();
        const t = this.next();
        if (t.type !== 'string') this.fail('expected a string in a package or import path', t);
        path.push(t.text);
        this.expectPunct(']');
      } else return path;
    }
  }

  // ---- rules ---------------------------------------------------------------------------

  private parseRule(): void {
    const start = this.peek();
    let isDefault = false;
    if (this.isKeyword('default')) {
      this.next();
      isDefault = true;
    }
    // Head reference: name(.name | [term])*
    const nameTok = this.peek();
    if (nameTok.type !== 'ident' || (KEYWORDS.has(nameTok.text) && !this.followedByDot())) {
      this.fail(`expected a rule but found ${describe(nameTok)}`);
    }
    this.next();
    const refPath: Term[] = [{ type: 'scalar', value: nameTok.text, loc: this.loc(nameTok) }];
    while (!this.peek().nl && (this.isPunct('.') || this.isPunct('['))) {
      if (this.isPunct('.')) {
        this.next();
        const t = this.next();
        if (t.type !== 'ident') this.fail('expected a name after .', t);
        refPath.push({ type: 'scalar', value: t.text, loc: this.loc(t) });
      } else {
        this.next();
        this.nest++;
        refPath.push(this.parseTermExpr());
        this.nest--;
        this.expectPunct(']');
      }
    }
    let args: Term[] | undefined;
    if (this.isPunct('(') && !this.peek().nl) {
      this.next();
      this.nest++;
      args = [];
      if (!this.isPunct(')')) {
        for (;;) {
          args.push(this.parseTermExpr());
          if (this.isPunct(',')) this.next();
          else break;
        }
      }
      this.nest--;
      this.expectPunct(')');
    }
    let kind: RuleKind = args ? 'function' : 'complete';
    let key: Term | undefined;
    let value: Term | undefined;
    if (this.isIdent('contains')) {
      if (args) this.fail('a function cannot use contains');
      this.next();
      kind = 'partialset';
      key = this.parseTermExpr();
    } else if (this.isPunct(':=') || this.isPunct('=')) {
      this.next();
      value = this.parseTermExpr();
    }
    // Ground prefix of the head ref; a trailing non-ground key makes a partial object rule.
    const ground: string[] = [];
    let i = 0;
    for (; i < refPath.length; i++) {
      const t = refPath[i]!;
      if (t.type === 'scalar' && typeof t.value === 'string') ground.push(t.value);
      else break;
    }
    let keyPath: Term[] | undefined;
    if (i < refPath.length) {
      if (args) this.fail('function heads cannot have variables in their ref', start);
      keyPath = refPath.slice(i);
      if (kind !== 'partialset') {
        kind = 'partialobject';
        key = refPath[i]!;
        if (keyPath.length === 1) keyPath = undefined;
      }
    }
    if (isDefault && (kind !== 'complete' && kind !== 'function')) this.fail('default rules must be complete rules or functions', start);
    const loc = this.loc(start);
    const trueTerm: Term = { type: 'scalar', value: true, loc };
    let body: Body = [];
    const hasBody = this.isKeyword('if') || (this.isPunct('{') && !isDefault);
    if (isDefault) {
      if (value === undefined) this.fail('a default rule needs a value: default name := value', start);
      if (this.isKeyword('if')) this.fail('default rules cannot have a body', start);
    } else if (hasBody) {
      body = this.parseRuleBody();
    } else if (value === undefined && kind !== 'partialset' && kind !== 'partialobject' && kind !== 'function' && refPath.length === 1) {
      this.fail(`rule ${nameTok.text} has neither a value nor a body`, start);
    }
    const fullPath = [...this.module.pkg, ...ground];
    const rule: Rule = {
      kind,
      path: fullPath,
      key,
      value: value ?? trueTerm,
      args,
      body,
      isDefault,
      elseRule: this.parseElse(kind, fullPath, key, args, value ?? trueTerm),
      loc,
      module: this.module,
      ...(keyPath ? { keyPath } : {}),
    };
    this.module.rules.push(rule);
  }

  private parseElse(kind: RuleKind, path: readonly string[], key: Term | undefined, args: Term[] | undefined, prevValue: Term): Rule | undefined {
    if (!this.isKeyword('else')) return undefined;
    const t = this.next();
    if (kind !== 'complete' && kind !== 'function') this.fail('else is allowed only on complete rules and functions', t);
    let value: Term = { type: 'scalar', value: true, loc: this.loc(t) };
    if (this.isPunct(':=') || this.isPunct('=')) {
      this.next();
      value = this.parseTermExpr();
    } else if (prevValue.type === 'scalar' && prevValue.value === true) {
      value = prevValue;
    }
    let body: Body = [];
    if (this.isIdent('if') || this.isPunct('{')) body = this.parseRuleBody();
    return {
      kind,
      path,
      key,
      value,
      args,
      body,
      isDefault: false,
      elseRule: this.parseElse(kind, path, key, args, value),
      loc: this.loc(t),
      module: this.module,
    };
  }

  /** `if { … }`, `if expr`, or `{ … }`. */
  private parseRuleBody(): Body {
    if (this.isKeyword('if')) {
      this.next();
      if (this.isPunct('{')) {
        // `if {…}` is a body, unless the braces are an expression of their own, such as an
        // object or a comprehension (`if {x: 1 | …}`). A set literal is always a body.
        const saved = { pos: this.pos, nest: this.nest, depth: this.depth, noPipe: this.noPipe };
        try {
          this.nest = 0;
          const e = this.parseExpr();
          const single = e.kind !== 'term' || e.term.type !== 'set';
          if (single && (this.atBreak() || this.isKeyword('else') || this.isPunct('{') || this.peek().type === 'eof')) {
            this.nest = saved.nest;
            return [e];
          }
        } catch (err) {
          if (!(err instanceof RegoCompileError)) throw err;
        }
        Object.assign(this, saved);
        return this.parseBraceBody();
      }
      const saved = this.nest;
      this.nest = 0;
      const e = this.parseExpr();
      this.nest = saved;
      return [e];
    }
    return this.parseBraceBody();
  }

  private parseBraceBody(): Body {
    this.expectPunct('{');
    const saved = this.nest;
    this.nest = 0;
    const body = this.parseExprList('}');
    this.nest = saved;
    this.expectPunct('}');
    if (body.length === 0) this.fail('a body must not be empty');
    return body;
  }

  /** Expressions separated by `;` or newlines, up to (not including) `end` ('' = end of input). */
  parseExprList(end: string): Expr[] {
    const body: Expr[] = [];
    const atEnd = () => (end === '' ? this.peek().type === 'eof' : this.isPunct(end));
    while (!atEnd()) {
      if (this.peek().type === 'eof') this.fail(`expected ${end} before the end of the file`);
      body.push(this.parseExpr());
      if (this.isPunct(';')) this.next();
      else if (!atEnd() && !this.peek().nl) this.fail(`expected ; or a newline between expressions, found ${describe(this.peek())}`);
    }
    return body;
  }

  // ---- expressions ---------------------------------------------------------------------

  private parseExpr(): Expr {
    this.enter();
    try {
      const start = this.peek();
      const loc = this.loc(start);
      let expr: Expr;
      if (this.isKeyword('some')) {
        expr = this.parseSome(loc);
      } else if (this.isKeyword('every')) {
        expr = this.parseEvery(loc, false);
      } else if (this.isKeyword('not') && this.isPunct('{', 1)) {
        // `not { body }`: true when the body has no solution. Desugared to an emptiness
        // check over a comprehension, which sees the enclosing variables as closures.
        this.next();
        const body = this.parseBraceBody();
        const comp: Term = { type: 'arraycomp', term: { type: 'scalar', value: true, loc }, body, loc };
        const count: Term = { type: 'call', name: 'count', fn: builtinRef('count', loc), args: [comp], loc };
        const zero: Term = { type: 'scalar', value: 0, loc };
        expr = { kind: 'term', term: { type: 'call', name: 'equal', fn: builtinRef('equal', loc), args: [count, zero], loc }, negated: false, withs: [], loc };
      } else if (this.isKeyword('not')) {
        this.next();
        const inner = this.parseExpr();
        if (inner.negated) this.fail('not not is not allowed', start);
        if (inner.kind === 'assign' || inner.kind === 'some') this.fail('cannot negate an assignment or some declaration', start);
        return { ...inner, negated: true } as Expr;
      } else {
        expr = this.parseInfixExpr(loc);
      }
      const withs = this.parseWiths();
      return withs.length ? ({ ...expr, withs } as Expr) : expr;
    } finally {
      this.leave();
    }
  }

  private parseWiths(): WithModifier[] {
    const withs: WithModifier[] = [];
    while (this.isKeyword('with')) {
      const t = this.next();
      const saved = this.nest;
      this.nest = 1; // `with x as y` may not be split, but the target is a plain ref
      const target = this.parseTerm();
      this.nest = saved;
      if (!this.isIdent('as')) this.fail('expected as in with modifier');
      this.next();
      const value = this.parseTermExpr();
      withs.push({ target, value, loc: this.loc(t) });
    }
    return withs;
  }

  private parseSome(loc: Location): Expr {
    this.next();
    const first = this.parseTermLevel(1);
    if (this.isPunct(',')) {
      const terms = [first];
      while (this.isPunct(',')) {
        this.next();
        terms.push(this.parseTermLevel(1));
      }
      if (this.isIdent('in')) {
        if (terms.length !== 2) this.fail('some k, v in xs takes exactly two variables');
        this.next();
        const domain = this.parseTermLevel(0);
        return { kind: 'somein', key: terms[0], value: terms[1]!, domain, negated: false, withs: [], loc };
      }
      return { kind: 'some', vars: terms.map((t) => this.varName(t)), negated: false, withs: [], loc };
    }
    if (this.isIdent('in')) {
      this.next();
      const domain = this.parseTermLevel(0);
      return { kind: 'somein', key: undefined, value: first, domain, negated: false, withs: [], loc };
    }
    return { kind: 'some', vars: [this.varName(first)], negated: false, withs: [], loc };
  }

  private varName(t: Term): string {
    if (t.type !== 'var') throw new RegoCompileError('rego_parse_error', 'some declares variables: expected a variable name', t.loc);
    return t.name;
  }

  private parseEvery(loc: Location, negated: boolean): Expr {
    this.next();
    let key: Term | undefined;
    let value = this.parseTermLevel(1);
    if (this.isPunct(',')) {
      this.next();
      key = value;
      value = this.parseTermLevel(1);
    }
    if (!this.isIdent('in')) this.fail('expected in after every variables');
    this.next();
    const domain = this.parseTermLevel(0);
    const body = this.parseBraceBody();
    return { kind: 'every', key, value, domain, body, negated, withs: [], loc };
  }

  private parseInfixExpr(loc: Location): Expr {
    const left = this.parseMembership();
    if (this.isPunct(':=') || this.isPunct('=')) {
      const op = this.next().text;
      const right = this.parseMembership();
      return op === ':='
        ? { kind: 'assign', left, right, negated: false, withs: [], loc }
        : { kind: 'unify', left, right, negated: false, withs: [], loc };
    }
    if (this.isPunct(',') && this.nest === 0) {
      // k, v in xs as a plain (membership) expression
      this.next();
      const value = this.parseTermLevel(1);
      if (!this.isIdent('in')) this.fail('expected in after k, v');
      this.next();
      const domain = this.parseTermLevel(0);
      let term: Term = { type: 'call', name: 'internal.member_3', fn: builtinRef('internal.member_3', loc), args: [left, value, domain], loc };
      term = this.moreMembership(term);
      return { kind: 'term', term, negated: false, withs: [], loc };
    }
    return { kind: 'term', term: left, negated: false, withs: [], loc };
  }

  /** `x in xs` binds looser than the relations. */
  private parseMembership(): Term {
    return this.moreMembership(this.parseTermLevel(0));
  }

  private moreMembership(start: Term): Term {
    let left = start;
    while (this.isIdent('in') && !this.atBreak()) {
      const t = this.next();
      const right = this.parseTermLevel(0);
      left = { type: 'call', name: 'internal.member_2', fn: builtinRef('internal.member_2', this.loc(t)), args: [left, right], loc: left.loc };
    }
    return left;
  }

  /** A term, possibly with infix operators, as used inside brackets and as values. */
  parseTermExpr(): Term {
    return this.parseMembership();
  }

  private parseTermLevel(level: number): Term {
    if (level >= LEVELS.length) return this.parseUnary();
    this.enter();
    try {
      let left = this.parseTermLevel(level + 1);
      for (;;) {
        const t = this.peek();
        if (t.type !== 'punct' || this.atBreak()) return left;
        const name = LEVELS[level]![t.text];
        if (name === undefined || (name === 'or' && this.noPipe)) return left;
        this.next();
        const right = this.parseTermLevel(level + 1);
        left = { type: 'call', name, fn: builtinRef(name, this.loc(t)), args: [left, right], loc: left.loc };
      }
    } finally {
      this.leave();
    }
  }

  private parseUnary(): Term {
    if (this.isPunct('-')) {
      const t = this.next();
      const n = this.peek();
      if (n.type === 'number' && n.line === t.line && n.col === t.col + 1) {
        this.next();
        return this.parsePostfix({ type: 'scalar', value: parseNumberText('-' + n.text), loc: this.loc(t) });
      }
      const operand = this.parseUnary();
      return { type: 'call', name: 'minus', fn: builtinRef('minus', this.loc(t)), args: [{ type: 'scalar', value: 0, loc: this.loc(t) }, operand], loc: this.loc(t) };
    }
    return this.parseTerm();
  }

  // ---- terms ---------------------------------------------------------------------------

  parseTerm(): Term {
    this.enter();
    try {
      return this.parsePostfix(this.parsePrimary());
    } finally {
      this.leave();
    }
  }

  private parsePrimary(): Term {
    const t = this.peek();
    const loc = this.loc(t);
    switch (t.type) {
      case 'number':
        this.next();
        return { type: 'scalar', value: parseNumberText(t.text), loc };
      case 'string':
        this.next();
        return { type: 'scalar', value: t.text, loc };
      case 'ident': {
        if ((t.text === 'true' || t.text === 'false') && !this.followedByDot()) {
          this.next();
          return { type: 'scalar', value: t.text === 'true', loc };
        }
        if (t.text === 'null' && !this.followedByDot()) {
          this.next();
          return { type: 'scalar', value: null, loc };
        }
        if (t.text === 'set' && this.isPunct('(', 1) && this.isPunct(')', 2)) {
          this.next();
          this.next();
          this.next();
          return { type: 'set', items: [], loc };
        }
        if (KEYWORDS.has(t.text) && !this.followedByDot()) this.fail(`unexpected keyword ${t.text}`);
        this.next();
        return { type: 'var', name: t.text, loc };
      }
      case 'punct':
        if (t.text === '(') {
          this.next();
          this.nest++;
          const savedPipe = this.noPipe;
          this.noPipe = false;
          let inner = this.parseTermExpr();
          if (this.isPunct(',')) {
            // (k, v in xs): membership of a key-value pair.
            this.next();
            const value = this.parseTermLevel(0);
            if (!this.isIdent('in')) this.fail('expected in after (k, v');
            const t2 = this.next();
            const domain = this.parseTermLevel(0);
            inner = this.moreMembership({ type: 'call', name: 'internal.member_3', fn: builtinRef('internal.member_3', this.loc(t2)), args: [inner, value, domain], loc: inner.loc });
          }
          this.noPipe = savedPipe;
          this.nest--;
          this.expectPunct(')');
          return inner;
        }
        if (t.text === '[') return this.parseArray();
        if (t.text === '{') return this.parseBrace();
        return this.fail(`unexpected ${describe(t)}`);
      default:
        return this.fail(`unexpected ${describe(t)}`);
    }
  }

  /** .name, [term] and (args) after a term, on the same line. */
  private parsePostfix(head: Term): Term {
    let term = head;
    const path: Term[] = [];
    const flush = () => {
      if (path.length > 0) {
        term = term.type === 'ref' ? { ...term, path: [...term.path, ...path] } : { type: 'ref', head: term, path: [...path], loc: term.loc };
        path.length = 0;
      }
    };
    for (;;) {
      const t = this.peek();
      if (t.nl && this.nest === 0) break;
      if (this.isPunct('.') && (term.type === 'var' || term.type === 'ref' || term.type === 'call' || path.length > 0)) {
        this.next();
        const n = this.next();
        if (n.type !== 'ident') this.fail(`expected a name after . but found ${describe(n)}`, n);
        path.push({ type: 'scalar', value: n.text, loc: this.loc(n) });
      } else if (this.isPunct('[') && !t.nl) {
        if (term.type === 'scalar') break;
        this.next();
        this.nest++;
        path.push(this.parseTermExpr());
        this.nest--;
        this.expectPunct(']');
      } else if (this.isPunct('(') && !t.nl && (term.type === 'var' || term.type === 'ref' || path.length > 0)) {
        flush();
        const name = dottedName(term);
        if (name === undefined) this.fail('only names can be called');
        this.next();
        this.nest++;
        const args: Term[] = [];
        if (!this.isPunct(')')) {
          for (;;) {
            args.push(this.parseTermExpr());
            if (this.isPunct(',')) this.next();
            else break;
          }
        }
        this.nest--;
        this.expectPunct(')');
        term = { type: 'call', name, fn: term, args, loc: term.loc };
      } else break;
    }
    flush();
    return term;
  }

  private parseArray(): Term {
    const loc = this.loc();
    this.next();
    this.nest++;
    if (this.isPunct(']')) {
      this.nest--;
      this.next();
      return { type: 'array', items: [], loc };
    }
    const first = this.parseCompHead();
    if (this.isPunct('|')) return { type: 'arraycomp', term: first, body: this.parseCompTail(']'), loc };
    return { type: 'array', items: this.parseListRest(first, ']', () => this.parseTermExpr()), loc };
  }

  private parseBrace(): Term {
    const loc = this.loc();
    this.next();
    this.nest++;
    if (this.isPunct('}')) {
      this.nest--;
      this.next();
      return { type: 'object', entries: [], loc };
    }
    const first = this.parseCompHead();
    if (this.isPunct(':')) {
      this.next();
      const value = this.parseCompHead();
      if (this.isPunct('|')) return { type: 'objectcomp', key: first, value, body: this.parseCompTail('}'), loc };
      const entries = this.parseListRest<readonly [Term, Term]>([first, value], '}', () => {
        const k = this.parseTermExpr();
        this.expectPunct(':');
        return [k, this.parseTermExpr()];
      });
      return { type: 'object', entries, loc };
    }
    if (this.isPunct('|')) return { type: 'setcomp', term: first, body: this.parseCompTail('}'), loc };
    return { type: 'set', items: this.parseListRest(first, '}', () => this.parseTermExpr()), loc };
  }

  /** The items after `first` (commas, a trailing one allowed), then the closing bracket. */
  private parseListRest<T>(first: T, close: string, item: () => T): T[] {
    const items = [first];
    while (this.isPunct(',')) {
      this.next();
      if (this.isPunct(close)) break;
      items.push(item());
    }
    this.nest--;
    this.expectPunct(close);
    return items;
  }

  /** `| body` and the closing bracket of a comprehension. */
  private parseCompTail(close: string): Body {
    this.next();
    const body = this.parseCompBody(close);
    this.nest--;
    this.expectPunct(close);
    return body;
  }

  private parseCompHead(): Term {
    const saved = this.noPipe;
    this.noPipe = true;
    try {
      return this.parseTermExpr();
    } finally {
      this.noPipe = saved;
    }
  }

  private parseCompBody(end: string): Body {
    const saved = this.nest;
    const savedPipe = this.noPipe;
    this.nest = 0;
    this.noPipe = false;
    const body = this.parseExprList(end);
    this.nest = saved;
    this.noPipe = savedPipe;
    if (body.length === 0) this.fail('a comprehension body must not be empty');
    return body;
  }

  atEnd(): boolean {
    return this.peek().type === 'eof';
  }
}

function builtinRef(name: string, loc: Location): Term {
  return { type: 'var', name, loc };
}

function describe(t: Token): string {
  if (t.type === 'eof') return 'end of file';
  if (t.type === 'string') return `string ${JSON.stringify(t.text)}`;
  return JSON.stringify(t.text);
}

/** Parses one Rego v1 module. */
export function parseModule(src: string, file: string): Module {
  return new Parser(tokenize(src, file), file).parseModule();
}

/** Parses a query: expressions separated by `;` or newlines. */
export function parseQuery(src: string, file = 'query'): Body {
  const p = new Parser(tokenize(src, file), file);
  const body = p.parseExprList('');
  if (!p.atEnd()) throw new RegoCompileError('rego_parse_error', 'unexpected input after the query', { file, line: 1, col: 1 });
  if (body.length === 0) throw new RegoCompileError('rego_parse_error', 'empty query', { file, line: 1, col: 1 });
  return body;
}

/** Parses a single term (e.g. a value written in Rego syntax: sets, non-string keys). */
export function parseTermText(src: string): Term {
  const p = new Parser(tokenize(src, 'term'), 'term');
  const t = p.parseTermExpr();
  if (!p.atEnd()) throw new RegoCompileError('rego_parse_error', 'unexpected input after the term', { file: 'term', line: 1, col: 1 });
  return t;
}

export type { RegoValue };
