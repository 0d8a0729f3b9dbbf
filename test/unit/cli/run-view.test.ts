import type { RunView, StepView } from '@entente/sdk';
import { describe, expect, it } from 'vitest';
import { changes, formatDuration, outcomeLines, redraw, renderRun, report } from '../../../gateway/src/cli/run-view.js';

// Local times, so that the HH:MM:SS the CLI prints is the same in any time zone.
const T0 = new Date(2026, 10, 23, 14, 3, 0).getTime();
const at = (s: number) => new Date(T0 + s * 1000);
const step = (id: string, more: Partial<StepView> = {}): StepView => ({ id, status: 'pending', attempt: 0, late: 0, tried: [], ...more });
const view = (steps: StepView[], more: Partial<RunView> = {}): RunView => ({ runId: 'r1', workflow: 'consult', status: 'running', steps, partial: [], ...more });

/** A foreach step with two items (listed after the definition's steps, as the gateway sends them) and an approval step. */
const RUNNING = view([
  step('counts', { status: 'running', startedAt: at(0) }),
  step('ok', { status: 'awaiting_approval', approvalId: 'ap-1', startedAt: at(5) }),
  step('counts[0]', { parent: 'counts', status: 'completed', attempt: 1, provider: 'hospital-b', taskId: 'r1.counts.0.1', startedAt: at(0), finishedAt: at(2.5) }),
  step('counts[1]', { parent: 'counts', status: 'running', attempt: 2, provider: 'hospital-c', taskId: 'r1.counts.1.2', startedAt: at(1), late: 1 }),
]);

describe('renderRun', () => {
  it('shows each node under its parent with its state, attempt, provider and running time', () => {
    expect(renderRun(RUNNING, at(75).getTime())).toEqual([
      'run r1 of consult: running',
      'STEP         STATE              ATTEMPT  AT          TIME   NOTE',
      'counts       running            0        -           1m15s',
      '  counts[0]  completed          1        hospital-b  2.5s',
      '  counts[1]  running            2        hospital-c  1m14s  1 late',
      'ok           awaiting_approval  0        -           1m10s  approval ap-1',
    ]);
  });

  it('adds task ids when asked, and shows why a node failed and what undoing it came to', () => {
    const failed = view(
      [
        step('b', { status: 'failed', attempt: 3, provider: 'hospital-b', taskId: 'r1.b.3', reason: 'partner_unavailable', startedAt: at(0), finishedAt: at(1) }),
        step('c', { status: 'completed', attempt: 1, provider: 'local', taskId: 'r1.c.1', compensation: { status: 'failed', reason: 'agent_failed: boom' } }),
      ],
      { status: 'failed', reason: 'step b failed' },
    );
    expect(renderRun(failed, at(9).getTime(), { taskIds: true })).toEqual([
      'run r1 of consult: failed (step b failed)',
      'STEP  STATE                ATTEMPT  AT          TIME  TASK    NOTE',
      'b     failed               3        hospital-b  1.0s  r1.b.3  partner_unavailable',
      'c     compensation_failed  1        local             r1.c.1  agent_failed: boom',
    ]);
  });

  it('says who decided a step', () => {
    const decided = view([step('ok', { status: 'completed', decided: { decision: 'approve', by: 'alice', reason: 'checked' } })]);
    expect(renderRun(decided, T0).at(-1)).toMatch(/ approve by alice$/);
  });
});

describe('outcomeLines and report', () => {
  it('give the output, the steps continued past and the cancel reason below the steps', () => {
    const done = view([step('b', { status: 'failed' })], { status: 'completed', output: { total: 12 }, partial: ['b'], cancelReason: 'wrong cohort' });
    expect(outcomeLines(done)).toEqual(['output: {"total":12}', 'partial: b failed and the run went on past them', 'cancel requested: wrong cohort']);
    expect(report(done, T0).slice(-3)).toEqual(outcomeLines(done));
    expect(outcomeLines(view([]))).toEqual([]);
  });
});

describe('changes', () => {
  it('prints the nodes that started, as HH:MM:SS step state attempt org, and not those still pending', () => {
    const first = view([step('counts', { status: 'running' }), step('ok')]);
    expect(changes(undefined, first, at(7))).toEqual(['14:03:07 counts running 0 -']);
  });

  it('prints one line per node whose state, attempt or provider changed, with a note', () => {
    const before = view([step('b', { status: 'running', attempt: 1, provider: 'hospital-b' }), step('c', { status: 'running', attempt: 1, provider: 'local' }), step('ok')]);
    const after = view([
      step('b', { status: 'running', attempt: 1, provider: 'hospital-c' }),
      step('c', { status: 'running', attempt: 1, provider: 'local' }),
      step('ok', { status: 'awaiting_approval', approvalId: 'ap-1' }),
      step('b[0]', { parent: 'b', status: 'failed', attempt: 1, provider: 'hospital-b', reason: 'agent_timeout' }),
    ]);
    expect(changes(before, after, at(61))).toEqual([
      '14:04:01 b running 1 hospital-c',
      '14:04:01 ok awaiting_approval 0 - (approval ap-1)',
      '14:04:01 b[0] failed 1 hospital-b (agent_timeout)',
    ]);
  });

  it('prints a compensation and a cancel request as news', () => {
    const before = view([step('b', { status: 'completed', attempt: 1, provider: 'local' })]);
    const after = view([step('b', { status: 'completed', attempt: 1, provider: 'local', compensation: { status: 'running' } })], { cancelReason: 'wrong cohort' });
    expect(changes(before, after, at(0))).toEqual(['14:03:00 b compensating 1 local', '14:03:00 run cancel requested (wrong cohort)']);
    expect(changes(after, after, at(1))).toEqual([]);
  });
});

describe('redraw', () => {
  it('moves up over the lines drawn before, rewrites each cleared, and clears what is left below', () => {
    expect(redraw(['a', 'b'], 3, 80)).toBe('\x1b[3A\r\x1b[2Ka\n\r\x1b[2Kb\n\x1b[J');
  });

  it('does not move up the first time, and cuts lines to the width so that none wraps', () => {
    expect(redraw(['abcdef'], 0, 4)).toBe('\r\x1b[2Kabcd\n\x1b[J');
  });
});

describe('formatDuration', () => {
  it.each([
    [850, '850ms'],
    [12_340, '12.3s'],
    [184_000, '3m04s'],
    [3_720_000, '1h02m'],
    [-5, '0ms'],
  ])('%i ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
