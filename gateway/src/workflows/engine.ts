import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../lib/index.js';
import type { Logger } from '../observability/index.js';
import type { StepDefinition } from './definition.js';
import { RunError, WorkflowError } from './errors.js';
import { compileExpr } from './expr.js';
import type { RunEvent, RunEventLog } from './ports.js';
import { foldRun, settled, type RunState } from './state.js';
import type { ValidWorkflow } from './validate.js';

/** How a step's task is carried out: by a local agent, or at a partner through the requester. */
export interface StepExecutor {
  execute(task: {
    readonly taskId: string;
    readonly capability: string;
    /** `local` or a partner's org id. */
    readonly at: string;
    readonly purpose: string;
    readonly input: unknown;
    readonly timeoutMs?: number;
  }): Promise<{ readonly ok: true; readonly output: unknown } | { readonly ok: false; readonly reason: string; readonly message: string; readonly retryable: boolean }>;
}

export interface WorkflowEngineDeps {
  readonly runs: RunEventLog;
  readonly executor: StepExecutor;
  readonly clock: Clock;
  readonly log: Logger;
}

const DEFAULT_RETRY = { initialInterval: 1000, coefficient: 2, maximumInterval: 60_000, maximumAttempts: 1 };

/** What this engine runs today; a workflow using anything else is refused before it starts. */
function unsupported(step: StepDefinition): string | undefined {
  if (step.approval !== undefined) return 'approval steps';
  if (step.plan !== undefined) return 'plan steps';
  if (step.foreach !== undefined) return 'foreach';
  if (step.compensate !== undefined) return 'compensate';
  if (step.fallback !== undefined) return 'fallback';
  if (step.at === 'any') return 'at: any';
  if (step.on_failure === 'escalate') return 'on_failure: escalate';
  return undefined;
}

/**
 * Runs workflows durably: every transition is an event appended before it takes effect, a
 * run's state is the fold of its events, and `resume()` picks up every unfinished run after a
 * restart. A step's task id is `<run>.<step>.<attempt>`, written before the task is sent, so a
 * step re-run after a crash asks its partner for the same task, which the partner answers from
 * its record instead of running it again.
 *
 * This first engine runs steps locally or at named partners, by `needs` (in sequence and in
 * parallel), with input mappings and `when` in CEL, retries with exponential backoff and
 * deterministic jitter on the injected clock, per-attempt timeouts, and on_failure fail or
 * continue. Approvals, plans, foreach, compensation, fallback, `any` and escalation are refused
 * at start, naming the feature.
 */
export class WorkflowEngine {
  private readonly driving = new Map<string, Promise<RunState>>();
  /** Expressions by text: a resumed run has only its definition, so they are compiled on demand. */
  private readonly compiled = new Map<string, ReturnType<typeof compileExpr>>();

  /** Aborted by stop(): loops stop between transitions, and the run resumes at the next start. */
  private readonly stopping = new AbortController();
  private readonly stopped = new Promise<void>((resolve) => this.stopping.signal.addEventListener('abort', () => resolve(), { once: true }));

  constructor(private readonly deps: WorkflowEngineDeps) {}

  /**
   * Stops driving runs (at shutdown, before the store closes): each loop ends at its next
   * transition, steps in flight are left to be asked again, under the same task ids, when
   * the gateway starts again. Resolves once every loop has ended.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.driving.values()]);
  }

  /** Starts a run of a validated workflow; resolves with its id once run_started is durable. */
  async start(workflow: ValidWorkflow, input: unknown, runId: string = randomUUID()): Promise<string> {
    const missing = [...new Set(workflow.definition.steps.map(unsupported).filter((u): u is string => u !== undefined))];
    if (missing.length > 0) {
      throw new WorkflowError(workflow.definition.name, [`uses what this engine does not run yet: ${missing.join(', ')}`]);
    }
    await this.deps.runs.appendRunEvents(runId, 0, [{ type: 'run_started', at: this.deps.clock.now(), definition: workflow.definition, input }]);
    this.drive(runId);
    return runId;
  }

