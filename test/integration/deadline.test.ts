import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '@entente/sdk';
import { ManualClock } from '../../gateway/src/lib/index.js';
import { acked, countAgreements, startFederation, type TestFederation } from '../support/federation.js';

const A = 'hospital-a';
const B = 'hospital-b';

/**
 * Deadlines driven by an injected clock: B's clock is a ManualClock, the calls' real deadline
 * is a minute away (beyond the test's own timeout), so the task can only end in time if the
 * gateway's timers follow the injected clock.
 */
describe("a call's deadline under a manual clock", () => {
  let fed: TestFederation;
  const clock = new ManualClock();
  const started: string[] = [];
  const stuck = defineAgent({
    name: 'stuck',
    capabilities: ['patients.count'],
    input: z.object({ condition: z.string() }),
    output: z.object({ count: z.number() }),
    // Ignores its abort signal: only the gateway's deadline can end it.
    handler: (_input, ctx) => {
      started.push(ctx.taskId);
      return new Promise<{ count: number }>(() => undefined);
    },
  });

  beforeAll(async () => {
    fed = await startFederation({
      [A]: { agreements: countAgreements(A, [B]), limits: { callTimeout: '60s' } },
      [B]: { agents: [stuck], agreements: countAgreements(B, [A]), clock, limits: { callTimeout: '60s' } },
    });
  });
  afterAll(async () => {
    await fed?.stop();
  });

  it('ends a stuck agent at the deadline with agent_timeout, receipted on both sides, without waiting for it', async () => {
    const call = fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'flu' }, taskId: 'stuck-1', timeoutMs: 20_000 });
    await expect.poll(() => started.includes('stuck-1') && clock.pending > 0).toBe(true);
    await clock.advance(19_000);
    expect(started).toEqual(['stuck-1']); // still running: the deadline has not come
    await clock.advance(1_100);
    const outcome = await call;
    expect(outcome).toMatchObject({ status: 'failed', reason: 'agent_timeout' });
    await acked(fed.gateways[A]!, B, 'stuck-1');
    expect((await fed.gateways[A]!.receipts('stuck-1', B))[0]!.verification.state).toBe('verified');
    const [atB] = await fed.gateways[B]!.receipts('stuck-1', A);
    expect(atB!.verification.state).toBe('verified');
    // B's records carry B's clock, which is now twenty seconds ahead of the wall clock.
    expect(atB!.task.updatedAt).toBeGreaterThan(Date.now() + 15_000);
    expect(atB!.task.updatedAt).toBeLessThanOrEqual(clock.now());
  });
});
