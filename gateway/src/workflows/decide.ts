import { createHash } from 'node:crypto';
import type { StepDefinition } from './definition.js';
import type { CompiledExpr } from './expr.js';
import type { PlanCheck } from './plan.js';
import type { RunEvent } from './ports.js';
import { settled, type RunFold, type StepState } from './state.js';

/** What decisions need besides the run's state: the time, compiled expressions, who offers what. */
export interface DecideEnv {
  readonly now: number;
  expr(text: string): CompiledExpr;
  /** Partners offering a capability, in preference order (for `at: any` without `prefer`). */
  providers(capability: string): readonly string[];
  circuitOpen(partner: string): boolean;
  checkPlan(parent: StepDefinition, proposed: unknown): PlanCheck;
}

export type Outcome = { readonly ok: true; readonly output: unknown } | { readonly ok: false; readonly reason: string; readonly message: string; readonly retryable: boolean };

/** Without a retry block, a step makes one attempt per provider. */
const DEFAULT_RETRY = { initialInterval: 1000, coefficient: 2, maximumInterval: 60_000, maximumAttempts: 1 };
/** Undoing is worth more tries than doing: at least this many attempts per compensation. */
const MIN_COMPENSATION_ATTEMPTS = 3;

const UNFINISHED = new Set(['running', 'waiting', 'awaiting_approval']);

/** Exponential backoff with jitter in [50%, 100%] of the interval, derived from the task id (reproducible on replay). */
export function backoff(retry: { initialInterval: number; coefficient: number; maximumInterval: number }, attempt: number, taskId: string): number {
  const interval = Math.min(retry.initialInterval * retry.coefficient ** (attempt - 1), retry.maximumInterval);
  const jitter = createHash('sha256').update(taskId).digest().readUInt16BE(0) / 0xffff;
  return Math.round(interval * (0.5 + jitter / 2));
}

/**
 * A node's task id for an attempt: `<run>.<step>.<attempt>`, a foreach item as
 * `<run>.<step>.<index>.<attempt>`, a planned step as `<run>.<plan>.<step>.<attempt>`, a
 * compensation as `<run>.<step>:undo.<attempt>`. Deterministic, so a step asked again after a
 * crash re-attaches to the partner's task instead of starting another; hashed when too long.
 */
export function taskIdOf(runId: string, node: string, attempt: number, undo = false): string {
  const id = `${runId}.${node.replace(/\[(\d+)\]/g, '.$1')}${undo ? ':undo' : ''}.${attempt}`;
  if (id.length <= 128) return id;
  return `${runId.slice(0, 40)}.h${createHash('sha256').update(id).digest('base64url').slice(0, 43)}.${attempt}`;
}

/**
 * The next events of a run, decided from its state and the time: what starts, what timed out,
 * what is finished; empty when the run can only wait (for an answer, a timer or a person).
 * Pure: the engine appends what this returns and carries out what the new state asks for.
 */
export function decide(fold: RunFold, env: DecideEnv): RunEvent[] {
  if (fold.finished !== undefined) return [];
  const ending = endingOf(fold, env.now);
  if (ending !== undefined) return wind(fold, env, ending);
  // Starts are gathered across nodes into one append (a foreach of a thousand items is not a
  // thousand commits); any other transition goes alone, since it may change what the next node
  // sees (a failure ends the run, a completion readies what needs it).
  const starts: RunEvent[] = [];
  const starting = new Map<string, number>();
  for (const n of fold.nodes.values()) {
    const more = advance(fold, n, env, starting);
    if (more.length === 0) continue;
    if (more.every((e) => e.type === 'step_started' || e.type === 'approval_requested')) {
      starts.push(...more);
      if (n.parent !== undefined) starting.set(n.parent, (starting.get(n.parent) ?? 0) + 1);
      continue;
    }
    return starts.length > 0 ? starts : more;
  }
  if (starts.length > 0) return starts;
  const top = [...fold.nodes.values()].filter((n) => n.parent === undefined);
  if (top.every(settled)) {
    const partial = [...fold.nodes.values()].filter((n) => n.status === 'failed').map((n) => n.id);
    let output: unknown;
    try {
      const bindings = bindingsOf(fold);
      output = fold.definition.output === undefined ? Object.fromEntries(Object.entries(bindings.steps).map(([id, st]) => [id, st.output])) : env.expr(fold.definition.output).evaluate(bindings);
    } catch (err) {
      return [{ type: 'run_finished', at: env.now, status: 'failed', reason: `output: ${(err as Error).message}` }];
    }
    return [{ type: 'run_finished', at: env.now, status: 'completed', output, ...(partial.length > 0 ? { partial } : {}) }];
  }
  return [];
}

