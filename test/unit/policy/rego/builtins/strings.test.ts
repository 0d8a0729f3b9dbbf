import { describe, expect, it } from 'vitest';
import { errorCode, queryValue } from './helpers.js';

describe('to_number', () => {
  it('calls the spellings of infinity and NaN a type error, whatever their case and sign', () => {
    for (const s of ['NaN', 'nan', 'Inf', '-inf', '+Infinity', '-INFINITY']) {
      expect(errorCode(`x := to_number(${JSON.stringify(s)})`)).toBe('eval_type_error');
    }
  });

  it('calls a number beyond float64 a builtin error, as Go parses it', () => {
    expect(errorCode('x := to_number("1e400")')).toBe('eval_builtin_error');
  });

  it('keeps big integers exact', () => {
    expect(queryValue('x := to_number("123456789012345678901234")')).toBe(123456789012345678901234n);
  });
});

describe('sprintf', () => {
  it('shows a number beyond float64 as it was written, as OPA passes it to Go as text', () => {
    expect(queryValue('x := sprintf("hi %v", [2e308])')).toBe('hi 2e308');
    expect(queryValue('x := sprintf("%d", [2e308])')).toBe('%!d(string=2e308)');
  });

  it('formats integers as Go ints and big integers as big.Int', () => {
    expect(queryValue('x := sprintf("%f|%d|%s", [1, 123456789123456789123, 123456789123456789123])')).toBe('%!f(int=1)|123456789123456789123|123456789123456789123');
  });

  it('prints floats with %v as Go does', () => {
    expect(queryValue('x := sprintf("%v %v %v", [1234567.5, 0.5, 1.5e-7])')).toBe('1.2345675e+06 0.5 1.5e-07');
  });
});
