import { crashPoint, jsonValueDepth, timeOrderedId, type Clock } from '../lib/index.js';
import type { Logger } from '../observability/index.js';
import type { StatementRecord } from '../audit/index.js';
import { Circuits, type CircuitOptions } from './circuits.js';
import { decide, onCompensation, onDecision, onHeld, onOutcome, type DecideEnv, type Outcome } from './decide.js';
import { RunError, WorkflowError } from './errors.js';
import { compileExpr, type CompiledExpr } from './expr.js';
import { checkPlan } from './plan.js';
import type { ApprovalDecision, RunEvent, RunEventLog, RunFilter, RunSummary } from './ports.js';
import { APPROVAL_DECISIONS, foldRun, RunFold, type PendingApproval, type RunState, type StepState } from './state.js';
import type { CapabilityCatalog, ValidWorkflow } from './validate.js';

/** One attempt of a step, as the engine hands it to whoever carries it out. */
export interface StepTask {
  readonly taskId: string;
  readonly capability: string;
  /** `local` or a partner's org id. */
  readonly at: string;
  readonly purpose: string;
  readonly input: unknown;
  readonly timeoutMs?: number;
  /** Aborted when the attempt is abandoned (timed out, the run cancelled or failing): cancel it. */
  readonly signal: AbortSignal;
  /**
   * The same for every attempt of the step, across restarts: what a local agent with a side
   * effect should deduplicate on (a partner deduplicates on the task id).
   */
  readonly idempotencyKey: string;
  /** The run and step the task belongs to (the outbound policy sees them), and the partner's task the run serves. */
  readonly run: { readonly runId: string; readonly workflow: string; readonly step: string; readonly parentTask?: { readonly org: string; readonly taskId: string } };
  /** Call when the partner holds the task for its people's approval: the attempt's timeout stops. */
  readonly onHeld: () => void;
}

/** How a step's task is carried out: by a local agent, or at a partner through the requester. */
export interface StepExecutor {
  execute(task: StepTask): Promise<Outcome>;
}

export interface WorkflowEngineDeps {
  readonly runs: RunEventLog;
  readonly executor: StepExecutor;
  readonly clock: Clock;
  readonly log: Logger;
  /** Who offers what: plans are checked against it before they run. */
  readonly catalog?: () => CapabilityCatalog;
  /** Partners offering a capability, in preference order, for `at: any` without `prefer`. */
  readonly providers?: (capability: string) => readonly string[];
  readonly circuits?: CircuitOptions;
  /** Bounds on a run's input (the gateway's limits.maxPayloadBytes and limits.maxJsonDepth). */
  readonly inputLimits?: { readonly maxBytes: number; readonly maxDepth: number };
  /** The statements the events put into the audit log, written in the same commit (run-statements.ts). */
  readonly audit?: (runId: string, from: number, events: readonly RunEvent[]) => StatementRecord[];
}

export interface StartOptions {
  /** A run id of the caller's choosing: starting it again returns the same run (idempotent). */
  readonly runId?: string;
  readonly parentTask?: { readonly org: string; readonly taskId: string };
}

export type RunWatchItem = { readonly seq: number; readonly event: RunEvent; readonly state: RunState };

/**
 * Wakes a waiting loop; a notice given while nobody waits is kept for the next wait. A wait
 * that lost its race (a timer woke the loop) is ended with `stop()`, so that the next notice is
 * kept rather than spent on it.
 */
class Wakeup {
  private pending = false;
  private resolve: (() => void) | undefined;

  notify(): void {
    const waiting = this.resolve;
    this.resolve = undefined;
    if (waiting !== undefined) waiting();
    else this.pending = true;
  }

  wait(): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise<void>((r) => (this.resolve = r));
  }

  stop(): void {
    this.resolve = undefined;
  }
}