/** Carries an attempt's outcome into events: completion (or an accepted plan), or failure and what follows it. */
export function onOutcome(fold: RunFold, nodeId: string, attempt: number, taskId: string, outcome: Outcome, env: DecideEnv): RunEvent[] {
  const n = fold.nodes.get(nodeId);
  const current = n !== undefined && (n.status === 'running' || (n.status === 'awaiting_approval' && n.held === true)) && n.attempt === attempt && n.taskId === taskId;
  if (n === undefined || !current || fold.finished !== undefined) {
    return [{ type: 'step_late', at: env.now, step: nodeId, attempt, taskId, outcome: outcome.ok ? 'completed' : outcome.reason }];
  }
  if (!outcome.ok) return failure(fold, n, env, outcome.reason, outcome.message, outcome.retryable);
  if (n.def.plan !== undefined && n.children === undefined) {
    const plan = env.checkPlan(n.def, outcome.output);
    if (!plan.ok) return fail(n, env, 'plan_refused', `the plan was refused, nothing of it ran: ${plan.problems.join('; ')}`);
    const accepted: RunEvent = { type: 'plan_accepted', at: env.now, step: n.id, steps: plan.steps };
    return plan.steps.length === 0 ? [accepted, { type: 'step_completed', at: env.now, step: n.id, attempt, output: {} }] : [accepted];
  }
  return [{ type: 'step_completed', at: env.now, step: n.id, attempt, output: outcome.output }];
}

/** A compensation attempt's outcome: done, another attempt after a backoff, or given up. */
export function onCompensation(fold: RunFold, nodeId: string, taskId: string, outcome: Outcome, env: DecideEnv): RunEvent[] {
  const n = fold.nodes.get(nodeId);
  const c = n?.compensation;
  if (n === undefined || c?.status !== 'running' || c.taskId !== taskId) {
    return [{ type: 'step_late', at: env.now, step: nodeId, attempt: c?.attempt ?? 0, taskId, outcome: outcome.ok ? 'completed' : outcome.reason }];
  }
  if (outcome.ok) return [{ type: 'compensation_completed', at: env.now, step: nodeId }];
  return [compensationFailed(n, env, outcome.reason, outcome.message, outcome.retryable)];
}

/** A failed compensation attempt: another after a backoff while attempts remain and a retry can help, else given up. */
function compensationFailed(n: StepState, env: DecideEnv, reason: string, message: string, retryable: boolean): RunEvent {
  const c = n.compensation!;
  const retry = retryOf(n.def);
  const again = retryable && c.attempt < Math.max(retry.maximumAttempts, MIN_COMPENSATION_ATTEMPTS);
  return { type: 'compensation_failed', at: env.now, step: n.id, reason, message, ...(again ? { retryAt: env.now + backoff(retry, c.attempt, c.taskId ?? n.id) } : {}) };
}

type Ending = { readonly status: 'failed' | 'cancelled'; readonly reason: string };

/** Why the run must stop now, if it must: a step that failed it, a cancellation, its deadline. */
function endingOf(fold: RunFold, now: number): Ending | undefined {
  const failed = [...fold.nodes.values()].find((n) => n.parent === undefined && n.status === 'failed' && !settled(n));
  if (failed !== undefined) return { status: 'failed', reason: `step ${failed.id} failed: ${failed.reason}: ${failed.message}` };
  if (fold.cancel !== undefined) return { status: 'cancelled', reason: `cancelled by ${fold.cancel.by}: ${fold.cancel.reason}` };
  if (fold.deadlineAt !== undefined && now >= fold.deadlineAt) return { status: 'failed', reason: 'run_deadline: the run did not finish before its deadline' };
  return undefined;
}

/**
 * Ends a run that failed or was cancelled: unfinished steps are cancelled (their attempts
 * aborted, at partners too), then completed steps with `compensate` are undone one at a time
 * in reverse order of completion, then the run finishes, saying which compensations failed.
 */
