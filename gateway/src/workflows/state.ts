import type { StepDefinition, WorkflowDefinition } from './definition.js';
import type { ApprovalDecision, ApprovalKind, RunEvent, RunStatus } from './ports.js';

export type StepStatus = 'pending' | 'running' | 'waiting' | 'awaiting_approval' | 'completed' | 'failed' | 'skipped' | 'cancelled';

/** One node of a run: a step, a foreach item (`s[2]`), or a step of an accepted plan (`p.x`). */
export interface StepState {
  /** The node's key. */
  readonly id: string;
  /** The definition it runs. */
  readonly def: StepDefinition;
  /** The foreach step or plan step this node belongs to. */
  readonly parent?: string;
  /** A foreach item's value and position. */
  readonly item?: { readonly value: unknown; readonly index: number };
  readonly status: StepStatus;
  /** The attempt running, or the next one (waiting), or the last one. */
  readonly attempt: number;
  /** Where the current (or last) attempt runs: `local` or a partner's org id. */
  readonly provider?: string;
  /** Providers tried since the step's last (re)start, in order. */
  readonly tried: readonly string[];
  /** Attempts made at the current provider since it was chosen. */
  readonly attemptsHere: number;
  /** When waiting: where the next attempt goes. */
  readonly nextProvider?: string;
  readonly taskId?: string;
  readonly input?: unknown;
  readonly output?: unknown;
  readonly reason?: string;
  readonly message?: string;
  /** When waiting: the time the next attempt may start. */
  readonly fireAt?: number;
  readonly timeoutAt?: number;
  readonly deadlineAt?: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  /** The open request for a person's decision, while awaiting_approval. */
  readonly approval?: { readonly approvalId: string; readonly kind: ApprovalKind; readonly details: unknown; readonly requestedAt: number; readonly expiresAt?: number };
  /** How the last decision went. */
  readonly decided?: { readonly approvalId: string; readonly decision: ApprovalDecision; readonly by: string; readonly reason: string; readonly at: number };
  /** Undoing the step after the run failed. */
  readonly compensation?: {
    readonly status: 'running' | 'waiting' | 'completed' | 'failed';
    readonly taskId?: string;
    readonly attempt: number;
    readonly input?: unknown;
    readonly provider?: string;
    readonly reason?: string;
    /** When waiting: the next attempt's time. */
    readonly retryAt?: number;
    /** When running: when the attempt times out. */
    readonly timeoutAt?: number;
  };
  /** The current attempt's task is held at the partner for its people's approval. */
  readonly held?: boolean;
  /** Answers that arrived after their attempt had ended. */
  readonly late: number;
  /** Of a plan step, once accepted: its steps' node keys. */
  readonly children?: readonly string[];
  /** Order of completion, for compensation in reverse. */
  readonly completedSeq?: number;
}

export interface RunState {
  readonly runId: string;
  readonly definition: WorkflowDefinition;
  readonly input: unknown;
  readonly status: 'running' | RunStatus;
  /** Every node, in the order nodes came to exist. */
  readonly steps: ReadonlyMap<string, StepState>;
  readonly startedAt: number;
  readonly deadlineAt?: number;
  readonly parentTask?: { readonly org: string; readonly taskId: string };
  readonly cancel?: { readonly by: string; readonly reason: string; readonly at: number };
  readonly finished?: { readonly status: RunStatus; readonly output?: unknown; readonly reason?: string; readonly partial?: readonly string[]; readonly at: number };
  /** How many events the state was folded from: where the next append goes. */
  readonly events: number;
}

/** A decision waiting for a person. */
export interface PendingApproval {
  readonly approvalId: string;
  /** approval and escalation belong to a run's step; inbound is a partner's task our policy holds. */
  readonly kind: ApprovalKind | 'inbound';
  readonly runId?: string;
  readonly workflow?: string;
  readonly step?: string;
  /** For inbound: the partner's task. */
  readonly task?: { readonly taskId: string; readonly partner: string; readonly capability: string; readonly purpose: string };
  readonly details: unknown;
  readonly requestedAt: number;
  readonly expiresAt?: number;
  readonly decisions: readonly ApprovalDecision[];
  /** Once decided. */
  readonly decided?: { readonly decision: ApprovalDecision; readonly by: string; readonly reason: string; readonly at: number };
}

