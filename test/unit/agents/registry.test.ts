import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '@entente/sdk';
import { AgentError, AgentRegistry, type RunRequest } from '../../../gateway/src/agents/index.js';
import { Canceller, cancelTokenOf, ManualClock } from '../../../gateway/src/lib/index.js';

const agent = (name: string, capability: string) =>
  defineAgent({ name, capabilities: [capability], input: z.object({}), output: z.object({}), handler: () => ({}) });

describe('AgentRegistry', () => {
  describe('when two agents serve the same capability', () => {
    it('refuses the second with AGENT_DUPLICATE naming both', () => {
      const register = () => new AgentRegistry([agent('first', 'patients.count'), agent('second', 'patients.count')]);
      expect(register).toThrow(AgentError);
      expect(register).toThrow(expect.objectContaining({ code: 'AGENT_DUPLICATE', message: expect.stringMatching(/first.*second/) }));
    });
  });

  describe('when an agent name is registered twice', () => {
    it('refuses it with AGENT_DUPLICATE', () => {
      expect(() => new AgentRegistry([agent('same', 'a.one'), agent('same', 'a.two')])).toThrow(
        expect.objectContaining({ code: 'AGENT_DUPLICATE' }),
      );
    });
  });

  describe('when no agent serves a capability', () => {
    it('refuses its input with CAPABILITY_UNAVAILABLE', () => {
      expect(() => new AgentRegistry().parseInput('x.y', {})).toThrow(expect.objectContaining({ code: 'CAPABILITY_UNAVAILABLE' }));
    });
  });
});

describe('AgentRegistry.run', () => {
  const noLog = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined } as never;
  const request = (clock: ManualClock, over: Partial<RunRequest> = {}): RunRequest => ({
    taskId: 't-1', requester: 'org-a', capability: 'slow.thing', purpose: 'test', input: {}, deadline: clock.now() + 1000, log: () => noLog, ...over,
  });
  /** An agent that waits until its signal aborts, recording what it saw. */
  const waiting = (seen: { reason?: unknown; aborted?: boolean }) =>
    defineAgent({
      name: 'waits', capabilities: ['slow.thing'], input: z.object({}), output: z.object({}),
      handler: (_i, ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => ((seen.reason = ctx.signal.reason), reject(new Error('stopped'))), { once: true })),
    });

  it('ends a run at its deadline with AGENT_TIMEOUT, aborting the signal the agent holds with that error', async () => {
    const clock = new ManualClock(0);
    const seen: { reason?: unknown } = {};
    const run = new AgentRegistry([waiting(seen)], clock).run(request(clock), {});
    const outcome = expect(run).rejects.toMatchObject({ code: 'AGENT_TIMEOUT' });
    await clock.advance(999);
    expect(seen.reason).toBeUndefined();
    await clock.advance(1);
    await outcome;
    expect(seen.reason).toMatchObject({ code: 'AGENT_TIMEOUT' });
  });

  it("ends a run its caller aborts with AGENT_CANCELLED, the agent's signal carrying the caller's reason, and stops its deadline", async () => {
    const clock = new ManualClock(0);
    const seen: { reason?: unknown } = {};
    const caller = new Canceller();
    const run = new AgentRegistry([waiting(seen)], clock).run(request(clock, { cancel: caller }), {});
    await new Promise((r) => setImmediate(r));
    expect(clock.pending).toBe(1);
    caller.cancel('the partner cancelled');
    await expect(run).rejects.toMatchObject({ code: 'AGENT_CANCELLED' });
    expect(seen.reason).toBe('the partner cancelled');
    expect(clock.pending).toBe(0);
  });

  it('gives an agent that first looks at its signal after the run was stopped an aborted one, with the reason', async () => {
    const clock = new ManualClock(0);
    const caller = new AbortController();
    let late: AbortSignal | undefined;
    const looksLate = defineAgent({
      name: 'late', capabilities: ['slow.thing'], input: z.object({}), output: z.object({}),
      handler: async (_i, ctx) => {
        await new Promise((r) => setTimeout(r, 20));
        late = ctx.signal;
        return {};
      },
    });
    // A workflow step's caller holds an AbortSignal: the same, through cancelTokenOf.
    const run = new AgentRegistry([looksLate], clock).run(request(clock, { cancel: cancelTokenOf(caller.signal) }), {});
    caller.abort('gone');
    await expect(run).rejects.toMatchObject({ code: 'AGENT_CANCELLED' });
    await new Promise((r) => setTimeout(r, 40));
    expect(late?.aborted).toBe(true);
    expect(late?.reason).toBe('gone');
  });

  it('stops a run cancelled before it began at once, without calling the agent, and no longer listens once a run ended', async () => {
    const clock = new ManualClock(0);
    let called = 0;
    const counted = defineAgent({ name: 'counted', capabilities: ['slow.thing'], input: z.object({}), output: z.object({}), handler: () => ((called += 1), {}) });
    const registry = new AgentRegistry([counted], clock);
    const before = new Canceller();
    before.cancel('too late');
    await expect(registry.run(request(clock, { cancel: before }), {})).rejects.toMatchObject({ code: 'AGENT_CANCELLED' });
    expect(called).toBe(0);
    const after = new Canceller();
    let heard = 0;
    after.onCancel(() => (heard += 1));
    await expect(registry.run(request(clock, { cancel: after }), {})).resolves.toEqual({});
    after.cancel('after the end');
    expect(heard).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it('makes the logger only for an agent that logs, and leaves no deadline behind when the run ends', async () => {
    const clock = new ManualClock(0);
    let made = 0;
    const log = () => ((made += 1), noLog);
    const quiet = defineAgent({ name: 'quiet', capabilities: ['quiet.one'], input: z.object({}), output: z.object({ n: z.number() }), handler: () => ({ n: 1 }) });
    const chatty = defineAgent({
      name: 'chatty', capabilities: ['chatty.one'], input: z.object({}), output: z.object({ n: z.number() }),
      handler: (_i, ctx) => (ctx.log.info({}, 'one'), ctx.log.info({}, 'two'), { n: 2 }),
    });
    const registry = new AgentRegistry([quiet, chatty], clock);
    expect(await registry.run(request(clock, { capability: 'quiet.one', log }), {})).toEqual({ n: 1 });
    expect(made).toBe(0);
    expect(await registry.run(request(clock, { capability: 'chatty.one', log }), {})).toEqual({ n: 2 });
    expect(made).toBe(1);
    expect(clock.pending).toBe(0);
  });
});
