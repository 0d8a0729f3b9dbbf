import { describe, expect, it } from 'vitest';
import { Canceller, cancelTokenOf } from '../../../gateway/src/lib/index.js';

describe('Canceller', () => {
  it('calls each listener once with the reason, and only the first cancel counts', () => {
    const c = new Canceller();
    const heard: unknown[] = [];
    c.onCancel((r) => heard.push(['a', r]));
    c.onCancel((r) => heard.push(['b', r]));
    expect(c.cancelled).toBe(false);
    c.cancel('first');
    c.cancel('second');
    expect(heard).toEqual([['a', 'first'], ['b', 'first']]);
    expect(c.cancelled).toBe(true);
    expect(c.reason).toBe('first');
  });

  it('calls a listener added after the cancel at once, and not one that stopped listening', () => {
    const c = new Canceller();
    const heard: string[] = [];
    const stop = c.onCancel(() => heard.push('stopped'));
    c.onCancel(() => heard.push('kept'));
    stop();
    c.cancel();
    c.onCancel(() => heard.push('late'));
    expect(heard).toEqual(['kept', 'late']);
  });
});

describe('cancelTokenOf', () => {
  it('follows an AbortSignal: its state, its reason, its listeners, already aborted or later', () => {
    const controller = new AbortController();
    const token = cancelTokenOf(controller.signal);
    const heard: unknown[] = [];
    const stop = token.onCancel(() => heard.push('stopped'));
    token.onCancel((r) => heard.push(r));
    stop();
    expect(token.cancelled).toBe(false);
    controller.abort('why');
    expect(token.cancelled).toBe(true);
    expect(token.reason).toBe('why');
    token.onCancel((r) => heard.push(['late', r]));
    expect(heard).toEqual(['why', ['late', 'why']]);
  });
});
