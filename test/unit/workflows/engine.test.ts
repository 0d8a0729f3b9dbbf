import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../gateway/src/lib/index.js';
import { openSqliteStore } from '../../../gateway/src/store/index.js';
import { backoff, parseWorkflow, type Outcome } from '../../../gateway/src/workflows/index.js';
import { engineHarness, ScriptedExecutor } from './harness.js';

const FLOW = `
name: counts
steps:
  - { id: b, capability: patients.count, at: hospital-b, purpose: research, input: 'input.cohort' }
  - { id: c, capability: patients.count, at: hospital-c, purpose: research, input: 'input.cohort' }
  - { id: total, capability: counts.sum, needs: [b, c], input: '{"counts": [steps.b.output.count, steps.c.output.count]}' }
output: 'steps.total.output'
`;

describe('WorkflowEngine', () => {
  const { store, stores, engine } = engineHarness();
  const sum = (input: unknown): Outcome => ({ ok: true, output: { total: (input as { counts: number[] }).counts.reduce((a, b) => a + b, 0) } });

  it('runs steps in parallel and in sequence by needs, mapping each input in CEL, and records the output', async () => {
    const { s } = store();
    const exec = new ScriptedExecutor((t) => (t.capability === 'counts.sum' ? sum(t.input) : { ok: true, output: { count: t.taskId.includes('.b.') ? 12 : 7 } }));
    const e = engine(s, exec);
    const runId = await e.start(parseWorkflow(FLOW, 'counts.yaml'), { cohort: { condition: 'asthma' } });
    const done = await e.wait(runId);
    expect(done.finished).toMatchObject({ status: 'completed', output: { total: 19 } });
    expect(exec.calls.map((c) => c.taskId)).toEqual([`${runId}.b.1`, `${runId}.c.1`, `${runId}.total.1`]);
    expect(exec.calls[0]).toMatchObject({ at: 'hospital-b', input: { condition: 'asthma' } });
    expect(exec.calls[2]!.input).toEqual({ counts: [12, 7] });
    expect((await s.readRun(runId)).map((ev) => ev.type)).toEqual([
      'run_started', 'step_started', 'step_started', 'step_completed', 'step_completed', 'step_started', 'step_completed', 'run_finished',
    ]);
    expect(await s.unfinishedRuns()).toEqual([]);
  });

  it('retries a retryable failure after an exponential, jittered backoff on the clock, and only then', async () => {
    const { s } = store();
    const clock = new ManualClock(0);
    let failures = 2;
    const exec = new ScriptedExecutor((t) =>
      t.capability === 'patients.count' && t.taskId.includes('.b.') && failures-- > 0
        ? { ok: false, reason: 'partner_unavailable', message: 'the partner could not be reached', retryable: true }
        : t.capability === 'counts.sum'
          ? sum(t.input)
          : { ok: true, output: { count: 1 } },
    );
    const wf = parseWorkflow(FLOW.replace("input: 'input.cohort' }\n  - { id: c", "input: 'input.cohort', retry: { initialInterval: 1s, coefficient: 3, maximumAttempts: 3 } }\n  - { id: c"), 'f.yaml');
    const e = engine(s, exec, clock);
    const runId = await e.start(wf, { cohort: {} });
    await expect.poll(() => exec.ran('patients.count').length).toBe(2); // b.1 failed, c.1 done
    const first = backoff({ initialInterval: 1000, coefficient: 3, maximumInterval: 60_000 }, 1, `${runId}.b.1`);
    expect(first).toBeGreaterThanOrEqual(500);
    expect(first).toBeLessThanOrEqual(1000);
    await clock.advance(first - 1);
    expect(exec.ran('patients.count')).not.toContain(`${runId}.b.2`);
    await clock.advance(1);
    await expect.poll(() => exec.ran('patients.count')).toContain(`${runId}.b.2`);
    // The second backoff is three times the first interval (before jitter).
    const second = backoff({ initialInterval: 1000, coefficient: 3, maximumInterval: 60_000 }, 2, `${runId}.b.2`);
    expect(second).toBeGreaterThanOrEqual(1500);
    await clock.advance(second);
    expect((await e.wait(runId)).finished?.status).toBe('completed');
    expect(exec.ran('patients.count').filter((id) => id.includes('.b.'))).toEqual([`${runId}.b.1`, `${runId}.b.2`, `${runId}.b.3`]);
  });

  it('does not retry what a retry cannot fix, fails the run, and starts nothing after', async () => {
    const { s } = store();
    const exec = new ScriptedExecutor((t) =>
      t.taskId.includes('.b.') ? { ok: false, reason: 'inbound_denied', message: "the partner's inbound policy did not allow this request", retryable: false } : { ok: true, output: { count: 1 } },
    );
    const e = engine(s, exec);
    const runId = await e.start(parseWorkflow(FLOW.replace("input: 'input.cohort' }\n  - { id: c", "input: 'input.cohort', retry: { maximumAttempts: 5 } }\n  - { id: c"), 'f.yaml'), { cohort: {} });
    const done = await e.wait(runId);
    expect(done.finished).toMatchObject({ status: 'failed', reason: expect.stringContaining('step b failed: inbound_denied') });
    expect(exec.ran('patients.count').filter((id) => id.includes('.b.'))).toHaveLength(1);
    expect(exec.ran('counts.sum')).toEqual([]);
  });

  it('continues past a failed step marked on_failure: continue (partial results), and skips a step whose when is false', async () => {
    const { s } = store();
    const exec = new ScriptedExecutor((t) =>
      t.capability === 'counts.sum' ? sum(t.input) : t.taskId.includes('.b.') ? { ok: false, reason: 'partner_unavailable', message: 'down', retryable: true } : { ok: true, output: { count: 7 } },
    );
    const flow = `
name: partial
steps:
  - { id: b, capability: patients.count, at: hospital-b, purpose: research, on_failure: continue }
  - { id: c, capability: patients.count, at: hospital-c, purpose: research }
  - { id: audit, capability: audit.note, needs: [b], when: 'steps.b.status == "completed"' }
  - id: total
    capability: counts.sum
    needs: [b, c]
    input: '{"counts": [steps.b.status == "completed" ? steps.b.output.count : 0, steps.c.output.count]}'
`;
    const e = engine(s, exec);
    const runId = await e.start(parseWorkflow(flow, 'partial.yaml'), {});
    const done = await e.wait(runId);
    expect(done.finished).toMatchObject({ status: 'completed', partial: ['b'] });
    expect(done.steps.get('b')).toMatchObject({ status: 'failed', reason: 'partner_unavailable' });
    expect(done.steps.get('audit')).toMatchObject({ status: 'skipped' });
    expect(done.steps.get('total')).toMatchObject({ status: 'completed', output: { total: 7 } });
    expect(exec.ran('audit.note')).toEqual([]);
  });

  it('resumes a run after a crash: finished steps do not run again, an in-flight step is asked again under the same task id', async () => {
    const { s, dir } = store();
    const first = new ScriptedExecutor((t) => (t.taskId.includes('.c.') ? 'hang' : { ok: true, output: { count: 5 } }));
    const before = engine(s, first);
    const runId = await before.start(parseWorkflow(FLOW, 'counts.yaml'), { cohort: {} });
    await expect.poll(() => first.calls.length).toBe(2);
    // The gateway dies here: b is done, c's task was sent and never answered. A new process
    // opens the same store.
    await s.close();
    const reopened = openSqliteStore(join(dir, 'entente.db'), { checkpointMs: 0 });
    stores.push(reopened);
    const second = new ScriptedExecutor((t) => (t.capability === 'counts.sum' ? sum(t.input) : { ok: true, output: { count: 9 } }));
    const after = engine(reopened, second);
    expect(await after.resume()).toEqual([runId]);
    const done = await after.wait(runId);
    expect(done.finished).toMatchObject({ status: 'completed', output: { total: 14 } });
    expect(second.calls.map((c) => c.taskId)).toEqual([`${runId}.c.1`, `${runId}.total.1`]);
  });

  it('stops driving at shutdown without failing the run, which resumes at the next start', async () => {
    const { s } = store();
    const exec = new ScriptedExecutor((t) => (t.taskId.includes('.c.') ? 'hang' : t.capability === 'counts.sum' ? sum(t.input) : { ok: true, output: { count: 2 } }));
    const e = engine(s, exec);
    const runId = await e.start(parseWorkflow(FLOW, 'counts.yaml'), { cohort: {} });
    await expect.poll(() => exec.calls.length).toBe(2);
    await e.stop();
    await expect(e.wait(runId)).rejects.toMatchObject({ code: 'RUN_PAUSED' });
    expect(await s.unfinishedRuns()).toEqual([runId]);
    expect((await s.readRun(runId)).map((ev) => ev.type)).not.toContain('run_finished');
  });

  it('refuses, before anything is written, a run input nested deeper or larger than the limits', async () => {
    const { s } = store();
    const exec = new ScriptedExecutor(() => ({ ok: true, output: {} }));
    const e = engine(s, exec, new ManualClock(), { inputLimits: { maxBytes: 1000, maxDepth: 8 } });
    let deep: unknown = 1;
    for (let i = 0; i < 20; i++) deep = { d: deep };
    const wf = parseWorkflow('name: w\nsteps:\n  - { id: a, capability: x.a }\n', 'w.yaml');
    await expect(e.start(wf, deep)).rejects.toMatchObject({ code: 'WORKFLOW_INVALID', message: expect.stringContaining('input: nests deeper than 8 levels (limits.maxJsonDepth)') });
    await expect(e.start(wf, { text: 'x'.repeat(2000) })).rejects.toMatchObject({ message: expect.stringContaining('the limit is 1000 bytes (limits.maxPayloadBytes)') });
    expect(await s.listRuns()).toEqual([]);
    expect(exec.calls).toEqual([]);
  });
});