  /** Resolves with the run's final state once it has finished (driving it here if needed). */
  async wait(runId: string): Promise<RunState> {
    return this.driving.get(runId) ?? this.drive(runId);
  }

  /** Continues every unfinished run (after a restart); resolves once each is being driven. */
  async resume(): Promise<string[]> {
    const ids = await this.deps.runs.unfinishedRuns();
    for (const id of ids) this.drive(id);
    return ids;
  }

  private drive(runId: string): Promise<RunState> {
    let driving = this.driving.get(runId);
    if (driving === undefined) {
      driving = this.loop(runId).finally(() => this.driving.delete(runId));
      driving.catch((err: unknown) => {
        if (this.stopping.signal.aborted) this.deps.log.info({ run_id: runId }, 'run paused by shutdown; it resumes at the next start');
        else this.deps.log.error({ run_id: runId, err }, 'run stopped');
      });
      this.driving.set(runId, driving);
    }
    return driving;
  }

  private async loop(runId: string): Promise<RunState> {
    const { clock } = this.deps;
    const events = await this.deps.runs.readRun(runId);
    // Appends of one run go one after the other: each is written at the position the previous
    // one left (parallel steps finish at the same time, and the log refuses a reused position).
    let tail: Promise<void> = Promise.resolve();
    const append = (...more: RunEvent[]): Promise<void> => {
      const next = tail.then(async () => {
        await this.deps.runs.appendRunEvents(runId, events.length, more);
        events.push(...more);
      });
      tail = next.catch(() => undefined);
      return next;
    };
    const inflight = new Map<string, Promise<void>>();
    for (;;) {
      const state = foldRun(runId, events);
      if (state.finished !== undefined) return state;
      if (this.stopping.signal.aborted) throw new RunError('RUN_PAUSED', `run ${runId} paused: the gateway is stopping`);
      const def = state.definition;
      const byId = new Map(def.steps.map((s) => [s.id, s]));
      const bindings = bindingsOf(state);

      const failed = def.steps.find((s) => state.steps.get(s.id)?.status === 'failed' && s.on_failure !== 'continue');
      if (failed !== undefined && inflight.size === 0) {
        const st = state.steps.get(failed.id)!;
        await append({ type: 'run_finished', at: clock.now(), status: 'failed', reason: `step ${failed.id} failed: ${st.reason}: ${st.message}` });
        continue;
      }
      if (def.steps.every((s) => settled(s, state.steps.get(s.id)!))) {
        let output: unknown;
        try {
          output = def.output === undefined ? bindings.steps : this.expr(def.output).evaluate(bindings);
        } catch (err) {
          await append({ type: 'run_finished', at: clock.now(), status: 'failed', reason: `output: ${(err as Error).message}` });
          continue;
        }
        await append({ type: 'run_finished', at: clock.now(), status: 'completed', output });
        continue;
      }

      // Start what is ready; a failed run starts nothing new and lets the in-flight settle.
      let progressed = false;
      if (failed === undefined) {
        for (const s of def.steps) {
          const st = state.steps.get(s.id)!;
          const ready = st.status === 'pending' && s.needs.every((n) => settled(byId.get(n)!, state.steps.get(n)!));
          const due = st.status === 'waiting' && (st.fireAt ?? 0) <= clock.now();
          if (!ready && !due) continue;
          await this.begin(s, st.attempt + (ready ? 1 : 0), runId, bindings, append);
          progressed = true;
        }
      }
      if (progressed) continue;
      // Carry out every started step not yet in flight here (after a restart, the same task id).
      for (const s of def.steps) {
        const st = state.steps.get(s.id)!;
        if (st.status !== 'running' || inflight.has(s.id)) continue;
        inflight.set(
          s.id,
          this.attempt(s, st.attempt, st.taskId!, st.input, append).finally(() => inflight.delete(s.id)),
        );
      }
      const timers = def.steps.map((s) => state.steps.get(s.id)!).filter((st) => st.status === 'waiting').map((st) => st.fireAt ?? 0);
      const wake = new AbortController();
      const waits: Promise<unknown>[] = [...inflight.values()];
      if (timers.length > 0) waits.push(clock.sleep(Math.max(0, Math.min(...timers) - clock.now()), wake.signal).catch(() => undefined));
      if (waits.length === 0) throw new RunError('RUN_STUCK', `run ${runId} cannot progress: no step is ready, running or waiting`);
      await Promise.race([...waits, this.stopped]);
      wake.abort();
    }
  }

