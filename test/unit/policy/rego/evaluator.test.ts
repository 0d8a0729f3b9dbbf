import { describe, expect, it } from 'vitest';
import { compile, RegoCompileError, RegoEvalError, toJS } from '../../../../gateway/src/policy/rego/index.js';

const evalRule = (src: string, ref: string, input?: unknown, data?: unknown) =>
  toJS(compile({ modules: { 'p.rego': src }, ...(data !== undefined ? { data } : {}) }).evaluate(ref, { input }).value!);

describe('the Rego evaluator', () => {
  describe('compile errors carry file:line:col', () => {
    it('reports a parse error with its location', () => {
      expect(() => compile({ modules: { 'bad.rego': 'package x\n\np if {\n  x := [1, 2\n}\n' } })).toThrow(/^bad\.rego:5:1: rego_parse_error/);
    });

    it('reports an unsafe variable', () => {
      expect(() => compile({ modules: { 'u.rego': 'package x\n\np if {\n  y > 1\n}\n' } })).toThrow(
        expect.objectContaining({ code: 'rego_unsafe_var_error', message: expect.stringMatching(/u\.rego:4:\d+: .*var y is unsafe/) }),
      );
    });

    it('reports recursion between rules', () => {
      expect(() => compile({ modules: { 'r.rego': 'package x\n\na if b\n\nb if a\n' } })).toThrow(expect.objectContaining({ code: 'rego_recursion_error' }));
    });

    it('names an unknown function instead of evaluating to undefined', () => {
      expect(() => compile({ modules: { 'f.rego': 'package x\n\np := crypto.quantum(1)\n' } })).toThrow(/undefined function crypto\.quantum/);
    });
  });

  it('raises eval_conflict_error for a complete rule with two values, in both builtin modes', () => {
    const p = compile({ modules: { 'c.rego': 'package x\n\np := 1 if true\n\np := 2 if true\n' } });
    for (const strict of [true, false]) {
      expect(() => p.evaluate('data.x.p', { strictBuiltinErrors: strict })).toThrow(expect.objectContaining({ code: 'eval_conflict_error' }));
    }
  });

  it('turns builtin errors into undefined, or into errors in strict mode', () => {
    const p = compile({ modules: { 'd.rego': 'package x\n\np := 1 / 0\n' } });
    expect(p.evaluate('data.x.p').value).toBeUndefined();
    expect(() => p.evaluate('data.x.p', { strictBuiltinErrors: true })).toThrow(expect.objectContaining({ code: 'eval_builtin_error' }));
  });

  it('keeps integers beyond 2^53 exact', () => {
    expect(evalRule('package x\n\np := 9007199254740993 + 2\n', 'data.x.p')).toBe(9007199254740995n);
  });

  it('mocks input, data and functions with `with`', () => {
    const src = [
      'package x',
      'f(v) := v * 2',
      'p := [input.a, data.limit, f(3)]',
      'q := r if r := p with input.a as 7 with data.limit as 9 with f as g',
      'g(v) := v + 100',
    ].join('\n');
    expect(evalRule(src, 'data.x.q', { a: 1 }, { limit: 2 })).toEqual([7, 9, 103]);
    expect(evalRule(src, 'data.x.p', { a: 1 }, { limit: 2 })).toEqual([1, 2, 6]);
  });

  it('orders sets, and strings by code point, as OPA does', () => {
    expect(evalRule('package x\n\np := [x | some x in {"b", "a", "\\u00e9", "Z"}]\n', 'data.x.p')).toEqual(['Z', 'a', 'b', 'é']);
  });

  it('looks agreements up by key instead of scanning them (1,000 partners cost what 10 do)', () => {
    const src = 'package x\n\nallow if data.agreements[input.partner][input.capability]\n';
    const steps = (n: number) => {
      const agreements: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) agreements[`p${i}`] = { read: true };
      const p = compile({ modules: { 'a.rego': src }, data: { agreements } });
      // A step budget just above what one lookup needs: a scan of 1,000 entries would exceed it.
      return p.evaluate('data.x.allow', { input: { partner: `p${n - 1}`, capability: 'read' }, maxSteps: 20 }).value;
    };
    expect(steps(10)).toBe(true);
    expect(steps(1000)).toBe(true);
  });

  describe('the evaluation time', () => {
    const src = 'package x\n\nnow := time.now_ns()\n\nbefore_2030 if time.now_ns() < time.parse_rfc3339_ns("2030-01-01T00:00:00Z")\n';

    it('is the clock at the start of evaluation by default', () => {
      const ns = toJS(compile({ modules: { 't.rego': src } }).evaluate('data.x.now').value!) as bigint;
      expect(Math.abs(Number(ns / 1_000_000n) - Date.now())).toBeLessThan(5_000);
    });

    it('is the time given with `now` (milliseconds), so that an earlier decision can be evaluated again as it was', () => {
      const policy = compile({ modules: { 't.rego': src } });
      const at = Date.parse('2029-06-01T12:00:00.123Z');
      expect(toJS(policy.evaluate('data.x.now', { now: at }).value!)).toBe(BigInt(at) * 1_000_000n);
      expect(policy.evaluate('data.x.before_2030', { now: at }).value).toBeDefined();
      expect(policy.evaluate('data.x.before_2030', { now: Date.parse('2031-01-01T00:00:00Z') }).value).toBeUndefined();
    });
  });
});