export const APPROVAL_DECISIONS: Readonly<Record<ApprovalKind | 'inbound', readonly ApprovalDecision[]>> = {
  approval: ['approve', 'reject'],
  escalation: ['retry', 'skip', 'fail'],
  inbound: ['approve', 'reject'],
};

type MutableStep = { -readonly [K in keyof StepState]: StepState[K] };

/**
 * A run's state, folded event by event. `apply` mutates the fold in place (the engine keeps
 * one per run and applies what it appends); `foldRun` replays a whole log.
 */
export class RunFold {
  readonly nodes = new Map<string, MutableStep>();
  cancel: RunState['cancel'];
  finished: RunState['finished'];
  count = 0;
  private completions = 0;
  readonly definition: WorkflowDefinition;
  readonly input: unknown;
  readonly startedAt: number;
  readonly deadlineAt: number | undefined;
  readonly parentTask: RunState['parentTask'];

  constructor(
    readonly runId: string,
    first: RunEvent | undefined,
  ) {
    if (first?.type !== 'run_started') throw new TypeError(`run ${runId} has no run_started event`);
    this.definition = first.definition;
    this.input = first.input;
    this.startedAt = first.at;
    this.deadlineAt = first.deadlineAt;
    this.parentTask = first.parentTask;
    for (const def of first.definition.steps) this.add({ id: def.id, def });
    this.count = 1;
  }

  private add(init: Pick<MutableStep, 'id' | 'def'> & Partial<MutableStep>): void {
    this.nodes.set(init.id, { status: 'pending', attempt: 0, tried: [], attemptsHere: 0, late: 0, ...init });
  }

  private node(id: string): MutableStep {
    const n = this.nodes.get(id);
    if (n === undefined) throw new TypeError(`run ${this.runId}: an event names ${id}, which is not a step of the run`);
    return n;
  }

