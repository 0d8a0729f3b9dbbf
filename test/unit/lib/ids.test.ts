import { describe, expect, it } from 'vitest';
import { randomFromPool, timeOrderedId } from '../../../gateway/src/lib/index.js';
import { TASK_ID } from '../../../gateway/src/tasks/task.js';

describe('timeOrderedId', () => {
  it('is a UUID version 7 whose first 48 bits are the Unix milliseconds (RFC 9562)', () => {
    const at = Date.UTC(2026, 11, 2, 18, 0, 0, 123);
    const id = timeOrderedId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    expect(id).toMatch(TASK_ID);
  });

  it('sorts by time, so rows keyed by it go to the right edge of an index', () => {
    const ids = [0, 1, 2, 1000, 86_400_000].map((d) => timeOrderedId(1_780_000_000_000 + d));
    expect([...ids].sort()).toEqual(ids);
  });

  it('does not repeat within a millisecond, across refills of its random pool', () => {
    const ids = Array.from({ length: 5000 }, () => timeOrderedId(1_780_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('randomFromPool', () => {
  it('hands out bytes that do not repeat across refills, and copies, not views of the pool', () => {
    const draws = Array.from({ length: 3000 }, () => randomFromPool(16));
    expect(new Set(draws.map((b) => b.toString('hex'))).size).toBe(draws.length);
    const first = Buffer.from(draws[0]!);
    for (let i = 0; i < 2000; i++) randomFromPool(16);
    expect(draws[0]).toEqual(first);
  });

  it('refuses more than it can give at once', () => {
    expect(() => randomFromPool(257)).toThrow(/at most 256 bytes/);
  });
});