function wind(fold: RunFold, env: DecideEnv, ending: Ending): RunEvent[] {
  const why = ending.status === 'cancelled' ? 'the run was cancelled' : `the run is failing (${ending.reason})`;
  const stop = [...fold.nodes.values()].filter((n) => UNFINISHED.has(n.status));
  if (stop.length > 0) return stop.map((n) => ({ type: 'step_cancelled', at: env.now, step: n.id, why }));
  // A step a person skipped (with an output of their own) did nothing to undo.
  const undo = [...fold.nodes.values()]
    .filter((n) => n.status === 'completed' && n.def.compensate !== undefined && n.def.plan === undefined && !(n.def.foreach !== undefined && n.parent === undefined) && n.decided?.decision !== 'skip')
    .sort((a, b) => (b.completedSeq ?? 0) - (a.completedSeq ?? 0));
  for (const n of undo) {
    const c = n.compensation;
    if (c?.status === 'completed' || c?.status === 'failed') continue;
    if (c?.status === 'running') {
      if (c.timeoutAt !== undefined && env.now >= c.timeoutAt) return [compensationFailed(n, env, 'attempt_timeout', `the compensation did not finish within ${n.def.timeout} ms`, true)];
      return [];
    }
    if (c?.status === 'waiting' && (c.retryAt ?? 0) > env.now) return [];
    const attempt = (c?.attempt ?? 0) + 1;
    const comp = n.def.compensate!;
    let input: unknown = c?.input;
    if (input === undefined) {
      try {
        input = comp.input === undefined ? {} : env.expr(comp.input).evaluate(bindingsOf(fold, n, true));
      } catch (err) {
        return [{ type: 'compensation_failed', at: env.now, step: n.id, reason: 'mapping_failed', message: (err as Error).message }];
      }
    }
    return [
      {
        type: 'compensation_started',
        at: env.now,
        step: n.id,
        attempt,
        taskId: taskIdOf(fold.runId, n.id, attempt, true),
        input,
        provider: comp.at ?? n.provider ?? 'local',
        ...(n.def.timeout !== undefined ? { timeoutAt: env.now + n.def.timeout } : {}),
      },
    ];
  }
  const unfinishedUndo = undo.filter((n) => n.compensation?.status === 'failed').map((n) => `compensation of ${n.id} failed: ${n.compensation?.reason}`);
  const partial = [...fold.nodes.values()].filter((n) => n.status === 'failed' && settled(n)).map((n) => n.id);
  return [
    {
      type: 'run_finished',
      at: env.now,
      status: ending.status,
      reason: [ending.reason, ...unfinishedUndo].join('; '),
      ...(partial.length > 0 ? { partial } : {}),
    },
  ];
}

/** What one node does next, given its state and the time. */
function advance(fold: RunFold, n: StepState, env: DecideEnv, starting: ReadonlyMap<string, number>): RunEvent[] {
  const { now } = env;
  switch (n.status) {
    case 'pending':
      return ready(fold, n, starting) ? begin(fold, n, env) : [];
    case 'waiting':
      if (n.deadlineAt !== undefined && now >= n.deadlineAt) return deadline(fold, n, env);
      // A waiting node's attempt is already the next one (timer_set names it).
      if ((n.fireAt ?? 0) <= now) return [started(fold, n, env, n.nextProvider ?? n.provider ?? 'local', n.input, n.attempt)];
      return [];
    case 'running':
      if (n.children !== undefined) {
        // A foreach or plan step's deadline covers its items or planned steps.
        if (n.deadlineAt !== undefined && now >= n.deadlineAt) {
          return [...fail(n, env, 'step_deadline', deadlineMessage(n)), ...cancelChildren(fold, n, env)];
        }
        return group(fold, n, env);
      }
      if (n.deadlineAt !== undefined && now >= n.deadlineAt) return deadline(fold, n, env);
      if (n.timeoutAt !== undefined && now >= n.timeoutAt) {
        return failure(fold, n, env, 'attempt_timeout', `the attempt did not finish within ${n.def.timeout} ms; its answer, if it comes, is recorded as late`, true);
      }
      return [];
    case 'awaiting_approval':
      if (n.held === true) return n.deadlineAt !== undefined && now >= n.deadlineAt ? deadline(fold, n, env) : [];
      if (n.approval?.expiresAt !== undefined && now >= n.approval.expiresAt) return expire(fold, n, env);
      return [];
    default:
      return [];
  }
}