  private expr(text: string): ReturnType<typeof compileExpr> {
    let e = this.compiled.get(text);
    if (e === undefined) {
      e = compileExpr(text);
      this.compiled.set(text, e);
    }
    return e;
  }

  /** Evaluates `when` and the input mapping, then records the attempt: skipped, started, or failed. */
  private async begin(
    s: StepDefinition,
    attempt: number,
    runId: string,
    bindings: ReturnType<typeof bindingsOf>,
    append: (...e: RunEvent[]) => Promise<void>,
  ): Promise<void> {
    const now = this.deps.clock.now();
    let input: unknown;
    try {
      if (s.when !== undefined && this.expr(s.when).evaluate(bindings) !== true) {
        await append({ type: 'step_skipped', at: now, step: s.id, why: `when ${s.when} is not true` });
        return;
      }
      input = s.input === undefined ? {} : this.expr(s.input).evaluate(bindings);
    } catch (err) {
      await append({ type: 'step_failed', at: now, step: s.id, attempt, reason: 'mapping_failed', message: (err as Error).message, retryable: false });
      return;
    }
    await append({ type: 'step_started', at: now, step: s.id, attempt, taskId: `${runId}.${s.id}.${attempt}`, input });
  }

  /** One attempt of a started step; records its outcome, and a retry's timer when one can help. */
  private async attempt(s: StepDefinition, attempt: number, taskId: string, input: unknown, append: (...e: RunEvent[]) => Promise<void>): Promise<void> {
    const outcome = await this.deps.executor
      .execute({ taskId, capability: s.capability!, at: s.at, purpose: s.purpose ?? 'workflow', input, ...(s.timeout !== undefined ? { timeoutMs: s.timeout } : {}) })
      .catch((err: unknown) => ({ ok: false as const, reason: (err as { reason?: string }).reason ?? 'internal', message: (err as Error).message, retryable: false }));
    const now = this.deps.clock.now();
    if (outcome.ok) {
      await append({ type: 'step_completed', at: now, step: s.id, attempt, output: outcome.output });
      return;
    }
    const failed: RunEvent = { type: 'step_failed', at: now, step: s.id, attempt, reason: outcome.reason, message: outcome.message, retryable: outcome.retryable };
    const retry = { ...DEFAULT_RETRY, ...s.retry };
    if (outcome.retryable && attempt < retry.maximumAttempts) {
      await append(failed, { type: 'timer_set', at: now, step: s.id, attempt: attempt + 1, fireAt: now + backoff(retry, attempt, taskId) });
    } else {
      await append(failed);
    }
  }
}

/** Exponential backoff with jitter in [50%, 100%] of the interval, derived from the task id (reproducible on replay). */
export function backoff(retry: { initialInterval: number; coefficient: number; maximumInterval: number }, attempt: number, taskId: string): number {
  const interval = Math.min(retry.initialInterval * retry.coefficient ** (attempt - 1), retry.maximumInterval);
  const jitter = createHash('sha256').update(taskId).digest().readUInt16BE(0) / 0xffff;
  return Math.round(interval * (0.5 + jitter / 2));
}

/** What expressions see: the run's input, and each step's output (null until it has one) and status. */
function bindingsOf(state: RunState): { input: unknown; steps: Record<string, { output: unknown; status: string }> } {
  const steps: Record<string, { output: unknown; status: string }> = {};
  for (const [id, st] of state.steps) steps[id] = { output: st.status === 'completed' ? (st.output ?? null) : null, status: st.status };
  return { input: state.input, steps };
}