/** One run driven by this process: its fold, its serialized appends, its attempts in flight. */
interface Driver {
  readonly runId: string;
  readonly fold: RunFold;
  chain: Promise<unknown>;
  readonly inflight: Map<string, { readonly node: string; readonly abort: AbortController; readonly undo: boolean; answered: boolean }>;
  readonly wakeup: Wakeup;
  readonly listeners: Set<(seq: number, event: RunEvent) => void>;
  done?: Promise<RunState>;
  /** After a failure to write (or to decide): how many in a row, and nothing new starts before `backoffUntil`. */
  failures: number;
  backoffUntil: number;
}

/**
 * Runs workflows durably: every transition is an event appended before it takes effect, a
 * run's state is the fold of its events, and `resume()` picks up every unfinished run after a
 * restart. Decisions are pure functions of the state and the time (decide.ts); this class
 * appends them one batch at a time per run, carries out the attempts the state asks for, and
 * wakes runs when an answer, a timer, a person's decision or a cancellation arrives.
 *
 * A step's task id is derived from the run, the step and the attempt, and written before the
 * task is sent, so a step asked again after a crash re-attaches to the partner's task, which
 * the partner answers from its record instead of running it again.
 */
export class WorkflowEngine {
  private readonly drivers = new Map<string, Driver>();
  /** Expressions by text: a resumed run has only its definition, so they are compiled on demand. */
  private readonly compiled = new Map<string, CompiledExpr>();
  private readonly circuits: Circuits;

  /** Aborted by stop(): loops stop between transitions, and the run resumes at the next start. */
  private readonly stopping = new AbortController();
  private readonly stopped = new Promise<void>((resolve) => this.stopping.signal.addEventListener('abort', () => resolve(), { once: true }));

  constructor(private readonly deps: WorkflowEngineDeps) {
    this.circuits = new Circuits(deps.clock, deps.circuits);
  }

  /**
   * Stops driving runs (at shutdown, before the store closes): each loop ends at its next
   * transition; attempts in flight are not cancelled but left to be asked again, under the
   * same task ids, when the gateway starts again. Resolves once every loop has ended.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.drivers.values()].map((d) => d.done));
  }

  /** Starts a run of a validated workflow; resolves with its id once run_started is durable. */
  async start(workflow: ValidWorkflow, input: unknown, opts: StartOptions = {}): Promise<string> {
    const runId = opts.runId ?? timeOrderedId();
    const now = this.deps.clock.now();
    const def = workflow.definition;
    this.checkBounds(def.name, 'input', input);
    const started: RunEvent = {
      type: 'run_started',
      at: now,
      definition: def,
      input,
      ...(def.deadline !== undefined ? { deadlineAt: now + def.deadline } : {}),
      ...(opts.parentTask !== undefined ? { parentTask: opts.parentTask } : {}),
    };
    try {
      await this.deps.runs.appendRunEvents(runId, 0, [started], this.deps.audit?.(runId, 0, [started]));
    } catch (err) {
      // A caller-chosen id that exists already is the same run started again.
      if (!(opts.runId !== undefined && err instanceof RunError && err.code === 'RUN_CONFLICT')) throw err;
    }
    void this.drive(runId);
    return runId;
  }

  /**
   * Refuses, before anything is written, a value from a caller larger or deeper than the limits
   * (a run's input, an escalated step's output): it is kept in the run's events and walked by
   * every expression.
   */
  private checkBounds(workflow: string, what: 'input' | 'output', value: unknown): void {
    const limits = this.deps.inputLimits;
    if (limits === undefined) return;
    if (jsonValueDepth(value, limits.maxDepth) > limits.maxDepth) {
      throw new WorkflowError(workflow, [`${what}: nests deeper than ${limits.maxDepth} levels (limits.maxJsonDepth); flatten it`]);
    }
    const bytes = Buffer.byteLength(JSON.stringify(value ?? null) ?? 'null');
    if (bytes > limits.maxBytes) throw new WorkflowError(workflow, [`${what}: ${bytes} bytes; the limit is ${limits.maxBytes} bytes (limits.maxPayloadBytes)`]);
  }

  /** Resolves with the run's final state once it has finished (driving it here if needed). */
  async wait(runId: string): Promise<RunState> {
    return this.drive(runId);
  }

