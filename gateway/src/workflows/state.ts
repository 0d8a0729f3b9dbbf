import type { StepDefinition, WorkflowDefinition } from './definition.js';
import type { RunEvent } from './ports.js';

export type StepStatus = 'pending' | 'running' | 'waiting' | 'completed' | 'failed' | 'skipped';

export interface StepState {
  readonly status: StepStatus;
  /** The attempt running, or the next one (waiting), or the last one. */
  readonly attempt: number;
  readonly taskId?: string;
  readonly input?: unknown;
  readonly output?: unknown;
  readonly reason?: string;
  readonly message?: string;
  /** When waiting: the time the next attempt may start. */
  readonly fireAt?: number;
}

export interface RunState {
  readonly runId: string;
  readonly definition: WorkflowDefinition;
  readonly input: unknown;
  readonly steps: ReadonlyMap<string, StepState>;
  readonly finished?: { readonly status: 'completed' | 'failed'; readonly output?: unknown; readonly reason?: string };
  /** How many events the state was folded from: where the next append goes. */
  readonly events: number;
}

/** A run's state as the fold of its events; the first must be run_started. */
export function foldRun(runId: string, events: readonly RunEvent[]): RunState {
  const first = events[0];
  if (first?.type !== 'run_started') throw new TypeError(`run ${runId} has no run_started event`);
  const steps = new Map<string, StepState>(first.definition.steps.map((s) => [s.id, { status: 'pending', attempt: 0 }]));
  let finished: RunState['finished'];
  for (const e of events.slice(1)) {
    const prev = 'step' in e ? steps.get(e.step) : undefined;
    switch (e.type) {
      case 'step_started':
        steps.set(e.step, { status: 'running', attempt: e.attempt, taskId: e.taskId, input: e.input });
        break;
      case 'step_completed':
        steps.set(e.step, { ...prev, status: 'completed', attempt: e.attempt, output: e.output });
        break;
      case 'step_failed':
        steps.set(e.step, { ...prev, status: 'failed', attempt: e.attempt, reason: e.reason, message: e.message });
        break;
      case 'timer_set':
        steps.set(e.step, { ...prev, status: 'waiting', attempt: e.attempt, fireAt: e.fireAt });
        break;
      case 'step_skipped':
        steps.set(e.step, { status: 'skipped', attempt: 0, message: e.why });
        break;
      case 'run_finished':
        finished = { status: e.status, ...(e.output !== undefined ? { output: e.output } : {}), ...(e.reason !== undefined ? { reason: e.reason } : {}) };
        break;
      case 'run_started':
        throw new TypeError(`run ${runId} was started twice`);
    }
  }
  return { runId, definition: first.definition, input: first.input, steps, ...(finished !== undefined ? { finished } : {}), events: events.length };
}

/** Whether a step is done as far as the steps that need it are concerned. */
export function settled(step: StepDefinition, state: StepState): boolean {
  return state.status === 'completed' || state.status === 'skipped' || (state.status === 'failed' && step.on_failure === 'continue');
}
