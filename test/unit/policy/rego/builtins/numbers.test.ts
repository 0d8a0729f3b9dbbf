import { describe, expect, it } from 'vitest';
import { queryValue } from './helpers.js';

describe('numbers.range and numbers.range_step', () => {
  it('accept a step beyond 2^53, as OPA computes ranges with big integers', () => {
    expect(queryValue('x := numbers.range_step(0, 10, 99999999999999999999)')).toEqual([0]);
  });

  it('count in big integers beyond 2^53 exactly', () => {
    expect(queryValue('x := numbers.range_step(9007199254740993, 9007199254740999, 3)')).toEqual([9007199254740993n, 9007199254740996n, 9007199254740999n]);
  });

  it('count down when the end is below the start', () => {
    expect(queryValue('x := numbers.range(2, -1)')).toEqual([2, 1, 0, -1]);
  });
});