  /** Continues every unfinished run (after a restart); resolves once each is being driven. */
  async resume(): Promise<string[]> {
    const ids = await this.deps.runs.unfinishedRuns();
    for (const id of ids) void this.drive(id);
    return ids;
  }

  /** A run's state now; undefined for a run this gateway does not hold. */
  async get(runId: string): Promise<RunState | undefined> {
    const driver = this.drivers.get(runId);
    if (driver !== undefined) return driver.fold.state();
    const events = await this.deps.runs.readRun(runId);
    return events.length === 0 ? undefined : foldRun(runId, events);
  }

  /** Until when workflow steps skip a partner (its circuit is open), for status displays. */
  circuitOpenUntil(partner: string): number | undefined {
    return this.circuits.openUntil(partner);
  }

  list(filter: RunFilter = {}): Promise<RunSummary[]> {
    return this.deps.runs.listRuns(filter);
  }

  /**
   * Asks a run to stop: attempts in flight are aborted (a partner's task is cancelled there),
   * completed steps with `compensate` are undone, and the run ends `cancelled`. A finished run
   * is returned as it is. Resolves once the request is durable.
   */
  async cancel(runId: string, by: string, reason: string): Promise<RunState | undefined> {
    const state = await this.get(runId);
    if (state === undefined || state.finished !== undefined) return state;
    void this.drive(runId);
    const driver = await this.driver(runId);
    await this.transition(driver, () => (driver.fold.cancel !== undefined || driver.fold.finished !== undefined ? [] : [{ type: 'run_cancel_requested', at: this.deps.clock.now(), by, reason }]));
    this.deps.log.info({ run_id: runId, by }, 'run cancellation requested');
    return driver.fold.state();
  }

  /** Decisions waiting for a person in the runs this gateway drives. */
  approvals(filter: { readonly runId?: string } = {}): PendingApproval[] {
    const out: PendingApproval[] = [];
    for (const d of this.drivers.values()) {
      if (filter.runId !== undefined && d.runId !== filter.runId) continue;
      for (const n of d.fold.nodes.values()) if (n.status === 'awaiting_approval' && n.approval !== undefined && n.held !== true) out.push(pendingOf(d.fold, n));
    }
    return out.sort((a, b) => a.requestedAt - b.requestedAt);
  }

  /**
   * Records a person's decision and lets the run go on. Refused (APPROVAL_UNKNOWN,
   * APPROVAL_DECIDED, APPROVAL_DECISION_INVALID) without writing anything when the approval is
   * not waiting here or does not take that decision.
   */
  async decide(approvalId: string, d: { readonly decision: ApprovalDecision; readonly by: string; readonly reason: string; readonly output?: unknown }): Promise<PendingApproval> {
    if (d.reason.trim() === '') throw new RunError('APPROVAL_DECISION_INVALID', 'a decision needs a reason: it is recorded with the decider');
    if (d.output !== undefined) {
      try {
        this.checkBounds(approvalId, 'output', d.output);
      } catch (err) {
        throw new RunError('APPROVAL_DECISION_INVALID', (err as WorkflowError).problems.join('; '), { cause: err });
      }
    }
    const driver = this.driverWaitingFor(approvalId);
    // Not waiting in a run driven here: decided already (the run's events say how), or unknown.
    if (driver === undefined) throw (await this.decidedEarlier(approvalId)) ?? unknownApproval(approvalId);
    let decided: PendingApproval | undefined;
    let refusal: RunError | undefined;
    await this.transition(driver, () => {
      const n = [...driver.fold.nodes.values()].find((x) => x.approval?.approvalId === approvalId);
      if (n === undefined || n.status !== 'awaiting_approval') {
        // Decided while this decision waited its turn.
        const earlier = [...driver.fold.nodes.values()].find((x) => x.decided?.approvalId === approvalId)?.decided;
        refusal = earlier !== undefined ? alreadyDecided(approvalId, earlier) : unknownApproval(approvalId);
        return [];
      }
      const allowed = APPROVAL_DECISIONS[n.approval!.kind];
      if (!allowed.includes(d.decision)) {
        refusal = new RunError('APPROVAL_DECISION_INVALID', `${approvalId} is an ${n.approval!.kind}: its decisions are ${allowed.join(', ')}, not ${d.decision}`);
        return [];
      }
      decided = { ...pendingOf(driver.fold, n), decided: { decision: d.decision, by: d.by, reason: d.reason, at: this.deps.clock.now() } };
      return onDecision(driver.fold, n, this.env(), d);
    });
    if (refusal !== undefined) throw refusal;
    this.deps.log.info({ run_id: driver.runId, approval_id: approvalId, decision: d.decision, by: d.by }, 'approval decided');
    return decided!;
  }

