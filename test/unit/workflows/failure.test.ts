import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../gateway/src/lib/index.js';
import { parseWorkflow, type Outcome } from '../../../gateway/src/workflows/index.js';
import { advanceUntilFinished, down, engineHarness, ok, ScriptedExecutor } from './harness.js';

/** Failure handling on the injected clock: retries, fallbacks, circuits, timeouts, deadlines, escalation. */
describe('WorkflowEngine failure handling', () => {
  const { store, engine } = engineHarness();
  const types = async (s: ReturnType<typeof store>['s'], runId: string) => (await s.readRun(runId)).map((e) => e.type);

  it('retries at the same partner with backoff, then falls back to the next partner, and records which one answered', async () => {
    const { s } = store();
    const clock = new ManualClock(0);
    const exec = new ScriptedExecutor((t) => (t.at === 'hospital-b' ? down : ok({ count: 8 })));
    const flow = `
name: fallback
steps:
  - { id: b, capability: patients.count, at: hospital-b, fallback: [hospital-c], purpose: research, retry: { initialInterval: 1s, maximumAttempts: 2 } }
`;
    const e = engine(s, exec, clock);
    const runId = await e.start(parseWorkflow(flow, 'f.yaml'), {});
    await expect.poll(() => exec.calls.length).toBe(1);
    await clock.advance(1000); // the backoff before b's second attempt at hospital-b
    await expect.poll(() => exec.calls.length).toBe(3);
    const done = await e.wait(runId);
    expect(exec.calls.map((c) => [c.taskId, c.at])).toEqual([
      [`${runId}.b.1`, 'hospital-b'],
      [`${runId}.b.2`, 'hospital-b'],
      [`${runId}.b.3`, 'hospital-c'],
    ]);
    expect(done.steps.get('b')).toMatchObject({ status: 'completed', provider: 'hospital-c', attempt: 3, tried: ['hospital-b', 'hospital-c'] });
    expect(done.finished?.status).toBe('completed');
  });

  it('skips a partner whose circuit opened for `at: any`, and tries it again once the circuit has cooled down', async () => {
    const { s } = store();
    const clock = new ManualClock(0);
    let bDown = true;
    const exec = new ScriptedExecutor((t) => (t.at === 'hospital-b' && bDown ? down : ok({ at: t.at })));
    const flow = 'name: any\nsteps:\n  - { id: n, capability: patients.count, at: any, prefer: [hospital-b, hospital-c], purpose: research }\n';
    const e = engine(s, exec, clock, { circuits: { threshold: 2, openMs: 10_000 } });
    const wf = parseWorkflow(flow, 'any.yaml');
    // Two runs find hospital-b down and fall back to hospital-c: its circuit opens.
    for (let i = 0; i < 2; i++) expect((await e.wait(await e.start(wf, {}))).finished?.output).toEqual({ n: { at: 'hospital-c' } });
    expect(exec.calls.map((c) => c.at)).toEqual(['hospital-b', 'hospital-c', 'hospital-b', 'hospital-c']);
    // The third goes straight to hospital-c.
    await e.wait(await e.start(wf, {}));
    expect(exec.calls.slice(4).map((c) => c.at)).toEqual(['hospital-c']);
    // After the cool-down hospital-b (now back) is asked first again.
    bDown = false;
    await clock.advance(10_000);
    expect((await e.wait(await e.start(wf, {}))).finished?.output).toEqual({ n: { at: 'hospital-b' } });
  });

  it('times an attempt out on the clock, retries, and records the late answer of the abandoned attempt without using it', async () => {
    const { s } = store();
    const clock = new ManualClock(0);
    const exec = new ScriptedExecutor((t) => (t.taskId.endsWith('.1') ? 'hang' : ok({ count: 2 })));
    const flow = 'name: slow\nsteps:\n  - { id: b, capability: patients.count, at: hospital-b, purpose: research, timeout: 5s, retry: { initialInterval: 1s, maximumAttempts: 2 } }\n';
    const e = engine(s, exec, clock);
    const runId = await e.start(parseWorkflow(flow, 'slow.yaml'), {});
    await expect.poll(() => exec.calls.length).toBe(1);
    await clock.advance(4999);
    expect(exec.aborted).toEqual([]);
    await clock.advance(1);
    await expect.poll(() => exec.aborted).toEqual([`${runId}.b.1`]);
    await clock.advance(1000);
    const done = await e.wait(runId);
    expect(done.finished).toMatchObject({ status: 'completed', output: { b: { count: 2 } } });
    // The first attempt answers after all: recorded as late, the output stays the second's.
    exec.answer(`${runId}.b.1`, ok({ count: 999 }));
    await expect.poll(async () => (await s.readRun(runId)).find((ev) => ev.type === 'step_late')).toMatchObject({ step: 'b', attempt: 1, taskId: `${runId}.b.1`, outcome: 'completed' });
    const events = await s.readRun(runId);
    expect(events.find((ev) => ev.type === 'step_failed')).toMatchObject({ attempt: 1, reason: 'attempt_timeout', retryable: true });
    expect(events.find((ev) => ev.type === 'run_finished')).toMatchObject({ output: { b: { count: 2 } } });
  });

  it("fails a step at its deadline, all attempts included, and the run at the run's deadline, cancelling what is unfinished", async () => {
    const { s } = store();
    const clock = new ManualClock(0);
    const exec = new ScriptedExecutor(() => down);
    const stepFlow = 'name: d\nsteps:\n  - { id: b, capability: x.y, at: hospital-b, purpose: p, deadline: 3s, retry: { initialInterval: 1s, coefficient: 1, maximumAttempts: 10 } }\n';
    const e = engine(s, exec, clock);
    const runId = await e.start(parseWorkflow(stepFlow, 'd.yaml'), {});
    const done = await advanceUntilFinished(e, runId, clock, 250);
    expect(done.steps.get('b')).toMatchObject({ status: 'failed', reason: 'step_deadline' });
    // Backoffs of 500-1000 ms within a 3 s deadline: several attempts (how many depends on when
    // the stepped clock wakes each retry), never the 10 allowed.
    expect(exec.calls.length).toBeGreaterThanOrEqual(2);
    expect(exec.calls.length).toBeLessThanOrEqual(7);
    expect(done.finished?.at).toBe(done.steps.get('b')!.deadlineAt);

    const hang = new ScriptedExecutor(() => 'hang');
    const e2 = engine(s, hang, clock);
    const run2 = await e2.start(parseWorkflow('name: r\ndeadline: 10s\nsteps:\n  - { id: b, capability: x.y, at: hospital-b, purpose: p }\n', 'r.yaml'), {});
    await expect.poll(() => hang.calls.length).toBe(1);
    const ended = await advanceUntilFinished(e2, run2, clock, 1000);
    expect(ended.finished).toMatchObject({ status: 'failed', reason: expect.stringContaining('run_deadline') });
    expect(ended.steps.get('b')?.status).toBe('cancelled');
    expect(hang.aborted).toEqual([`${run2}.b.1`]);
  });

  it('escalates a step that keeps failing: a person retries it, then skips it with an output, and the run goes on', async () => {
    const { s } = store();
    const exec = new ScriptedExecutor((t) => (t.capability === 'x.flaky' ? down : ok({ got: t.input })));
    const flow = `
name: esc
steps:
  - { id: flaky, capability: x.flaky, at: hospital-b, purpose: p, on_failure: escalate }
  - { id: after, capability: x.after, needs: [flaky], input: '{"v": steps.flaky.output}' }
`;
    const e = engine(s, exec);
    const runId = await e.start(parseWorkflow(flow, 'esc.yaml'), {});
    await expect.poll(() => e.approvals()).toHaveLength(1);
    const [first] = e.approvals();
    expect(first).toMatchObject({ kind: 'escalation', runId, step: 'flaky', decisions: ['retry', 'skip', 'fail'], details: { reason: 'partner_unavailable' } });
    await expect(e.decide(first!.approvalId, { decision: 'approve', by: 'dana', reason: 'ok' })).rejects.toMatchObject({ code: 'APPROVAL_DECISION_INVALID' });
    await e.decide(first!.approvalId, { decision: 'retry', by: 'dana', reason: 'partner says it is back' });
    await expect.poll(() => exec.ran('x.flaky')).toEqual([`${runId}.flaky.1`, `${runId}.flaky.2`]);
    await expect.poll(() => e.approvals()).toHaveLength(1);
    const [second] = e.approvals();
    expect(second!.approvalId).not.toBe(first!.approvalId);
    await expect(e.decide(first!.approvalId, { decision: 'retry', by: 'dana', reason: 'again' })).rejects.toMatchObject({ code: 'APPROVAL_DECIDED' });
    await e.decide(second!.approvalId, { decision: 'skip', by: 'dana', reason: 'use the figure from the phone call', output: { count: 4 } });
    const done = await e.wait(runId);
    expect(done.finished?.status).toBe('completed');
    expect(exec.calls.at(-1)?.input).toEqual({ v: { count: 4 } });
    expect((await s.readRun(runId)).filter((ev) => ev.type === 'approval_decided').map((ev) => [ev.decision, ev.by, ev.reason])).toEqual([
      ['retry', 'dana', 'partner says it is back'],
      ['skip', 'dana', 'use the figure from the phone call'],
    ]);
  });

  it('fails the run when the person escalated to decides fail', async () => {
    const { s } = store();
    const exec = new ScriptedExecutor((): Outcome => ({ ok: false, reason: 'agent_failed', message: 'boom', retryable: true }));
    const e = engine(s, exec);
    const runId = await e.start(parseWorkflow('name: f\nsteps:\n  - { id: a, capability: x.a, on_failure: escalate }\n', 'f.yaml'), {});
    await expect.poll(() => e.approvals()).toHaveLength(1);
    await e.decide(e.approvals()[0]!.approvalId, { decision: 'fail', by: 'dana', reason: 'not worth it' });
    expect((await e.wait(runId)).finished).toMatchObject({ status: 'failed', reason: expect.stringContaining('failed by dana: not worth it') });
    expect(await types(s, runId)).toEqual(['run_started', 'step_started', 'step_failed', 'approval_requested', 'approval_decided', 'step_failed', 'run_finished']);
  });

  it('escalates a step that ran out of time when it says so; a retry gets a fresh deadline', async () => {
    const { s } = store();
    const clock = new ManualClock(0);
    let slow = true;
    const exec = new ScriptedExecutor(() => (slow ? 'hang' : ok({ done: true })));
    const e = engine(s, exec, clock);
    const runId = await e.start(parseWorkflow('name: t\nsteps:\n  - { id: a, capability: x.a, at: hospital-b, purpose: p, deadline: 5s, on_failure: escalate }\n', 't.yaml'), {});
    await expect.poll(() => exec.calls.length).toBe(1);
    await clock.advance(5000);
    await expect.poll(() => e.approvals().map((a) => [a.kind, (a.details as { reason: string }).reason])).toEqual([['escalation', 'step_deadline']]);
    expect(exec.aborted).toEqual([`${runId}.a.1`]);
    slow = false;
    await clock.advance(60_000); // the person takes a minute: the retry's deadline counts from its own start
    await e.decide(e.approvals()[0]!.approvalId, { decision: 'retry', by: 'dana', reason: 'the partner is back' });
    const done = await e.wait(runId);
    expect(done.finished?.status).toBe('completed');
    expect(done.steps.get('a')).toMatchObject({ status: 'completed', attempt: 2, deadlineAt: 70_000 });
  });

  it('backs off when the store refuses a write, instead of asking again at once, and goes on when it accepts again', async () => {
    const { s } = store();
    const clock = new ManualClock(0);
    let refuse = 1;
    const flaky = Object.create(s) as typeof s;
    flaky.appendRunEvents = (runId, from, events) =>
      events.some((ev) => ev.type === 'step_completed') && refuse-- > 0 ? Promise.reject(new Error('disk full')) : s.appendRunEvents(runId, from, events);
    const exec = new ScriptedExecutor(() => ok({ done: true }));
    const e = engine(flaky, exec, clock);
    const runId = await e.start(parseWorkflow('name: w\nsteps:\n  - { id: a, capability: x.a }\n', 'w.yaml'), {});
    await expect.poll(() => exec.calls.length).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    // The answer could not be recorded: nothing is asked again before the backoff.
    expect(exec.calls).toHaveLength(1);
    const done = await advanceUntilFinished(e, runId, clock, 250);
    expect(done.finished?.status).toBe('completed');
    expect(exec.ran('x.a')).toEqual([`${runId}.a.1`, `${runId}.a.1`]);
  });
});
