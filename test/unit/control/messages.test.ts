import { describe, expect, it } from 'vitest';
import { toApproval, toCancel, toDecision, toListRuns, toRun, toRunEvent } from '../../../gateway/src/control/messages.js';
import { foldRun, parseWorkflow, type PendingApproval, type RunEvent, type RunFilter, type RunSummary } from '../../../gateway/src/workflows/index.js';

const FLOW = parseWorkflow(
  `
name: consult
steps:
  - { id: counts, capability: patients.count, at: hospital-b, purpose: research, foreach: { items: 'input.conditions' }, input: '{"condition": item}' }
  - { id: triage, capability: consult.plan, needs: [counts], plan: { allow: [patients.count] } }
  - { id: ok, approval: {}, needs: [triage] }
`,
  'consult.yaml',
).definition;
const T0 = Date.UTC(2026, 10, 23, 14, 0, 0);
const at = (s: number) => T0 + s * 1000;
const planned = { ...FLOW.steps[0]!, id: 'sub', foreach: undefined, needs: [] };

/** A run through every kind of node: two foreach items (one failed, continued past), a plan with one step, an approval, then cancelled. */
const EVENTS: RunEvent[] = [
  { type: 'run_started', at: at(0), definition: FLOW, input: { conditions: ['asthma', 'flu'] } },
  { type: 'foreach_expanded', at: at(1), step: 'counts', items: ['asthma', 'flu'] },
  { type: 'step_started', at: at(1), step: 'counts[0]', attempt: 1, taskId: 'r1.counts.0.1', input: { condition: 'asthma' }, provider: 'hospital-b' },
  { type: 'step_started', at: at(1), step: 'counts[1]', attempt: 1, taskId: 'r1.counts.1.1', input: { condition: 'flu' }, provider: 'hospital-b' },
  { type: 'step_completed', at: at(3), step: 'counts[0]', attempt: 1, output: { count: 12 } },
  { type: 'step_failed', at: at(4), step: 'counts[1]', attempt: 1, reason: 'agent_timeout', message: 'no answer in 5s', retryable: true },
  { type: 'step_late', at: at(5), step: 'counts[1]', attempt: 1, taskId: 'r1.counts.1.1', outcome: 'completed' },
  { type: 'plan_accepted', at: at(6), step: 'triage', steps: [planned] },
  { type: 'step_started', at: at(6), step: 'triage.sub', attempt: 2, taskId: 'r1.triage.sub.2', input: {}, provider: 'local' },
  { type: 'approval_requested', at: at(7), step: 'ok', approvalId: 'ap-1', kind: 'approval', details: { total: 12 }, expiresAt: at(3607) },
  { type: 'compensation_started', at: at(8), step: 'counts[0]', attempt: 1, taskId: 'r1.counts.0:undo.1', input: {}, provider: 'hospital-b' },
  { type: 'run_cancel_requested', at: at(8), by: 'local', reason: 'wrong cohort' },
];

