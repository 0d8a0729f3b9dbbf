import type { RegoValue } from './value.js';

export interface Location {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export type Term =
  | { readonly type: 'scalar'; readonly value: RegoValue; readonly loc: Location }
  | { readonly type: 'var'; readonly name: string; readonly loc: Location }
  /** head[path0][path1]…; a dotted name is a string scalar in `path`. */
  | { readonly type: 'ref'; readonly head: Term; readonly path: readonly Term[]; readonly loc: Location }
  | { readonly type: 'array'; readonly items: readonly Term[]; readonly loc: Location }
  | { readonly type: 'set'; readonly items: readonly Term[]; readonly loc: Location }
  | { readonly type: 'object'; readonly entries: readonly (readonly [Term, Term])[]; readonly loc: Location }
  | { readonly type: 'arraycomp' | 'setcomp'; readonly term: Term; readonly body: Body; readonly loc: Location }
  | { readonly type: 'objectcomp'; readonly key: Term; readonly value: Term; readonly body: Body; readonly loc: Location }
  /** A call: `name` is a builtin name (`plus`, `count`, `object.get`) or a ref to a function. */
  | { readonly type: 'call'; readonly name: string; readonly fn: Term; readonly args: readonly Term[]; readonly loc: Location };

export interface WithModifier {
  readonly target: Term;
  readonly value: Term;
  readonly loc: Location;
}

export type Expr =
  | { readonly kind: 'term'; readonly term: Term; readonly negated: boolean; readonly withs: readonly WithModifier[]; readonly loc: Location }
  | { readonly kind: 'unify'; readonly left: Term; readonly right: Term; readonly negated: boolean; readonly withs: readonly WithModifier[]; readonly loc: Location }
  | { readonly kind: 'assign'; readonly left: Term; readonly right: Term; readonly negated: false; readonly withs: readonly WithModifier[]; readonly loc: Location }
  | { readonly kind: 'some'; readonly vars: readonly string[]; readonly negated: false; readonly withs: readonly WithModifier[]; readonly loc: Location }
  | {
      readonly kind: 'somein';
      readonly key: Term | undefined;
      readonly value: Term;
      readonly domain: Term;
      readonly negated: boolean;
      readonly withs: readonly WithModifier[];
      readonly loc: Location;
    }
  | {
      readonly kind: 'every';
      readonly key: Term | undefined;
      readonly value: Term;
      readonly domain: Term;
      readonly body: Body;
      readonly negated: boolean;
      readonly withs: readonly WithModifier[];
      readonly loc: Location;
    };

export type Body = readonly Expr[];

export type RuleKind = 'complete' | 'partialset' | 'partialobject' | 'function';

export interface Rule {
  readonly kind: RuleKind;
  /** Full ground path from `data`, e.g. ['entente', 'inbound', 'decision']. */
  readonly path: readonly string[];
  /** For partial object rules: the key term; for partial set rules: the member term. */
  readonly key: Term | undefined;
  /**
   * Rule heads with several variable segments (`p[x][y] := v`, `p[x] contains y`): the terms
   * after the ground prefix, the path inside the rule's document to the value or set.
   */
  readonly keyPath?: readonly Term[];
  /** The value term (complete, partial object, function); `true` when omitted. */
  readonly value: Term;
  readonly args: readonly Term[] | undefined;
  readonly body: Body;
  readonly isDefault: boolean;
  readonly elseRule: Rule | undefined;
  readonly loc: Location;
  readonly module: Module;
}

export interface Import {
  /** The imported ref as a path from `data` or `input`, e.g. ['data', 'x', 'y']. */
  readonly path: readonly string[];
  readonly alias: string;
  readonly loc: Location;
}

export interface Module {
  readonly file: string;
  readonly pkg: readonly string[];
  imports: readonly Import[];
  rules: Rule[];
}
