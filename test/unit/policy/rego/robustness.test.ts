import { describe, expect, it } from 'vitest';
import { compile, RegoCompileError, RegoEvalError } from '../../../../gateway/src/policy/rego/index.js';

/** The only acceptable outcomes for hostile text: a value, undefined, or one of our typed errors. */
function outcome(run: () => unknown): 'ok' | 'typed-error' {
  try {
    run();
    return 'ok';
  } catch (err) {
    if (err instanceof RegoCompileError || err instanceof RegoEvalError) return 'typed-error';
    throw err;
  }
}

describe('the evaluator on hostile policies and inputs', () => {
  it('refuses deeply nested terms with a parse error, not a stack overflow', () => {
    const src = `package x\n\np := ${'['.repeat(5000)}1${']'.repeat(5000)}\n`;
    expect(() => compile({ modules: { 'deep.rego': src } })).toThrow(expect.objectContaining({ code: 'rego_parse_error' }));
  });

  it('refuses an input nested too deeply for the stack with a typed error', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const p = compile({ modules: { 'i.rego': 'package x\n\np := count(input)\n' } });
    expect(() => p.evaluate('data.x.p', { input: deep })).toThrow(expect.objectContaining({ code: 'eval_limit_error' }));
  });

  it('evaluates over a huge input within its limits', () => {
    const items = Array.from({ length: 200_000 }, (_, i) => ({ id: i, ok: i % 2 === 0 }));
    const p = compile({ modules: { 'h.rego': 'package x\n\nn := count([i | some i in input.items; i.ok])\n' } });
    expect(p.evaluate('data.x.n', { input: { items } }).value).toBe(100_000);
  });

  it('matches a pathological regex in linear time (RE2 semantics)', () => {
    const p = compile({ modules: { 'r.rego': 'package x\n\np := regex.match("^(a+)+$", concat("", [input.s, "b"]))\n' } });
    const started = Date.now();
    expect(p.evaluate('data.x.p', { input: { s: 'a'.repeat(50_000) } }).value).toBe(false);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('ends a runaway evaluation with eval_limit_error', () => {
    const p = compile({ modules: { 'l.rego': 'package x\n\np := count([[a, b, c] | some a in numbers.range(1, 400); some b in numbers.range(1, 400); some c in numbers.range(1, 400)])\n' } });
    expect(() => p.evaluate('data.x.p', { maxSteps: 100_000 })).toThrow(expect.objectContaining({ code: 'eval_limit_error' }));
  });

  it('refuses recursion through functions at compile time', () => {
    expect(() => compile({ modules: { 'f.rego': 'package x\n\nf(n) := f(n + 1)\n\np := f(1)\n' } })).toThrow(expect.objectContaining({ code: 'rego_recursion_error' }));
  });

  it('survives random and mutated modules and inputs: only results or typed errors', () => {
    const seeds = [
      'package x\n\np if { input.a == 1 }',
      'package x\n\nq contains v if { some v in input.xs; v > 1 }',
      'package x\n\nr[k] := v if { some k, v in input.o }',
      'package x\n\nf(a) := b if { b := a * 2 } else := 0',
      'package x\n\ns := {x | x := input.xs[_]} with input.xs as [1, 2]',
      'package x\n\nt if every x in input.xs { x > 0 }',
    ];
    const alphabet = ['{', '}', '[', ']', '(', ')', ':=', '=', '==', ' not ', ' some ', ' in ', ' with ', ' as ', '"', '`', '\n', ';', ',', '.', '|', '_', 'x', '1', '-', '*', '#'];
    let rand = 42;
    const next = (n: number) => {
      rand = (rand * 1103515245 + 12345) & 0x7fffffff;
      return rand % n;
    };
    const inputs: unknown[] = [null, 1, 'x', [1, -2, 3], { a: 1, xs: [1, 2], o: { k: 'v' } }, { xs: 'nope', o: [1] }];
    let typed = 0;
    for (let i = 0; i < 600; i++) {
      let src = seeds[next(seeds.length)]!;
      for (let m = next(4); m > 0; m--) {
        const at = next(src.length + 1);
        src = next(2) === 0 ? src.slice(0, at) + alphabet[next(alphabet.length)] + src.slice(at) : src.slice(0, at) + src.slice(at + 1 + next(3));
      }
      const result = outcome(() => {
        const p = compile({ modules: { 'fuzz.rego': src } });
        for (const input of inputs) {
          outcome(() => p.query('x := data.x', { input, maxSteps: 50_000 }));
          outcome(() => p.query('x := data.x', { input, maxSteps: 50_000, strictBuiltinErrors: true }));
        }
      });
      if (result === 'typed-error') typed++;
    }
    // Most mutations break the module; the point is that none escaped as an untyped crash.
    expect(typed).toBeGreaterThan(100);
  });
});