  /**
   * A run's events from position `from`, then each new one as it is appended, with the run's
   * state after it; ends after run_finished or when `signal` aborts. Undefined for an unknown run.
   */
  async watch(runId: string, from: number, signal: AbortSignal): Promise<AsyncIterable<RunWatchItem> | undefined> {
    const queue: { seq: number; event: RunEvent }[] = [];
    const wakeup = new Wakeup();
    const listener = (seq: number, event: RunEvent) => {
      queue.push({ seq, event });
      wakeup.notify();
    };
    // Listen before reading, so that nothing appended in between is missed.
    let live = this.drivers.get(runId);
    live?.listeners.add(listener);
    let stored = await this.deps.runs.readRun(runId);
    if (stored.length === 0) {
      live?.listeners.delete(listener);
      return undefined;
    }
    if (live === undefined && !stored.some((e) => e.type === 'run_finished')) {
      // Not driven here yet: drive it, listen, and read again what was appended meanwhile.
      void this.drive(runId);
      live = await this.driver(runId);
      live.listeners.add(listener);
      stored = await this.deps.runs.readRun(runId);
    }
    const stoppedWatching = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    return {
      [Symbol.asyncIterator]: async function* () {
        try {
          const fold = new RunFold(runId, stored[0]);
          let seq = 0;
          const emit = function* (event: RunEvent): Generator<RunWatchItem> {
            if (seq > 0) fold.apply(event);
            if (seq >= from) yield { seq, event, state: fold.state() };
            seq++;
          };
          for (const e of stored) yield* emit(e);
          let ended = stored.some((e) => e.type === 'run_finished');
          while (!ended && !signal.aborted && live !== undefined) {
            for (const item of queue.splice(0)) {
              if (item.seq < seq) continue;
              yield* emit(item.event);
              if (item.event.type === 'run_finished') ended = true;
            }
            if (!ended) await Promise.race([wakeup.wait(), stoppedWatching]);
          }
        } finally {
          live?.listeners.delete(listener);
        }
      },
    };
  }

  private driverWaitingFor(approvalId: string): Driver | undefined {
    return [...this.drivers.values()].find((d) => [...d.fold.nodes.values()].some((n) => n.approval?.approvalId === approvalId));
  }

  /**
   * An approval of a run this process no longer drives (it has finished) was decided, if it
   * existed: the approval id starts with its run's id, which may itself contain dots.
   */
  private async decidedEarlier(approvalId: string): Promise<RunError | undefined> {
    const parts = approvalId.split('.');
    for (let k = parts.length - 2; k >= 1; k--) {
      const events = await this.deps.runs.readRun(parts.slice(0, k).join('.'));
      const decided = events.find((e): e is Extract<RunEvent, { type: 'approval_decided' }> => e.type === 'approval_decided' && e.approvalId === approvalId);
      if (decided !== undefined) return alreadyDecided(approvalId, decided);
      if (events.length > 0) return undefined;
    }
    return undefined;
  }

  private env(): DecideEnv {
    return {
      now: this.deps.clock.now(),
      expr: (text) => this.expr(text),
      providers: (capability) => this.deps.providers?.(capability) ?? [],
      circuitOpen: (partner) => this.circuits.isOpen(partner),
      checkPlan: (parent, proposed) => checkPlan(parent, proposed, this.deps.catalog?.()),
    };
  }

  private expr(text: string): CompiledExpr {
    let e = this.compiled.get(text);
    if (e === undefined) {
      e = compileExpr(text);
      this.compiled.set(text, e);
    }
    return e;
  }