/** Whether a pending node may start: its needs are settled (and its parent is running, with room). */
function ready(fold: RunFold, n: StepState, starting: ReadonlyMap<string, number>): boolean {
  if (n.parent !== undefined) {
    const parent = fold.nodes.get(n.parent)!;
    if (parent.status !== 'running') return false;
    if (n.item !== undefined) {
      const busy = (parent.children ?? []).filter((c) => UNFINISHED.has(fold.nodes.get(c)!.status)).length + (starting.get(n.parent) ?? 0);
      return busy < (parent.def.foreach?.concurrency ?? 1);
    }
  }
  const prefix = n.parent !== undefined ? `${n.parent}.` : '';
  return n.def.needs.every((need) => {
    const dep = fold.nodes.get(prefix + need);
    return dep !== undefined && settled(dep);
  });
}

/** The partner holds the attempt's task for approval: recorded once, while the attempt is current. */
export function onHeld(fold: RunFold, nodeId: string, attempt: number, taskId: string, env: DecideEnv): RunEvent[] {
  const n = fold.nodes.get(nodeId);
  if (n?.status !== 'running' || n.attempt !== attempt || n.taskId !== taskId) return [];
  return [{ type: 'step_held', at: env.now, step: nodeId, attempt, taskId }];
}

/** A ready node: skipped by `when`, or asks for approval, or expands its items, or starts its first attempt. */
function begin(fold: RunFold, n: StepState, env: DecideEnv): RunEvent[] {
  const { now } = env;
  const def = n.def;
  const bindings = bindingsOf(fold, n);
  let input: unknown;
  try {
    if (n.item === undefined && def.when !== undefined && env.expr(def.when).evaluate(bindings) !== true) {
      return [{ type: 'step_skipped', at: now, step: n.id, why: `when ${def.when} is not true` }];
    }
    if (def.foreach !== undefined && n.item === undefined) {
      const items = env.expr(def.foreach.items).evaluate(bindings);
      if (!Array.isArray(items)) throw new Error(`foreach.items gave ${items === null ? 'null' : typeof items}, not a list`);
      const expanded: RunEvent = { type: 'foreach_expanded', at: now, step: n.id, items };
      return items.length === 0 ? [expanded, { type: 'step_completed', at: now, step: n.id, attempt: 0, output: [] }] : [expanded];
    }
    input = def.input === undefined ? {} : env.expr(def.input).evaluate(bindings);
  } catch (err) {
    return fail(n, env, 'mapping_failed', (err as Error).message);
  }
  if (def.approval !== undefined) return [approvalRequest(fold, n, env, 'approval', input, def.approval.timeout)];
  const provider = nextProvider(n, env);
  if (provider === undefined) return fail(n, env, 'no_provider', `no partner offers ${def.capability} to this gateway (at: any); add prefer, or a fallback`);
  return [started(fold, n, env, provider, input)];
}

function started(fold: RunFold, n: StepState, env: DecideEnv, provider: string, input: unknown, attempt = n.attempt + 1): RunEvent {
  const deadlineAt = n.deadlineAt ?? (n.def.deadline !== undefined ? env.now + n.def.deadline : undefined);
  return {
    type: 'step_started',
    at: env.now,
    step: n.id,
    attempt,
    taskId: taskIdOf(fold.runId, n.id, attempt),
    input,
    provider,
    ...(n.def.timeout !== undefined ? { timeoutAt: env.now + n.def.timeout } : {}),
    ...(deadlineAt !== undefined ? { deadlineAt } : {}),
  };
}

/**
 * After a failed attempt: retry at the same provider after a backoff while attempts remain and
 * a retry can help; else the next provider (fallback, or the next partner for `at: any`) at
 * once; else, with on_failure escalate, ask a person; else the failure is final.
 */
