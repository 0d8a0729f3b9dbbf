import { describe, expect, it } from 'vitest';
import { compile } from '../../../../gateway/src/policy/rego/index.js';

const refs = (...lines: string[]) => compile({ modules: { 'refs.rego': ['package refs', ...lines].join('\n') } });
const value = (src: string, ref: string) => compile({ modules: { 'c.rego': src } }).evaluate(ref).value;

describe('body ordering at compile time', () => {
  it('evaluates a negation only after the expressions that bind its variables', () => {
    const src = ['package c', 'f(x) := x', 'p := a if {', '  not a = f(1)', '  a = f(2)', '}'].join('\n');
    expect(value(src, 'data.c.p')).toBe(2);
  });

  it('reports a variable that only a negation uses as unsafe', () => {
    expect(() => compile({ modules: { 'c.rego': 'package c\n\np if {\n  not input.xs[i] = 1\n}\n' } })).toThrow(
      expect.objectContaining({ code: 'rego_unsafe_var_error' }),
    );
  });
});

describe('rule-tree checks at compile time', () => {
  it('refuse a rule without variables in its head that has rules below it', () => {
    expect(() => refs('p.q := 1', 'p.q.r := 2')).toThrow(expect.objectContaining({ code: 'rego_type_error' }));
    expect(() => refs('p.q := 1', 'p.q[x] := 2 if x := "a"')).toThrow(expect.objectContaining({ code: 'rego_type_error' }));
  });
});