  apply(e: RunEvent): void {
    this.count++;
    switch (e.type) {
      case 'run_started':
        throw new TypeError(`run ${this.runId} was started twice`);
      case 'step_started': {
        const n = this.node(e.step);
        const same = n.tried.at(-1) === e.provider;
        Object.assign(n, {
          status: 'running',
          tried: same ? n.tried : [...n.tried, e.provider],
          attemptsHere: same ? n.attemptsHere + 1 : 1,
          nextProvider: undefined,
          attempt: e.attempt,
          taskId: e.taskId,
          input: e.input,
          provider: e.provider,
          timeoutAt: e.timeoutAt,
          deadlineAt: e.deadlineAt ?? n.deadlineAt,
          startedAt: n.startedAt ?? e.at,
          fireAt: undefined,
          reason: undefined,
          message: undefined,
          held: false,
        });
        break;
      }
      case 'step_completed':
        Object.assign(this.node(e.step), { status: 'completed', attempt: e.attempt, output: e.output, finishedAt: e.at, approval: undefined, held: false, completedSeq: this.completions++ });
        break;
      case 'step_failed':
        Object.assign(this.node(e.step), { status: 'failed', attempt: e.attempt, reason: e.reason, message: e.message, finishedAt: e.at, approval: undefined, held: false });
        break;
      case 'step_held':
        Object.assign(this.node(e.step), { status: 'awaiting_approval', held: true, timeoutAt: undefined });
        break;
      case 'step_late':
        this.node(e.step).late++;
        break;
      case 'timer_set':
        Object.assign(this.node(e.step), { status: 'waiting', attempt: e.attempt, fireAt: e.fireAt, nextProvider: e.provider, finishedAt: undefined });
        break;
      case 'step_cancelled':
        Object.assign(this.node(e.step), { status: 'cancelled', message: e.why, finishedAt: e.at, approval: undefined, held: false });
        break;
      case 'step_skipped':
        Object.assign(this.node(e.step), { status: 'skipped', message: e.why, finishedAt: e.at });
        break;
      case 'foreach_expanded': {
        const parent = this.node(e.step);
        Object.assign(parent, {
          status: 'running',
          startedAt: e.at,
          children: e.items.map((_, i) => `${e.step}[${i}]`),
          ...(parent.def.deadline !== undefined ? { deadlineAt: e.at + parent.def.deadline } : {}),
        });
        e.items.forEach((value, index) => this.add({ id: `${e.step}[${index}]`, def: parent.def, parent: e.step, item: { value, index } }));
        break;
      }
      case 'plan_accepted': {
        const parent = this.node(e.step);
        Object.assign(parent, { status: 'running', children: e.steps.map((s) => `${e.step}.${s.id}`) });
        for (const def of e.steps) this.add({ id: `${e.step}.${def.id}`, def, parent: e.step });
        break;
      }
      case 'approval_requested':
        Object.assign(this.node(e.step), {
          status: 'awaiting_approval',
          startedAt: this.node(e.step).startedAt ?? e.at,
          approval: { approvalId: e.approvalId, kind: e.kind, details: e.details, requestedAt: e.at, ...(e.expiresAt !== undefined ? { expiresAt: e.expiresAt } : {}) },
        });
        break;
      case 'approval_decided': {
        const n = this.node(e.step);
        Object.assign(n, { approval: undefined, decided: { approvalId: e.approvalId, decision: e.decision, by: e.by, reason: e.reason, at: e.at } });
        // retry starts the step over with every provider; the other decisions are followed by
        // the step_completed / step_failed event that carries them out.
        if (e.decision === 'retry') Object.assign(n, { status: 'pending', tried: [], attemptsHere: 0, reason: undefined, message: undefined, deadlineAt: undefined });
        break;
      }
      case 'compensation_started':
        this.node(e.step).compensation = { status: 'running', taskId: e.taskId, attempt: e.attempt, input: e.input, provider: e.provider, ...(e.timeoutAt !== undefined ? { timeoutAt: e.timeoutAt } : {}) };
        break;
      case 'compensation_completed': {
        const n = this.node(e.step);
        n.compensation = { ...n.compensation!, status: 'completed' };
        break;
      }
      case 'compensation_failed': {
        const n = this.node(e.step);
        const { timeoutAt: _done, ...previous } = n.compensation ?? { attempt: 0 };
        n.compensation = { ...previous, status: e.retryAt !== undefined ? 'waiting' : 'failed', reason: `${e.reason}: ${e.message}`, ...(e.retryAt !== undefined ? { retryAt: e.retryAt } : {}) };
        break;
      }
      case 'run_cancel_requested':
        this.cancel ??= { by: e.by, reason: e.reason, at: e.at };
        break;
      case 'run_finished':
        this.finished = {
          status: e.status,
          at: e.at,
          ...(e.output !== undefined ? { output: e.output } : {}),
          ...(e.reason !== undefined ? { reason: e.reason } : {}),
          ...(e.partial !== undefined && e.partial.length > 0 ? { partial: e.partial } : {}),
        };
        break;
    }
  }

  /** A copy to decide ahead on (nodes copied one level deep: apply replaces or assigns their fields). */
  clone(): RunFold {
    const copy = Object.create(RunFold.prototype) as RunFold;
    Object.assign(copy, this, { nodes: new Map([...this.nodes].map(([k, v]) => [k, { ...v }])) });
    return copy;
  }

  state(): RunState {
    const steps = new Map<string, StepState>();
    for (const [k, v] of this.nodes) steps.set(k, { ...v });
    return {
      runId: this.runId,
      definition: this.definition,
      input: this.input,
      status: this.finished?.status ?? 'running',
      steps,
      startedAt: this.startedAt,
      events: this.count,
      ...(this.deadlineAt !== undefined ? { deadlineAt: this.deadlineAt } : {}),
      ...(this.parentTask !== undefined ? { parentTask: this.parentTask } : {}),
      ...(this.cancel !== undefined ? { cancel: this.cancel } : {}),
      ...(this.finished !== undefined ? { finished: this.finished } : {}),
    };
  }
}

/** A run's state as the fold of its events; the first must be run_started. */
export function foldRun(runId: string, events: readonly RunEvent[]): RunState {
  const fold = new RunFold(runId, events[0]);
  for (const e of events.slice(1)) fold.apply(e);
  return fold.state();
}

/** Whether a node is done as far as the steps that need it are concerned. */
export function settled(state: Pick<StepState, 'status' | 'def'>): boolean {
  return state.status === 'completed' || state.status === 'skipped' || (state.status === 'failed' && state.def.on_failure === 'continue');
}