function failure(fold: RunFold, n: StepState, env: DecideEnv, reason: string, message: string, retryable: boolean): RunEvent[] {
  const { now } = env;
  const failed: RunEvent = { type: 'step_failed', at: now, step: n.id, attempt: n.attempt, reason, message, retryable };
  const retry = retryOf(n.def);
  if (retryable && n.attemptsHere < retry.maximumAttempts) {
    const fireAt = now + backoff(retry, n.attemptsHere, n.taskId ?? n.id);
    return [failed, { type: 'timer_set', at: now, step: n.id, attempt: n.attempt + 1, fireAt, provider: n.provider ?? 'local' }];
  }
  if (reason !== 'mapping_failed') {
    const next = nextProvider(n, env);
    if (next !== undefined) return [failed, { type: 'timer_set', at: now, step: n.id, attempt: n.attempt + 1, fireAt: now, provider: next }];
  }
  return settle(fold, n, env, failed);
}

/** A failure nothing retries: escalated to a person when the step says so, final otherwise. */
function settle(fold: RunFold, n: StepState, env: DecideEnv, failed: Extract<RunEvent, { type: 'step_failed' }>): RunEvent[] {
  if (n.def.on_failure === 'escalate') {
    return [failed, approvalRequest(fold, n, env, 'escalation', { reason: failed.reason, message: failed.message, attempt: failed.attempt, provider: n.provider ?? null })];
  }
  return [{ ...failed, final: true }, ...cancelChildren(fold, n, env)];
}

function fail(n: StepState, env: DecideEnv, reason: string, message: string): RunEvent[] {
  return [{ type: 'step_failed', at: env.now, step: n.id, attempt: n.attempt, reason, message, retryable: false, final: true }];
}

/** A step out of time: no more attempts; escalated to a person when the step says so (a retry gets a new deadline). */
function deadline(fold: RunFold, n: StepState, env: DecideEnv): RunEvent[] {
  return settle(fold, n, env, { type: 'step_failed', at: env.now, step: n.id, attempt: n.attempt, reason: 'step_deadline', message: deadlineMessage(n), retryable: false });
}

function deadlineMessage(n: StepState): string {
  return `the step did not finish within its deadline of ${n.def.deadline} ms`;
}

/** A foreach or plan step's progress: complete once every child settled, fail once one failed for good. */
function group(fold: RunFold, n: StepState, env: DecideEnv): RunEvent[] {
  const children = (n.children ?? []).map((c) => fold.nodes.get(c)!);
  const broken = children.find((c) => c.status === 'failed' && !settled(c));
  if (broken !== undefined) {
    const [reason, what] = n.def.plan !== undefined ? ['plan_step_failed', 'planned step'] : ['item_failed', 'item'];
    return [...fail(n, env, reason, `${what} ${broken.id} failed: ${broken.reason}: ${broken.message}`), ...cancelChildren(fold, n, env)];
  }
  if (!children.every(settled)) return [];
  const output =
    n.def.plan !== undefined
      ? Object.fromEntries(children.map((c) => [c.def.id, c.status === 'completed' ? (c.output ?? null) : null]))
      : children.map((c) => (c.status === 'completed' ? (c.output ?? null) : null));
  return [{ type: 'step_completed', at: env.now, step: n.id, attempt: n.attempt, output }];
}

function cancelChildren(fold: RunFold, n: StepState, env: DecideEnv): RunEvent[] {
  return (n.children ?? [])
    .map((c) => fold.nodes.get(c)!)
    .filter((c) => UNFINISHED.has(c.status))
    .map((c) => ({ type: 'step_cancelled', at: env.now, step: c.id, why: `${n.id} failed` }));
}

function approvalRequest(fold: RunFold, n: StepState, env: DecideEnv, kind: 'approval' | 'escalation', details: unknown, timeout?: number): RunEvent {
  return {
    type: 'approval_requested',
    at: env.now,
    step: n.id,
    // Unique per request: the position of this event in the run's log.
    approvalId: `${fold.runId}.${n.id.replace(/\[(\d+)\]/g, '.$1')}.a${fold.count}`,
    kind,
    details,
    ...(timeout !== undefined ? { expiresAt: env.now + timeout } : {}),
  };
}

