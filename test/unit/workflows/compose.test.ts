import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../gateway/src/lib/index.js';
import { openSqliteStore } from '../../../gateway/src/store/index.js';
import { parseWorkflow, type Outcome, type RunWatchItem } from '../../../gateway/src/workflows/index.js';
import { advanceUntilFinished, engineHarness, ok, ScriptedExecutor } from './harness.js';

/** Approvals, foreach, plans, compensation, cancellation and watching, against a scripted executor. */
describe('WorkflowEngine composition', () => {
  const { store, stores, engine } = engineHarness();

  describe('approval steps', () => {
    const ORDER = `
name: order
steps:
  - { id: draft, capability: proposal.draft, input: 'input' }
  - { id: approve, needs: [draft], when: 'input.value > 10000', approval: { timeout: 1h }, input: '{"value": input.value, "proposal": steps.draft.output}' }
  - { id: update, capability: orders.update, needs: [approve], input: 'steps.draft.output' }
`;
    const exec = () => new ScriptedExecutor((t) => ok(t.capability === 'proposal.draft' ? { lines: 2 } : { updated: true }));

    it('waits for a person above the threshold, shows what to decide on, and goes on when approved', async () => {
      const { s } = store();
      const x = exec();
      const e = engine(s, x);
      const runId = await e.start(parseWorkflow(ORDER, 'order.yaml'), { value: 25_000 });
      await expect.poll(() => e.approvals({ runId })).toHaveLength(1);
      const [pending] = e.approvals({ runId });
      expect(pending).toMatchObject({ kind: 'approval', step: 'approve', workflow: 'order', decisions: ['approve', 'reject'], details: { value: 25_000, proposal: { lines: 2 } } });
      expect(x.ran('orders.update')).toEqual([]);
      const decided = await e.decide(pending!.approvalId, { decision: 'approve', by: 'carol', reason: 'margin is fine' });
      expect(decided.decided).toMatchObject({ decision: 'approve', by: 'carol', reason: 'margin is fine' });
      const done = await e.wait(runId);
      expect(done.finished?.status).toBe('completed');
      expect(done.steps.get('approve')).toMatchObject({ status: 'completed', output: { approved: true, by: 'carol' } });
      expect(x.ran('orders.update')).toHaveLength(1);
      // Deciding it again once the run has finished: already decided, and by whom.
      await expect(e.decide(pending!.approvalId, { decision: 'reject', by: 'eve', reason: 'late' })).rejects.toMatchObject({
        code: 'APPROVAL_DECIDED',
        message: expect.stringContaining('approve by carol'),
      });
      await expect(e.decide(`${runId}.approve.a999`, { decision: 'reject', by: 'eve', reason: 'x' })).rejects.toMatchObject({ code: 'APPROVAL_UNKNOWN' });
    });

    it('skips the approval below the threshold', async () => {
      const { s } = store();
      const e = engine(s, exec());
      const done = await e.wait(await e.start(parseWorkflow(ORDER, 'order.yaml'), { value: 500 }));
      expect(done.steps.get('approve')?.status).toBe('skipped');
      expect(done.finished?.status).toBe('completed');
    });

    it('fails cleanly on reject, naming who rejected and why, and runs nothing after', async () => {
      const { s } = store();
      const x = exec();
      const e = engine(s, x);
      const runId = await e.start(parseWorkflow(ORDER, 'order.yaml'), { value: 25_000 });
      await expect.poll(() => e.approvals()).toHaveLength(1);
      await e.decide(e.approvals()[0]!.approvalId, { decision: 'reject', by: 'carol', reason: 'too expensive' });
      const done = await e.wait(runId);
      expect(done.finished).toMatchObject({ status: 'failed', reason: expect.stringContaining('rejected by carol: too expensive') });
      expect(x.ran('orders.update')).toEqual([]);
    });

    it('fails at its timeout, or escalates to a person when on_timeout says so', async () => {
      const { s } = store();
      const clock = new ManualClock(0);
      const e = engine(s, exec(), clock);
      const runId = await e.start(parseWorkflow(ORDER, 'order.yaml'), { value: 25_000 });
      await expect.poll(() => e.approvals()).toHaveLength(1);
      const done = await advanceUntilFinished(e, runId, clock, 10 * 60_000);
      expect(done.finished).toMatchObject({ status: 'failed', reason: expect.stringContaining('approval_timeout') });
      expect(e.approvals()).toEqual([]);

      const escalating = ORDER.replace('approval: { timeout: 1h }', 'approval: { timeout: 1h, on_timeout: escalate }');
      const run2 = await e.start(parseWorkflow(escalating, 'order.yaml'), { value: 25_000 });
      await expect.poll(() => e.approvals({ runId: run2 })).toHaveLength(1);
      await clock.advance(3_600_000);
      await expect.poll(() => e.approvals({ runId: run2 }).map((a) => a.kind)).toEqual(['escalation']);
      await e.decide(e.approvals({ runId: run2 })[0]!.approvalId, { decision: 'retry', by: 'carol', reason: 'back from holiday' });
      await expect.poll(() => e.approvals({ runId: run2 }).map((a) => a.kind)).toEqual(['approval']);
      await e.decide(e.approvals({ runId: run2 })[0]!.approvalId, { decision: 'approve', by: 'carol', reason: 'fine' });
      expect((await e.wait(run2)).finished?.status).toBe('completed');
    });

    it('survives a restart while waiting: the new process shows the same approval and the run goes on', async () => {
      const { s, dir } = store();
      const x = exec();
      const before = engine(s, x);
      const runId = await before.start(parseWorkflow(ORDER, 'order.yaml'), { value: 25_000 });
      await expect.poll(() => before.approvals()).toHaveLength(1);
      const approvalId = before.approvals()[0]!.approvalId;
      await before.stop();
      await s.close();
      const reopened = openSqliteStore(join(dir, 'entente.db'), { checkpointMs: 0 });
      stores.push(reopened);
      const y = exec();
      const after = engine(reopened, y);
      expect(await after.resume()).toEqual([runId]);
      await expect.poll(() => after.approvals().map((a) => a.approvalId)).toEqual([approvalId]);
      await after.decide(approvalId, { decision: 'approve', by: 'carol', reason: 'ok' });
      expect((await after.wait(runId)).finished?.status).toBe('completed');
      // The draft ran once, before the restart.
      expect(y.ran('proposal.draft')).toEqual([]);
    });
  });

  it('runs a foreach step over a list, at most `concurrency` at a time, and collects the outputs in order', async () => {
    const { s } = store();
    let inFlight = 0;
    let most = 0;
    const exec = new ScriptedExecutor(() => 'hang');
    const e = engine(s, exec);
    const flow = `
name: each
steps:
  - { id: score, capability: x.score, foreach: { items: 'input.ids', concurrency: 2 }, input: '{"id": item, "pos": index}' }
output: 'steps.score.output.map(o, o.id)'
`;
    const runId = await e.start(parseWorkflow(flow, 'each.yaml'), { ids: ['a', 'b', 'c', 'd', 'e'] });
    for (let answered = 0; answered < 5; answered++) {
      await expect.poll(() => exec.calls.length).toBe(Math.min(answered + 2, 5));
      inFlight = exec.calls.length - answered;
      most = Math.max(most, inFlight);
      const call = exec.calls[answered]!;
      exec.answer(call.taskId, ok(call.input));
    }
    const done = await e.wait(runId);
    expect(most).toBe(2);
    expect(done.finished).toMatchObject({ status: 'completed', output: ['a', 'b', 'c', 'd', 'e'] });
    expect(exec.calls.map((c) => c.taskId)).toEqual([0, 1, 2, 3, 4].map((i) => `${runId}.score.${i}.1`));
    expect(done.steps.get('score[3]')).toMatchObject({ status: 'completed', parent: 'score', item: { value: 'd', index: 3 } });
  });

  describe('plan steps', () => {
    const TRIAGE = `
name: triage
steps:
  - { id: consult, capability: triage.plan, input: 'input.case', plan: { allow: [cardiology.review, imaging.read] } }
  - { id: summary, capability: case.summarise, needs: [consult], input: 'steps.consult.output' }
`;
    it('checks the plan, then runs it as a sub-graph: planned steps see the plan step\'s input and each other', async () => {
      const { s } = store();
      const exec = new ScriptedExecutor((t) => {
        if (t.capability === 'triage.plan') {
          return ok({
            steps: [
              { id: 'imaging', capability: 'imaging.read', input: '{"scan": input.scan}' },
              { id: 'cardio', capability: 'cardiology.review', needs: ['imaging'], input: '{"ecg": input.ecg, "imaging": steps.imaging.output}' },
            ],
          });
        }
        return ok({ from: t.capability, got: t.input });
      });
      const e = engine(s, exec);
      const runId = await e.start(parseWorkflow(TRIAGE, 'triage.yaml'), { case: { scan: 's1', ecg: 'e1' } });
      const done = await e.wait(runId);
      expect(done.finished?.status).toBe('completed');
      expect(exec.calls.map((c) => c.taskId)).toEqual([`${runId}.consult.1`, `${runId}.consult.imaging.1`, `${runId}.consult.cardio.1`, `${runId}.summary.1`]);
      expect(exec.calls[2]!.input).toEqual({ ecg: 'e1', imaging: { from: 'imaging.read', got: { scan: 's1' } } });
      expect(done.steps.get('consult')!.output).toMatchObject({ imaging: { from: 'imaging.read' }, cardio: { from: 'cardiology.review' } });
      expect((await s.readRun(runId)).find((ev) => ev.type === 'plan_accepted')).toMatchObject({ step: 'consult' });
    });

    it('refuses a plan naming a capability outside its allow-list before any of it runs', async () => {
      const { s } = store();
      const exec = new ScriptedExecutor((t) =>
        t.capability === 'triage.plan' ? ok({ steps: [{ id: 'ok', capability: 'imaging.read' }, { id: 'bad', capability: 'payments.refund' }] }) : ok({}),
      );
      const e = engine(s, exec);
      const runId = await e.start(parseWorkflow(TRIAGE, 'triage.yaml'), { case: {} });
      const done = await e.wait(runId);
      expect(done.finished).toMatchObject({ status: 'failed', reason: expect.stringContaining('payments.refund is not on the plan') });
      expect(exec.calls.map((c) => c.capability)).toEqual(['triage.plan']);
      expect((await s.readRun(runId)).map((ev) => ev.type)).not.toContain('plan_accepted');
    });

    it("refuses a plan whose steps' compensations call a capability outside the allow-list", async () => {
      const { s } = store();
      const exec = new ScriptedExecutor((t) =>
        t.capability === 'triage.plan' ? ok({ steps: [{ id: 'ok', capability: 'imaging.read', compensate: { capability: 'payments.refund_all' } }] }) : ok({}),
      );
      const e = engine(s, exec);
      const done = await e.wait(await e.start(parseWorkflow(TRIAGE, 'triage.yaml'), { case: {} }));
      expect(done.steps.get('consult')).toMatchObject({ reason: 'plan_refused', message: expect.stringContaining('compensate.capability: payments.refund_all is not on the plan') });
      expect(exec.calls.map((c) => c.capability)).toEqual(['triage.plan']);
    });

    it("fails a plan step at its deadline, cancelling its planned steps", async () => {
      const { s } = store();
      const clock = new ManualClock(0);
      const exec = new ScriptedExecutor((t) => (t.capability === 'triage.plan' ? ok({ steps: [{ id: 'slow', capability: 'imaging.read' }] }) : 'hang'));
      const e = engine(s, exec, clock);
      const runId = await e.start(parseWorkflow(TRIAGE.replace("plan: { allow:", "deadline: 10s, plan: { allow:"), 'triage.yaml'), { case: {} });
      await expect.poll(() => exec.ran('imaging.read')).toHaveLength(1);
      const done = await advanceUntilFinished(e, runId, clock, 2000);
      expect(done.steps.get('consult')).toMatchObject({ status: 'failed', reason: 'step_deadline' });
      expect(done.steps.get('consult.slow')?.status).toBe('cancelled');
      expect(exec.aborted).toEqual([`${runId}.consult.slow.1`]);
    });

    it('refuses a plan that fails the static checks (a cycle, an unknown need), listing each problem', async () => {
      const { s } = store();
      const exec = new ScriptedExecutor(() =>
        ok({ steps: [{ id: 'a', capability: 'imaging.read', needs: ['b'] }, { id: 'b', capability: 'imaging.read', needs: ['a'] }, { id: 'c', capability: 'imaging.read', needs: ['zz'] }] }),
      );
      const e = engine(s, exec);
      const done = await e.wait(await e.start(parseWorkflow(TRIAGE, 'triage.yaml'), { case: {} }));
      expect(done.steps.get('consult')).toMatchObject({ status: 'failed', reason: 'plan_refused', message: expect.stringMatching(/cycle a -> b -> a|cycle b -> a -> b/) });
      expect(done.steps.get('consult')!.message).toContain('unknown step "zz"');
      expect(exec.calls).toHaveLength(1);
    });
  });

  it('compensates completed steps in reverse order of completion when a later step fails, where each ran', async () => {
    const { s } = store();
    const exec = new ScriptedExecutor((t): Outcome =>
      t.capability === 'orders.update' ? { ok: false, reason: 'agent_failed', message: 'the order system refused', retryable: false } : ok({ ref: t.taskId }),
    );
    const flow = `
name: saga
steps:
  - { id: reserve, capability: stock.reserve, at: supplier, purpose: fulfilment, compensate: { capability: stock.release, input: '{"ref": steps.reserve.output.ref}' } }
  - { id: hold, capability: credit.hold, needs: [reserve], compensate: { capability: credit.release } }
  - { id: update, capability: orders.update, needs: [hold] }
`;
    const e = engine(s, exec);
    const runId = await e.start(parseWorkflow(flow, 'saga.yaml'), {});
    const done = await e.wait(runId);
    expect(done.finished).toMatchObject({ status: 'failed', reason: expect.stringContaining('step update failed') });
    expect(exec.calls.map((c) => [c.capability, c.at])).toEqual([
      ['stock.reserve', 'supplier'],
      ['credit.hold', 'local'],
      ['orders.update', 'local'],
      ['credit.release', 'local'],
      ['stock.release', 'supplier'],
    ]);
    expect(exec.calls[4]).toMatchObject({ taskId: `${runId}.reserve:undo.1`, input: { ref: `${runId}.reserve.1` } });
    expect(done.steps.get('reserve')?.compensation?.status).toBe('completed');
  });

  it('does not undo a step a person completed with skip', async () => {
    const { s } = store();
    const exec = new ScriptedExecutor((t): Outcome =>
      t.capability === 'x.flaky' || t.capability === 'x.last' ? { ok: false, reason: 'agent_failed', message: 'boom', retryable: false } : ok({}),
    );
    const flow = `
name: skipped
steps:
  - { id: flaky, capability: x.flaky, on_failure: escalate, compensate: { capability: x.undo } }
  - { id: last, capability: x.last, needs: [flaky] }
`;
    const e = engine(s, exec);
    const runId = await e.start(parseWorkflow(flow, 's.yaml'), {});
    await expect.poll(() => e.approvals()).toHaveLength(1);
    await e.decide(e.approvals()[0]!.approvalId, { decision: 'skip', by: 'dana', reason: 'done by hand', output: {} });
    expect((await e.wait(runId)).finished?.status).toBe('failed');
    expect(exec.ran('x.undo')).toEqual([]);
  });

  it('cancels a run: aborts what is in flight, compensates what completed, and ends cancelled', async () => {
    const { s } = store();
    const exec = new ScriptedExecutor((t) => (t.capability === 'x.slow' ? 'hang' : ok({ done: true })));
    const flow = `
name: cancel
steps:
  - { id: first, capability: x.fast, compensate: { capability: x.undo } }
  - { id: second, capability: x.slow, at: hospital-b, purpose: p, needs: [first] }
`;
    const e = engine(s, exec);
    const runId = await e.start(parseWorkflow(flow, 'c.yaml'), {});
    await expect.poll(() => exec.ran('x.slow')).toHaveLength(1);
    const state = await e.cancel(runId, 'dana', 'customer withdrew');
    expect(state?.cancel).toMatchObject({ by: 'dana', reason: 'customer withdrew' });
    const done = await e.wait(runId);
    expect(done.finished).toMatchObject({ status: 'cancelled', reason: 'cancelled by dana: customer withdrew' });
    expect(exec.aborted).toEqual([`${runId}.second.1`]);
    expect(done.steps.get('second')?.status).toBe('cancelled');
    expect(exec.ran('x.undo')).toHaveLength(1);
    // Cancelling again changes nothing.
    expect((await e.cancel(runId, 'dana', 'again'))?.finished?.status).toBe('cancelled');
  });

  it('streams a run\'s events as they happen, each with the state after it, and ends at run_finished', async () => {
    const { s } = store();
    const exec = new ScriptedExecutor(() => 'hang');
    const e = engine(s, exec);
    const runId = await e.start(parseWorkflow('name: w\nsteps:\n  - { id: a, capability: x.a }\n  - { id: b, capability: x.b, needs: [a] }\n', 'w.yaml'), {});
    const seen: RunWatchItem[] = [];
    const watching = (async () => {
      const stream = await e.watch(runId, 0, new AbortController().signal);
      for await (const item of stream!) seen.push(item);
    })();
    await expect.poll(() => exec.calls.length).toBe(1);
    exec.answer(exec.calls[0]!.taskId, ok(1));
    await expect.poll(() => exec.calls.length).toBe(2);
    exec.answer(exec.calls[1]!.taskId, ok(2));
    await watching;
    expect(seen.map((i) => [i.seq, i.event.type])).toEqual([
      [0, 'run_started'],
      [1, 'step_started'],
      [2, 'step_completed'],
      [3, 'step_started'],
      [4, 'step_completed'],
      [5, 'run_finished'],
    ]);
    expect(seen[2]!.state.steps.get('a')?.status).toBe('completed');
    expect(seen.at(-1)!.state.finished?.output).toEqual({ a: 1, b: 2 });
    expect(await e.watch('no-such-run', 0, new AbortController().signal)).toBeUndefined();
  });
});