  /** The driver of a run, created (from its stored events) if this process is not driving it yet. */
  private async driver(runId: string): Promise<Driver> {
    const existing = this.drivers.get(runId);
    if (existing !== undefined) return existing;
    const events = await this.deps.runs.readRun(runId);
    const raced = this.drivers.get(runId);
    if (raced !== undefined) return raced;
    if (events.length === 0) throw new RunError('RUN_UNKNOWN', `this gateway holds no run ${JSON.stringify(runId)}`);
    const fold = new RunFold(runId, events[0]);
    for (const e of events.slice(1)) fold.apply(e);
    const driver: Driver = { runId, fold, chain: Promise.resolve(), inflight: new Map(), wakeup: new Wakeup(), listeners: new Set(), failures: 0, backoffUntil: 0 };
    this.drivers.set(runId, driver);
    return driver;
  }

  private drive(runId: string): Promise<RunState> {
    const current = this.drivers.get(runId)?.done;
    if (current !== undefined) return current;
    const done = this.driver(runId).then((driver) => {
      driver.done ??= this.loop(driver).finally(() => {
        if (driver.inflight.size === 0) this.drivers.delete(runId);
      });
      return driver.done;
    });
    done.catch((err: unknown) => {
      if (this.stopping.signal.aborted) this.deps.log.info({ run_id: runId }, 'run paused by shutdown; it resumes at the next start');
      else if (!(err instanceof RunError && err.code === 'RUN_UNKNOWN')) this.deps.log.error({ run_id: runId, err }, 'run stopped');
    });
    return done;
  }

  /**
   * Appends what `compute` decides, against the run's state once every earlier append of the
   * run is durable (appends of one run go one after the other), then applies it. Resolves with
   * whether anything was written.
   */
  private transition(driver: Driver, compute: () => RunEvent[], thenDecide = false): Promise<boolean> {
    const next = driver.chain.then(async () => {
      const events = compute();
      if (events.length === 0) return false;
      if (thenDecide) {
        // What the new state starts goes into the same commit (a step's end and the next
        // step's start: one durable write per step, not two), decided on a copy, since
        // nothing of it is true until the write is durable.
        const ahead = driver.fold.clone();
        for (const e of events) ahead.apply(e);
        events.push(...decide(ahead, this.env()));
      }
      const from = driver.fold.count;
      await this.deps.runs.appendRunEvents(driver.runId, from, events, this.deps.audit?.(driver.runId, from, events));
      events.forEach((e, i) => {
        driver.fold.apply(e);
        for (const l of driver.listeners) l(from + i, e);
      });
      driver.failures = 0;
      for (const e of events) {
        // An attempt the engine timed out is a failure to reach its provider, as an answer saying so would be.
        if (e.type === 'step_failed' && e.reason === 'attempt_timeout') this.circuits.record(driver.fold.nodes.get(e.step)?.provider ?? 'local', { ok: false, reason: e.reason });
        // For crash tests: dies with the event durable and nothing after it done.
        crashPoint(`workflow.${e.type}`);
      }
      this.abandon(driver);
      driver.wakeup.notify();
      return true;
    });
    driver.chain = next.catch(() => undefined);
    return next;
  }

