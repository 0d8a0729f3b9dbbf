import { describe, expect, it } from 'vitest';
import { compile } from '../../../../gateway/src/policy/rego/index.js';

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
