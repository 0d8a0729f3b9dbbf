import { describe, expect, it } from 'vitest';
import { compile, toJS } from '../../../../gateway/src/policy/rego/index.js';

describe('function mocks with `with`', () => {
  it('run a replacement function without any other mock applied', () => {
    const src = [
      'package m',
      'loud(_) := "mocked count"',
      'size(x) := count(x)',
      'p := v if { v := q with count as loud }',
      'q := v if { v := r with object.keys as size }',
      'r := object.keys({"a": 1, "b": 2})',
    ].join('\n');
    expect(compile({ modules: { 'm.rego': src } }).evaluate('data.m.p').value).toBe(2);
  });
});

describe('base documents', () => {
  it('find a string key by the number it spells, as OPA reads its store', () => {
    const p = compile({ modules: { 'd.rego': 'package d\n\np := data.nested[2]\n' }, data: { nested: { '2': 'bar' } } });
    expect(p.evaluate('data.d.p').value).toBe('bar');
  });
});

const policy = (...lines: string[]) => compile({ modules: { 'refs.rego': ['package refs', ...lines].join('\n') } });
const valueOf = (p: ReturnType<typeof policy>, ref: string) => toJS(p.evaluate(ref).value as never);

describe('rules with references in their heads', () => {
  it('merge rules at different depths of one reference into one document', () => {
    const p = policy(
      'doc[x].y := 1 if some x in ["a", "b"]',
      'doc.a.z := 2',
      'doc.c.d contains 3',
      'doc.c[k] contains 4 if k := "d"',
    );
    expect(valueOf(p, 'data.refs.doc')).toEqual({ a: { y: 1, z: 2 }, b: { y: 1 }, c: { d: [3, 4] } });
  });

  it('let a rule with variables share its document with rules nested below it', () => {
    const p = policy('obj.sub[x][x] contains x if some x in ["one", "two"]', 'obj[x][x] contains x if x := "other"');
    expect(valueOf(p, 'data.refs.obj')).toEqual({ sub: { one: { one: ['one'] }, two: { two: ['two'] } }, other: { other: ['other'] } });
    expect(p.query('x := data.refs.obj.sub[_][_][_]').map((r) => r.x)).toEqual(['one', 'two']);
  });

  it('put a set where a multi-value rule names it, next to single values', () => {
    const p = policy('p.q contains "foo"', 'p[k] := v if { k := "bar"; v := "baz" }');
    expect(valueOf(p, 'data.refs.p')).toEqual({ bar: 'baz', q: ['foo'] });
  });

  it('raise a conflict when a value sits where another rule builds an object', () => {
    const p = policy('p[x] := 1 if some x in ["a", "b"]', 'p.a.b := 2');
    expect(() => p.evaluate('data.refs.p')).toThrow(expect.objectContaining({ code: 'eval_conflict_error' }));
  });

  it('raise a conflict for two values at one path', () => {
    const p = policy('p[x] := 1 if some x in ["a", "b"]', 'p.a := 2');
    expect(() => p.evaluate('data.refs.p')).toThrow(expect.objectContaining({ code: 'eval_conflict_error' }));
    expect(() => p.evaluate('data.refs.p.a')).toThrow(expect.objectContaining({ code: 'eval_conflict_error' }));
  });

  it('answer a lookup whose key path avoids the conflicting rules', () => {
    const p = policy('p[x] := 1 if some x in ["a", "b"]', 'p.a := 2');
    expect(p.evaluate('data.refs.p.b').value).toBe(1);
  });

  it('let a function parameter shadow a rule of the same name', () => {
    const p = policy('f["g"](x) := x + 1', 'x := f.g(2)');
    expect(valueOf(p, 'data.refs')).toEqual({ f: {}, x: 3 });
  });
});

describe('`with` on a path inside a rule document', () => {
  it('replaces that part of the document', () => {
    const p = policy('r[x] := 1 if some x in ["a", "b"]', 's := v if v := r.a with data.refs.r.a as 5', 't := v if v := r with data.refs.r.c as 7');
    expect(p.evaluate('data.refs.s').value).toBe(5);
    expect(valueOf(p, 'data.refs.t')).toEqual({ a: 1, b: 1, c: 7 });
  });
});