/** An approval nobody decided in time: the step fails, or (on_timeout: escalate) a person is asked what to do. */
function expire(fold: RunFold, n: StepState, env: DecideEnv): RunEvent[] {
  const approval = n.approval!;
  const decided: RunEvent = { type: 'approval_decided', at: env.now, step: n.id, approvalId: approval.approvalId, decision: 'reject', by: 'timeout', reason: 'nobody decided before the approval timed out' };
  const failed: Extract<RunEvent, { type: 'step_failed' }> = {
    type: 'step_failed',
    at: env.now,
    step: n.id,
    attempt: n.attempt,
    reason: 'approval_timeout',
    message: 'nobody decided before the approval timed out',
    retryable: false,
  };
  if (approval.kind === 'approval' && n.def.approval?.on_timeout === 'escalate') {
    return [decided, failed, approvalRequest(fold, n, env, 'escalation', { reason: failed.reason, message: failed.message })];
  }
  return [decided, { ...failed, final: true }];
}

/**
 * A person's decision as events. approve/reject end an approval step; retry starts an
 * escalated step over from its first provider (an approval step asks again), skip completes
 * it with the given output, fail makes its failure final.
 */
export function onDecision(
  fold: RunFold,
  n: StepState,
  env: DecideEnv,
  d: { readonly decision: 'approve' | 'reject' | 'retry' | 'skip' | 'fail'; readonly by: string; readonly reason: string; readonly output?: unknown },
): RunEvent[] {
  const approval = n.approval!;
  const decided: RunEvent = {
    type: 'approval_decided',
    at: env.now,
    step: n.id,
    approvalId: approval.approvalId,
    decision: d.decision,
    by: d.by,
    reason: d.reason,
    ...(d.decision === 'skip' ? { output: d.output ?? null } : {}),
  };
  const base = { at: env.now, step: n.id, attempt: n.attempt };
  switch (d.decision) {
    case 'approve':
      return [decided, { type: 'step_completed', ...base, output: { approved: true, by: d.by, reason: d.reason } }];
    case 'reject':
      return [decided, { type: 'step_failed', ...base, reason: 'approval_rejected', message: `rejected by ${d.by}: ${d.reason}`, retryable: false, final: true }];
    case 'skip':
      return [decided, { type: 'step_completed', ...base, output: d.output ?? null }];
    case 'fail':
      return [decided, { type: 'step_failed', ...base, reason: n.reason ?? 'escalation_failed', message: `failed by ${d.by}: ${d.reason}`, retryable: false, final: true }];
    case 'retry':
      // The fold puts the node back to pending; the next decide() starts it (or asks again).
      return [decided];
  }
}

function retryOf(def: StepDefinition): typeof DEFAULT_RETRY {
  return { ...DEFAULT_RETRY, ...def.retry };
}

/** The providers a node may use, in order: its place (or, for `any`, the preferred partners), then its fallbacks. */
function candidates(def: StepDefinition, env: DecideEnv): string[] {
  const base = def.at === 'any' ? (def.prefer ?? env.providers(def.capability ?? '')) : [def.at];
  return [...new Set([...base, ...(def.fallback ?? [])])];
}

/** The first provider not tried yet whose circuit is closed; if every one left is open, the first left (a probe). */
function nextProvider(n: StepState, env: DecideEnv): string | undefined {
  const left = candidates(n.def, env).filter((p) => !n.tried.includes(p));
  return left.find((p) => p === 'local' || !env.circuitOpen(p)) ?? left[0];
}

type Bindings = { input: unknown; steps: Record<string, { output: unknown; status: string }>; item?: unknown; index?: number };

/**
 * What a node's expressions see: the run's input and its top-level steps; a foreach item also
 * `item` and `index`; a planned step the plan step's input and its sibling planned steps. With
 * `self`, the node's own output too (a compensation's input).
 */
export function bindingsOf(fold: RunFold, n?: StepState, self = false): Bindings {
  const parent = n?.parent !== undefined ? fold.nodes.get(n.parent) : undefined;
  const planned = parent?.def.plan !== undefined;
  const steps: Bindings['steps'] = {};
  for (const s of fold.nodes.values()) {
    const visible = planned ? s.parent === n!.parent : s.parent === undefined;
    if (visible) steps[s.def.id] = { output: s.status === 'completed' ? (s.output ?? null) : null, status: s.status };
  }
  if (self && n !== undefined) steps[n.def.id] = { output: n.output ?? null, status: n.status };
  return {
    input: planned ? parent!.input : fold.input,
    steps,
    ...(n?.item !== undefined ? { item: n.item.value, index: n.item.index } : {}),
  };
}