  private async loop(driver: Driver): Promise<RunState> {
    const { fold } = driver;
    const { clock } = this.deps;
    for (;;) {
      if (fold.finished !== undefined) return fold.state();
      if (this.stopping.signal.aborted) throw new RunError('RUN_PAUSED', `run ${driver.runId} paused: the gateway is stopping`);
      if (clock.now() < driver.backoffUntil) {
        await this.pause(driver, driver.backoffUntil);
        continue;
      }
      const decidedAt = clock.now();
      try {
        // An answer's transition may have finished the run while this one waited its turn.
        if ((await this.transition(driver, () => decide(fold, this.env()))) || fold.finished !== undefined) continue;
      } catch (err) {
        // The store refused the write (or deciding failed): nothing of it took effect. Try the
        // turn again after a backoff rather than leave the run undriven until a restart.
        this.failed(driver, err, 'could not record the run\'s next transition');
        continue;
      }
      this.carryOut(driver);
      // Only what falls due after this turn's decision: what was due then, decide saw. A
      // backoff that began meanwhile (an answer could not be recorded) is a time to wake too.
      const timer = nextTimer(fold, decidedAt);
      const next = driver.backoffUntil > clock.now() ? Math.min(timer ?? Infinity, driver.backoffUntil) : timer;
      if (next === undefined && driver.inflight.size === 0 && ![...fold.nodes.values()].some((n) => n.status === 'awaiting_approval' && n.held !== true)) {
        throw new RunError('RUN_STUCK', `run ${driver.runId} cannot progress: no step is ready, running or waiting`);
      }
      // Something fell due while this turn ran: decide again, after letting other work in.
      if (next !== undefined && next <= clock.now()) {
        await new Promise<void>((r) => setImmediate(r));
        continue;
      }
      await this.pause(driver, next);
    }
  }

  /** Waits for a notice (an answer, a decision, a cancellation), the time `until`, or the engine to stop. */
  private async pause(driver: Driver, until: number | undefined): Promise<void> {
    const sleeper = new AbortController();
    const waits: Promise<unknown>[] = [driver.wakeup.wait(), this.stopped];
    if (until !== undefined) waits.push(this.deps.clock.sleep(Math.max(0, until - this.deps.clock.now()), sleeper.signal).catch(() => undefined));
    await Promise.race(waits);
    driver.wakeup.stop();
    sleeper.abort();
  }

  /** Counts a failure to write and holds the run back, 0.5 s doubling up to 30 s, before it tries again. */
  private failed(driver: Driver, err: unknown, what: string): void {
    driver.failures++;
    const waitMs = Math.min(30_000, 500 * 2 ** (driver.failures - 1));
    driver.backoffUntil = this.deps.clock.now() + waitMs;
    this.deps.log[this.stopping.signal.aborted ? 'info' : 'error']({ run_id: driver.runId, err, retry_in_ms: waitMs }, what);
    driver.wakeup.notify();
  }

  /** Starts every attempt and compensation the state says is running and this process is not carrying out yet. */
  private carryOut(driver: Driver): void {
    const { fold } = driver;
    if (this.deps.clock.now() < driver.backoffUntil) return;
    for (const n of fold.nodes.values()) {
      const attempting = n.status === 'running' || (n.status === 'awaiting_approval' && n.held === true);
      if (attempting && n.children === undefined && n.taskId !== undefined && n.def.capability !== undefined && !driver.inflight.has(n.taskId)) {
        this.launch(driver, n, false);
      }
      const c = n.compensation;
      if (c?.status === 'running' && c.taskId !== undefined && !driver.inflight.has(c.taskId)) this.launch(driver, n, true);
    }
  }

  private launch(driver: Driver, n: StepState, undo: boolean): void {
    const { fold } = driver;
    const c = n.compensation;
    const taskId = undo ? c!.taskId! : n.taskId!;
    const provider = undo ? (c!.provider ?? 'local') : (n.provider ?? 'local');
    const abort = new AbortController();
    const entry = { node: n.id, abort, undo, answered: false };
    driver.inflight.set(taskId, entry);
    const now = this.deps.clock.now();
    const attempt = n.attempt;
    const task: StepTask = {
      taskId,
      capability: undo ? n.def.compensate!.capability : n.def.capability!,
      at: provider,
      purpose: n.def.purpose ?? 'workflow',
      input: undo ? c!.input : n.input,
      ...(!undo && n.timeoutAt !== undefined ? { timeoutMs: Math.max(1, n.timeoutAt - now) } : {}),
      signal: abort.signal,
      idempotencyKey: `${fold.runId}.${n.id}${undo ? ':undo' : ''}`,
      run: { runId: fold.runId, workflow: fold.definition.name, step: n.id, ...(fold.parentTask !== undefined ? { parentTask: fold.parentTask } : {}) },
      onHeld: () => {
        if (!undo) void this.transition(driver, () => onHeld(fold, n.id, attempt, taskId, this.env())).catch(() => undefined);
      },
    };
    void this.deps.executor
      .execute(task)
      .catch((err: unknown): Outcome => ({ ok: false, reason: (err as { reason?: string }).reason ?? 'internal', message: (err as Error).message, retryable: false }))
      .then((outcome) => {
        // Answered: nothing left to abort, whatever the run does next.
        entry.answered = true;
        if (!undo) this.circuits.record(provider, outcome);
        return this.transition(driver, () => (undo ? onCompensation(fold, n.id, taskId, outcome, this.env()) : onOutcome(fold, n.id, attempt, taskId, outcome, this.env())), true);
      })
      .catch((err: unknown) => {
        // The answer is lost: after a backoff the attempt is asked again under the same task
        // id (a partner answers it from its record; a local agent runs again, with the same
        // idempotency key).
        this.failed(driver, err, `could not record the outcome of ${taskId}; it is asked again after a backoff`);
      })
      .finally(() => {
        driver.inflight.delete(taskId);
        driver.wakeup.notify();
        if (driver.inflight.size === 0 && fold.finished !== undefined && this.drivers.get(fold.runId) === driver) this.drivers.delete(fold.runId);
      });
  }

