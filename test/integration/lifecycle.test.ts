import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { z } from 'zod';
import { defineAgent } from '@entente/sdk';
import type { TaskView } from '../../gateway/src/tasks/index.js';
import { acked, countAgreements, partnerClient, startFederation, type TestFederation } from '../support/federation.js';

const A = 'hospital-a';
const B = 'hospital-b';
const C = 'hospital-c';

describe('following and cancelling a long task at a partner', () => {
  let fed: TestFederation;
  let release: () => void = () => undefined;
  const slow = defineAgent({
    name: 'slow-counter',
    capabilities: ['patients.count'],
    input: z.object({ condition: z.string() }),
    output: z.object({ count: z.number() }),
    handler: (_input, ctx) =>
      new Promise((resolve, reject) => {
        release = () => resolve({ count: 42 });
        ctx.signal.addEventListener('abort', () => reject(new Error('aborted')));
      }),
  });

  beforeAll(async () => {
    fed = await startFederation({
      [A]: { agreements: countAgreements(A, [B, C]) },
      [B]: { agents: [slow], agreements: countAgreements(B, [A, C]) },
      [C]: { agreements: countAgreements(C, [A, B]) },
    });
  });
  afterAll(async () => {
    await fed?.stop();
  });

  const clientAs = (org: string) => partnerClient(fed, org, B);

  async function until(check: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('condition not reached');
  }

  it('reports a running task, streams it to completion, and hides it from other organizations', async () => {
    const a = clientAs(A);
    const c = clientAs(C);
    try {
      const call = fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'x' }, taskId: 'long-1' });
      await until(async () => (await a.getTask(B, 'long-1', Date.now() + 2000).catch(() => undefined))?.status === 'running');
      const updates: TaskView[] = [];
      const watching = a.watchTask(B, 'long-1', Date.now() + 5000, (v) => updates.push(v));
      await until(async () => updates.length > 0);
      await expect(c.getTask(B, 'long-1', Date.now() + 2000)).rejects.toMatchObject({ reason: 'task_unknown' });
      // The stream path ends with the same coded status as the unary calls.
      await expect(c.watchTask(B, 'long-1', Date.now() + 2000)).rejects.toMatchObject({ reason: 'task_unknown', cause: { code: grpc.status.NOT_FOUND } });
      release();
      const outcome = await call;
      expect(outcome).toMatchObject({ status: 'completed', result: { count: 42 } });
      const seen = await watching;
      expect(seen.map((v) => v.status)).toEqual(['running', 'completed']);
      expect(seen[1]!.resultStatement).toBe(outcome.receipts.result);
    } finally {
      a.close();
      c.close();
    }
  });

  it('cancels a running task at the requester\'s request, with receipts on both sides', async () => {
    const a = clientAs(A);
    try {
      const call = fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'x' }, taskId: 'long-2' });
      await until(async () => (await a.getTask(B, 'long-2', Date.now() + 2000).catch(() => undefined))?.status === 'running');
      const cancelled = await a.cancelTask(B, 'long-2', Date.now() + 2000);
      expect(cancelled.status).toBe('cancelled');
      const outcome = await call;
      expect(outcome).toMatchObject({ status: 'cancelled', reason: 'cancelled' });
      await acked(fed.gateways[A]!, B, 'long-2');
      expect((await fed.gateways[A]!.receipts('long-2', B))[0]!.verification.state).toBe('verified');
      expect((await fed.gateways[B]!.receipts('long-2', A))[0]!.verification.state).toBe('verified');
    } finally {
      a.close();
    }
  });
});
