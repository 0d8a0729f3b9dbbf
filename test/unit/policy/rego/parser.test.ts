import { describe, expect, it } from 'vitest';
import { compile, toJS } from '../../../../gateway/src/policy/rego/index.js';

const value = (src: string, ref: string) => toJS(compile({ modules: { 'p.rego': src } }).evaluate(ref).value as never);

describe('rule bodies after if', () => {
  it('read braces that form an object comprehension as a one-expression body', () => {
    const src = ['package p', 'pairs := 2 if {k: v | some k, v in {"a": 1}}'].join('\n');
    expect(value(src, 'data.p.pairs')).toBe(2);
  });

  it('still read braces around expressions as a body', () => {
    const src = ['package p', 'q := 3 if { true }', 'r if { 1 == 1; 2 == 2 }', 's := 4 if { 1 == 2 } else := 5'].join('\n');
    expect(value(src, 'data.p')).toEqual({ q: 3, r: true, s: 5 });
  });
});