describe('toRun', () => {
  const run = toRun(foldRun('r1', EVENTS));
  const node = (id: string) => run.steps?.find((s) => s.id === id);

  it('lists every node of the run in the order the nodes came to exist, not only the steps of the definition', () => {
    expect(run.steps?.map((s) => [s.id, s.parent, s.status])).toEqual([
      ['counts', '', 'running'],
      ['triage', '', 'running'],
      ['ok', '', 'awaiting_approval'],
      ['counts[0]', 'counts', 'completed'],
      ['counts[1]', 'counts', 'failed'],
      ['triage.sub', 'triage', 'running'],
    ]);
  });

  it("gives a foreach item its position and value, and where, since when and until when it ran", () => {
    expect(node('counts[0]')).toMatchObject({
      item: { index: 0, value_json: '"asthma"' },
      provider: 'hospital-b',
      task_id: 'r1.counts.0.1',
      started_at: '2026-11-23T14:00:01.000Z',
      finished_at: '2026-11-23T14:00:03.000Z',
      output_json: '{"count":12}',
      compensation: { status: 'running', task_id: 'r1.counts.0:undo.1', reason: '' },
    });
    expect(node('counts[1]')).toMatchObject({ item: { index: 1, value_json: '"flu"' }, reason: 'agent_timeout', message: 'no answer in 5s', late: 1, output_json: '' });
  });

  it('leaves the fields a node does not have empty: no item outside a foreach, no end while it runs', () => {
    expect(node('triage.sub')).toMatchObject({ item: null, provider: 'local', attempt: 2, finished_at: '', compensation: null, decided: null });
    expect(node('ok')).toMatchObject({ approval_id: 'ap-1', provider: '', item: null });
  });

  it('carries the run\'s times and the cancel reason once asked, and no output before the run completes', () => {
    expect(run).toMatchObject({ run_id: 'r1', workflow: 'consult', status: 'running', started_at: '2026-11-23T14:00:00.000Z', finished_at: '', cancel_reason: 'wrong cohort', output_json: '', partial: [] });
  });

  it('shows a finished run with its output, its end, and the steps continued past', () => {
    const done = toRun(foldRun('r1', [...EVENTS, { type: 'run_finished', at: at(9), status: 'completed', output: { total: 12 }, partial: ['counts[1]'] }]));
    expect(done).toMatchObject({ status: 'completed', output_json: '{"total":12}', finished_at: '2026-11-23T14:00:09.000Z', partial: ['counts[1]'] });
  });

  it('records who decided a step, and why', () => {
    const decided = toRun(
      foldRun('r1', [...EVENTS, { type: 'approval_decided', at: at(9), step: 'ok', approvalId: 'ap-1', decision: 'approve', by: 'alice', reason: 'checked' }]),
    );
    expect(decided.steps?.find((s) => s.id === 'ok')).toMatchObject({ approval_id: '', decided: { decision: 'approve', by: 'alice', reason: 'checked', decided_at: '2026-11-23T14:00:09.000Z' } });
  });
});

describe('toRunEvent', () => {
  it('sends the event as JSON text with its type and position, and the run after it', () => {
    const state = foldRun('r1', EVENTS.slice(0, 2));
    const message = toRunEvent({ seq: 1, event: EVENTS[1]!, state });
    expect(message).toMatchObject({ seq: 1, type: 'foreach_expanded', run: { run_id: 'r1' } });
    expect(JSON.parse(message.event_json!)).toEqual(EVENTS[1]);
  });
});

describe('toApproval', () => {
  const base: PendingApproval = { approvalId: 'ap-1', kind: 'approval', runId: 'r1', workflow: 'consult', step: 'ok', details: { total: 12 }, requestedAt: at(7), decisions: ['approve', 'reject'] };

  it("maps a run's approval with what to decide on, its times and the decisions it takes", () => {
    expect(toApproval({ ...base, expiresAt: at(3607) })).toEqual({
      approval_id: 'ap-1',
      kind: 'approval',
      run_id: 'r1',
      workflow: 'consult',
      step: 'ok',
      task: null,
      details_json: '{"total":12}',
      requested_at: '2026-11-23T14:00:07.000Z',
      expires_at: '2026-11-23T15:00:07.000Z',
      decisions: ['approve', 'reject'],
      decided: null,
    });
  });

  it("maps a partner's inbound task with its task fields and no run", () => {
    const inbound: PendingApproval = {
      approvalId: 'ap-2',
      kind: 'inbound',
      task: { taskId: 't-9', partner: 'hospital-a', capability: 'patients.count', purpose: 'research' },
      details: null,
      requestedAt: at(0),
      decisions: ['approve', 'reject'],
    };
    expect(toApproval(inbound)).toMatchObject({ kind: 'inbound', run_id: '', step: '', task: { task_id: 't-9', partner: 'hospital-a', capability: 'patients.count', purpose: 'research' }, expires_at: '' });
  });

  it('says who decided, when and why, once decided', () => {
    expect(toApproval({ ...base, decided: { decision: 'reject', by: 'bob', reason: 'too small', at: at(9) } }).decided).toEqual({
      decision: 'reject',
      by: 'bob',
      reason: 'too small',
      decided_at: '2026-11-23T14:00:09.000Z',
    });
  });
});

