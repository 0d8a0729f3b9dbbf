import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '@entente/sdk';
import { Gateway } from '../../gateway/src/gateway.js';
import { ManualClock } from '../../gateway/src/lib/index.js';
import { createLogger } from '../../gateway/src/observability/index.js';
import type { TaskView } from '../../gateway/src/tasks/index.js';
import { acked, countAgreements, partnerClient, startFederation, type TestFederation } from '../support/federation.js';

const A = 'hospital-a';
const B = 'hospital-b';
/** A value only the input holds: it must never show in what B's approver sees. */
const SECRET = 'condition-only-in-the-input';

/** B's agreement with A asks for a person's approval of every request. */
function heldAgreements() {
  const agreements = countAgreements(B, [A]);
  const inbound = agreements.inbound[A]!['patients.count']!;
  return { ...agreements, inbound: { [A]: { 'patients.count': { ...inbound, require_approval: true } } } };
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached');
}

describe('a partner request held for approval at the responder', () => {
  let fed: TestFederation;
  const clock = new ManualClock();
  let runs = 0;
  const counter = defineAgent({
    name: 'counter',
    capabilities: ['patients.count'],
    input: z.object({ condition: z.string() }),
    output: z.object({ count: z.number() }),
    handler: async () => {
      runs++;
      return { count: 42 };
    },
  });
  const call = (taskId: string, timeoutMs: number, onAwaitingApproval?: () => void) =>
    fed.gateways[A]!.call({
      partner: B,
      capability: 'patients.count',
      purpose: 'research',
      input: { condition: SECRET },
      taskId,
      timeoutMs,
      ...(onAwaitingApproval !== undefined ? { onAwaitingApproval } : {}),
    });
  const approvalOf = (taskId: string) => `inbound:${A}.${taskId}`;
  const pendingAt = async (taskId: string) => (await fed.gateways[B]!.listApprovals()).some((p) => p.approvalId === approvalOf(taskId));

  const clientAsA = () => partnerClient(fed, A, B);

  async function expectVerifiedOnBothSides(taskId: string): Promise<void> {
    await acked(fed.gateways[A]!, B, taskId);
    expect((await fed.gateways[A]!.receipts(taskId, B))[0]!.verification).toEqual({ state: 'verified', problems: [] });
    expect((await fed.gateways[B]!.receipts(taskId, A))[0]!.verification).toEqual({ state: 'verified', problems: [] });
  }

  beforeAll(async () => {
    fed = await startFederation({
      [A]: { agreements: countAgreements(A, [B]) },
      [B]: { agents: [counter], agreements: heldAgreements(), clock },
    });
  });
  afterAll(async () => {
    await fed?.stop();
  });

  it('answers awaiting_approval at the deadline, shows the approver no input, and runs the task once when approved', async () => {
    let held = 0;
    const first = await call('held-1', 300, () => held++);
    expect(first).toMatchObject({ status: 'awaiting_approval', message: expect.stringContaining('call again with the same taskId') });
    expect(Object.keys(first.receipts)).toEqual(['request']);
    expect(held).toBe(1);
    expect((await fed.gateways[A]!.listTasks({ taskId: 'held-1' }))[0]?.status).toBe('awaiting_approval');

    const pending = (await fed.gateways[B]!.listApprovals()).find((p) => p.approvalId === approvalOf('held-1'));
    expect(pending).toEqual({
      approvalId: approvalOf('held-1'),
      kind: 'inbound',
      task: { taskId: 'held-1', partner: A, capability: 'patients.count', purpose: 'research' },
      details: null,
      requestedAt: expect.any(Number),
      decisions: ['approve', 'reject'],
    });
    expect(JSON.stringify(pending)).not.toContain(SECRET);
    expect(runs).toBe(0);

    // WatchTask streams each change of state, not only the current and the final one.
    const a = clientAsA();
    try {
      const seen: TaskView[] = [];
      const watching = a.watchTask(B, 'held-1', Date.now() + 10_000, (v) => seen.push(v));
      await until(async () => seen.length > 0);
      const decided = await fed.gateways[B]!.decideApproval(approvalOf('held-1'), { decision: 'approve', by: 'bob', reason: 'agreement 2026-04 checked' });
      expect(decided.decided).toEqual({ decision: 'approve', by: 'bob', reason: 'agreement 2026-04 checked', at: clock.now() });
      await watching;
      expect(seen.map((v) => v.status)).toEqual(['awaiting_approval', 'running', 'completed']);
    } finally {
      a.close();
    }

    const outcome = await call('held-1', 5000, () => held++);
    expect(outcome).toMatchObject({ status: 'completed', result: { count: 42 } });
    expect(outcome.receipts).toEqual({ request: first.receipts.request, result: expect.any(String), ack: expect.any(String) });
    await expectVerifiedOnBothSides('held-1');
    expect(runs).toBe(1);
    expect(await pendingAt('held-1')).toBe(false);
  });

  it('follows a held task to its result when the approval comes within the call', async () => {
    const before = runs;
    let held = 0;
    const calling = call('held-2', 10_000, () => held++);
    await until(() => pendingAt('held-2'));
    await fed.gateways[B]!.decideApproval(approvalOf('held-2'), { decision: 'approve', by: 'bob', reason: 'fine' });
    expect(await calling).toMatchObject({ status: 'completed', result: { count: 42 } });
    expect(held).toBe(1);
    await expectVerifiedOnBothSides('held-2');
    expect(runs).toBe(before + 1);
  });

  it('refuses an unknown approval, a decision it does not take, and a second decision, with the run approvals\' codes', async () => {
    const gateway = fed.gateways[B]!;
    await expect(gateway.decideApproval(approvalOf('no-such-task'), { decision: 'approve', by: 'bob', reason: 'x' })).rejects.toMatchObject({ code: 'APPROVAL_UNKNOWN' });
    await call('held-3', 300);
    await expect(gateway.decideApproval(approvalOf('held-3'), { decision: 'skip', by: 'bob', reason: 'x' })).rejects.toMatchObject({ code: 'APPROVAL_DECISION_INVALID' });
    await expect(gateway.decideApproval(approvalOf('held-3'), { decision: 'approve', by: 'bob', reason: ' ' })).rejects.toMatchObject({ code: 'APPROVAL_DECISION_INVALID' });
    await gateway.decideApproval(approvalOf('held-3'), { decision: 'approve', by: 'bob', reason: 'fine' });
    await expect(gateway.decideApproval(approvalOf('held-3'), { decision: 'reject', by: 'carol', reason: 'too late' })).rejects.toMatchObject({
      code: 'APPROVAL_DECIDED',
      message: expect.stringContaining('approve by bob'),
    });
  });

  it('ends a rejected request denied (approval_rejected) with a result statement, acknowledged on both sides, without running it', async () => {
    const before = runs;
    expect(await call('rejected-1', 300)).toMatchObject({ status: 'awaiting_approval' });
    // Called again with the same task id, A resends it, hears it is still held, and follows it.
    let held = 0;
    const calling = call('rejected-1', 10_000, () => held++);
    await until(async () => held === 1);
    await fed.gateways[B]!.decideApproval(approvalOf('rejected-1'), { decision: 'reject', by: 'bob', reason: 'not in the study protocol' });
    const outcome = await calling;
    expect(outcome).toMatchObject({ status: 'denied', reason: 'approval_rejected', receipts: { result: expect.any(String), ack: expect.any(String) } });
    expect(outcome.message).not.toContain('study protocol');
    await expectVerifiedOnBothSides('rejected-1');
    expect(runs).toBe(before);
    // Asked again, A answers from its own record.
    expect(await call('rejected-1', 1000)).toMatchObject({ status: 'denied', reason: 'approval_rejected' });
  });

  it('withdraws a held task when the requester cancels it: cancelled with receipts, and no longer to decide', async () => {
    await call('withdrawn-1', 300);
    const a = clientAsA();
    try {
      const view = await a.cancelTask(B, 'withdrawn-1', Date.now() + 2000);
      expect(view).toMatchObject({ status: 'cancelled', reason: 'cancelled', resultStatement: expect.any(String) });
    } finally {
      a.close();
    }
    expect(await pendingAt('withdrawn-1')).toBe(false);
    await expect(fed.gateways[B]!.decideApproval(approvalOf('withdrawn-1'), { decision: 'approve', by: 'bob', reason: 'x' })).rejects.toMatchObject({ code: 'APPROVAL_DECIDED' });
    // A learns the outcome when it calls again, and receipts it.
    expect(await call('withdrawn-1', 2000)).toMatchObject({ status: 'cancelled', reason: 'cancelled' });
    await expectVerifiedOnBothSides('withdrawn-1');
  });

  it('runs a task approved after the responder restarted, exactly once, when the requester following it resubmits', async () => {
    const before = runs;
    let held = 0;
    const calling = call('restart-1', 20_000, () => held++);
    await until(() => pendingAt('restart-1'));

    // B restarts: the held request survives in its store, its input does not.
    await fed.gateways[B]!.stop(0);
    fed.gateways[B] = Gateway.create({ config: fed.config(B), agents: [counter], clock, logger: createLogger({ org: B, level: 'silent' }) });
    await fed.gateways[B].start();
    expect(await pendingAt('restart-1')).toBe(true);

    // Long enough for the request statement A signed to have expired: the resubmission resends it.
    await clock.advance(10 * 60_000);
    await fed.gateways[B]!.decideApproval(approvalOf('restart-1'), { decision: 'approve', by: 'bob', reason: 'approved after the restart' });
    const outcome = await calling;
    expect(outcome).toMatchObject({ status: 'completed', result: { count: 42 } });
    expect(held).toBe(1);
    await expectVerifiedOnBothSides('restart-1');
    expect(runs).toBe(before + 1);
    expect((await fed.gateways[B]!.listTasks({ taskId: 'restart-1' }))[0]?.status).toBe('completed');

    // Calling again answers from the record: the agent does not run twice.
    expect(await call('restart-1', 2000)).toMatchObject({ status: 'completed', result: { count: 42 } });
    expect(runs).toBe(before + 1);
  });
});
