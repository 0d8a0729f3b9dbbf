import { describe, expect, it } from 'vitest';
import { errorCode, queryValue } from './helpers.js';

describe('test.sleep', () => {
  it('pauses for a Go duration and returns null', () => {
    const started = performance.now();
    expect(queryValue('x := test.sleep("20ms")')).toBeNull();
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('refuses text that is not a duration', () => {
    expect(errorCode('x := test.sleep("soon")')).toBe('eval_builtin_error');
  });
});