  /** Aborts attempts the run no longer waits for: timed out, superseded, cancelled. Their answers are recorded as late. */
  private abandon(driver: Driver): void {
    for (const [taskId, entry] of driver.inflight) {
      if (entry.abort.signal.aborted || entry.answered) continue;
      const n = driver.fold.nodes.get(entry.node);
      const attempting = n?.status === 'running' || (n?.status === 'awaiting_approval' && n.held === true);
      const current = entry.undo ? n?.compensation?.status === 'running' && n.compensation.taskId === taskId : attempting && n?.taskId === taskId;
      if (!current) entry.abort.abort(new RunError('RUN_PAUSED', `the attempt ${taskId} was abandoned`));
    }
  }
}

/** The earliest instant at which something in the run is due: a retry, a timeout, a deadline, an approval's expiry. */
function nextTimer(fold: RunFold, after: number): number | undefined {
  const times: number[] = [];
  if (fold.deadlineAt !== undefined) times.push(fold.deadlineAt);
  for (const n of fold.nodes.values()) {
    if (n.status === 'waiting' && n.fireAt !== undefined) times.push(n.fireAt);
    if ((n.status === 'running' || n.status === 'waiting' || n.held === true) && n.deadlineAt !== undefined) times.push(n.deadlineAt);
    if (n.status === 'running' && n.children === undefined && n.timeoutAt !== undefined) times.push(n.timeoutAt);
    if (n.status === 'awaiting_approval' && n.approval?.expiresAt !== undefined) times.push(n.approval.expiresAt);
    if (n.compensation?.status === 'waiting' && n.compensation.retryAt !== undefined) times.push(n.compensation.retryAt);
    if (n.compensation?.status === 'running' && n.compensation.timeoutAt !== undefined) times.push(n.compensation.timeoutAt);
  }
  const due = times.filter((t) => t > after);
  return due.length === 0 ? undefined : Math.min(...due);
}

function alreadyDecided(approvalId: string, d: { readonly decision: string; readonly by: string; readonly reason: string }): RunError {
  return new RunError('APPROVAL_DECIDED', `${approvalId} was already decided: ${d.decision} by ${d.by} (${d.reason})`);
}

function unknownApproval(approvalId: string): RunError {
  return new RunError('APPROVAL_UNKNOWN', `no approval ${JSON.stringify(approvalId)} waits here; entente approvals list shows the ones that do`);
}

function pendingOf(fold: RunFold, n: StepState): PendingApproval {
  const a = n.approval!;
  return {
    approvalId: a.approvalId,
    kind: a.kind,
    runId: fold.runId,
    workflow: fold.definition.name,
    step: n.id,
    details: a.details,
    requestedAt: a.requestedAt,
    ...(a.expiresAt !== undefined ? { expiresAt: a.expiresAt } : {}),
    decisions: APPROVAL_DECISIONS[a.kind],
  };
}