describe('toDecision', () => {
  const req = { approval_id: 'ap-1', decision: 'approve', reason: 'checked', output_json: '' };

  it("takes who decided from the caller, never from the request", () => {
    expect(toDecision(req, 'alice')).toEqual({ approvalId: 'ap-1', decision: { decision: 'approve', by: 'alice', reason: 'checked' } });
  });

  it('passes the output of a skip, parsed', () => {
    expect(toDecision({ ...req, decision: 'skip', output_json: '{"count":0}' }, 'local').decision).toMatchObject({ decision: 'skip', output: { count: 0 } });
  });

  describe('when the request is not one any approval takes', () => {
    it.each([
      [{ ...req, reason: '  ' }, /^reason is required: say why/],
      [{ ...req, decision: '' }, /^decision is required: approve or reject \(an approval\), retry, skip or fail \(an escalation\)/],
      [{ ...req, decision: 'maybe' }, /^decision "maybe" is not one: approve or reject/],
      [{ ...req, output_json: '{}' }, /^output_json is only for skip .*, not for approve/],
      [{ ...req, decision: 'skip', output_json: '{' }, /^output_json is not valid JSON/],
      [{ ...req, approval_id: '' }, /^approval_id is required/],
    ])('refuses it as INVALID_ARGUMENT, naming the field (%#)', (bad, message) => {
      expect(() => toDecision(bad, 'local')).toThrow(expect.objectContaining({ code: 'CONTROL_INVALID_ARGUMENT', message: expect.stringMatching(message) }));
    });
  });
});

describe('toCancel', () => {
  it('needs a run id and a reason', () => {
    expect(toCancel({ run_id: 'r1', reason: ' wrong cohort ' })).toEqual({ runId: 'r1', reason: 'wrong cohort' });
    expect(() => toCancel({ run_id: 'r1', reason: '' })).toThrow(/^reason is required/);
    expect(() => toCancel({ run_id: '', reason: 'x' })).toThrow(/^run_id is required/);
  });
});

describe('toListRuns', () => {
  const summaries: RunSummary[] = [3, 2, 1].map((n) => ({ runId: `r${n}`, workflow: 'consult', status: 'completed', startedAt: at(n), updatedAt: at(n + 1) }));
  const asked: RunFilter[] = [];
  const list = async (filter: RunFilter) => {
    asked.push(filter);
    return summaries.slice(filter.offset ?? 0, (filter.offset ?? 0) + (filter.limit ?? 100));
  };

  it('pages like ListTasks, passing the status filter on', async () => {
    const first = await toListRuns({ status: 'completed', page_size: 2, page_token: '' }, list);
    expect(first.runs?.map((r) => r.run_id)).toEqual(['r3', 'r2']);
    expect(first.runs?.[0]).toEqual({ run_id: 'r3', workflow: 'consult', status: 'completed', started_at: '2026-11-23T14:00:03.000Z', updated_at: '2026-11-23T14:00:04.000Z' });
    const second = await toListRuns({ status: '', page_size: 2, page_token: first.next_page_token! }, list);
    expect(second).toMatchObject({ runs: [{ run_id: 'r1' }], next_page_token: '' });
    expect(asked).toEqual([{ status: 'completed', offset: 0, limit: 3 }, { offset: 2, limit: 3 }]);
  });

  it('refuses a status that is not one, listing those that are', async () => {
    await expect(toListRuns({ status: 'done', page_size: 0, page_token: '' }, list)).rejects.toMatchObject({
      code: 'CONTROL_INVALID_ARGUMENT',
      message: 'status "done" is not a run status: expected running, completed, failed, cancelled, or empty for every run',
    });
  });
});
