import type { RunView, StepView } from '@entente/sdk';
import { table } from './output.js';

/**
 * How `entente run --watch`, `run --wait` and `runs show` print a run. Pure: a view in, lines
 * out, so that what a person sees is what the tests check.
 */

const COMPENSATION: Readonly<Record<string, string>> = { running: 'compensating', completed: 'compensated', failed: 'compensation_failed' };

/** A node's state as one word: its status, or where undoing it stands once that has begun. */
function stateOf(s: StepView): string {
  return s.compensation === undefined ? s.status : (COMPENSATION[s.compensation.status] ?? `compensation_${s.compensation.status}`);
}

/** What a person should know besides the state: the approval it waits on, why it failed, late answers. */
function noteOf(s: StepView): string {
  const notes = [
    s.approvalId !== undefined ? `approval ${s.approvalId}` : undefined,
    s.compensation?.reason ?? s.reason,
    s.decided !== undefined ? `${s.decided.decision} by ${s.decided.by}` : undefined,
    s.late > 0 ? `${s.late} late` : undefined,
  ];
  return notes.filter((n) => n !== undefined && n !== '').join('; ');
}

/** 850ms, 12.3s, 3m04s, 1h02m. */
export function formatDuration(ms: number): string {
  const t = Math.max(0, Math.round(ms));
  if (t < 1000) return `${t}ms`;
  if (t < 60_000) return `${(t / 1000).toFixed(1)}s`;
  const s = Math.floor(t / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return s < 3600 ? `${Math.floor(s / 60)}m${two(s % 60)}s` : `${Math.floor(s / 3600)}h${two(Math.floor(s / 60) % 60)}m`;
}

/** How long a node has run: to its end, or to `now` while it goes on; empty before it starts. */
function durationOf(s: StepView, now: number): string {
  if (s.startedAt === undefined) return '';
  return formatDuration((s.finishedAt?.getTime() ?? now) - s.startedAt.getTime());
}

/** The nodes with each foreach item and planned step right under its parent, and how deep it is. */
function inTreeOrder(steps: readonly StepView[]): { readonly step: StepView; readonly depth: number }[] {
  const ids = new Set(steps.map((s) => s.id));
  const children = new Map<string, StepView[]>();
  for (const s of steps) if (s.parent !== undefined && ids.has(s.parent)) children.set(s.parent, [...(children.get(s.parent) ?? []), s]);
  const out: { step: StepView; depth: number }[] = [];
  const visit = (step: StepView, depth: number): void => {
    out.push({ step, depth });
    for (const c of children.get(step.id) ?? []) visit(c, depth + 1);
  };
  for (const s of steps) if (s.parent === undefined || !ids.has(s.parent)) visit(s, 0);
  return out;
}

/**
 * The run as lines: a header with its status, then a row per node (STEP, STATE, ATTEMPT, AT,
 * TIME, NOTE), foreach items and planned steps indented under their parent. `taskIds` adds
 * each node's task id, for `entente receipts show`.
 */
export function renderRun(run: RunView, now: number, opts: { readonly taskIds?: boolean } = {}): string[] {
  const header = `run ${run.runId} of ${run.workflow}: ${run.status}${run.reason !== undefined ? ` (${run.reason})` : ''}`;
  const rows = inTreeOrder(run.steps).map(({ step: s, depth }) => [
    '  '.repeat(depth) + s.id,
    stateOf(s),
    String(s.attempt),
    s.provider ?? '-',
    durationOf(s, now),
    ...(opts.taskIds === true ? [s.taskId ?? ''] : []),
    noteOf(s),
  ]);
  const head = ['STEP', 'STATE', 'ATTEMPT', 'AT', 'TIME', ...(opts.taskIds === true ? ['TASK'] : []), 'NOTE'];
  return [header, ...table([head, ...rows]).trimEnd().split('\n').map((l) => l.trimEnd())];
}

/** What a finished run leaves to say below its steps: its output, what is partial, why it was cancelled. */
export function outcomeLines(run: RunView): string[] {
  return [
    ...(run.output !== undefined ? [`output: ${JSON.stringify(run.output)}`] : []),
    ...(run.partial.length > 0 ? [`partial: ${run.partial.join(', ')} failed and the run went on past them`] : []),
    ...(run.cancelReason !== undefined ? [`cancel requested: ${run.cancelReason}`] : []),
  ];
}

/** A run as --wait and `entente runs show` print it: its steps with their task ids, then its outcome. */
export function report(run: RunView, now: number): string[] {
  return [...renderRun(run, now, { taskIds: true }), ...outcomeLines(run)];
}

/** HH:MM:SS in local time. */
function clock(at: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`;
}

/**
 * What changed from one view of a run to the next, one plain line per node whose state,
 * attempt or provider changed (`HH:MM:SS step state attempt org`, then a note in parentheses),
 * for a log or a pipe. A node still pending is not news; a cancel request is.
 */
export function changes(before: RunView | undefined, after: RunView, at: Date): string[] {
  const was = new Map(before?.steps.map((s) => [s.id, s]) ?? []);
  const time = clock(at);
  const lines = after.steps
    .filter((s) => {
      const b = was.get(s.id);
      return b === undefined ? s.status !== 'pending' : stateOf(b) !== stateOf(s) || b.attempt !== s.attempt || b.provider !== s.provider;
    })
    .map((s) => {
      const note = noteOf(s);
      return `${time} ${s.id} ${stateOf(s)} ${s.attempt} ${s.provider ?? '-'}${note !== '' ? ` (${note})` : ''}`;
    });
  if (before?.cancelReason === undefined && after.cancelReason !== undefined) lines.push(`${time} run cancel requested (${after.cancelReason})`);
  return lines;
}

/**
 * Redraws a live view in place: the cursor goes up over the `previous` lines drawn before,
 * each line is cleared and rewritten, and what is left of the old view below is cleared.
 * Lines are cut to the terminal's width: a line that wrapped would throw the count off.
 */
export function redraw(lines: readonly string[], previous: number, width: number): string {
  const up = previous > 0 ? `\x1b[${previous}A` : '';
  return `${up}${lines.map((l) => `\r\x1b[2K${l.slice(0, Math.max(1, width))}\n`).join('')}\x1b[J`;
}
