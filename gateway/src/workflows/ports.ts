import type { WorkflowDefinition } from './definition.js';

/**
 * A run is the events that happened to it; its state is a fold over them (state.ts). Every
 * transition is appended durably before it takes effect elsewhere, so a gateway that crashes
 * resumes each unfinished run from its events.
 */
export type RunEvent =
  | { readonly type: 'run_started'; readonly at: number; readonly definition: WorkflowDefinition; readonly input: unknown }
  /** Written before the step's task is submitted: its id is what a retry after a crash re-uses. */
  | { readonly type: 'step_started'; readonly at: number; readonly step: string; readonly attempt: number; readonly taskId: string; readonly input: unknown }
  | { readonly type: 'step_completed'; readonly at: number; readonly step: string; readonly attempt: number; readonly output: unknown }
  | {
      readonly type: 'step_failed';
      readonly at: number;
      readonly step: string;
      readonly attempt: number;
      readonly reason: string;
      readonly message: string;
      readonly retryable: boolean;
    }
  /** A retry's backoff: the next attempt may start at `fireAt`. */
  | { readonly type: 'timer_set'; readonly at: number; readonly step: string; readonly attempt: number; readonly fireAt: number }
  | { readonly type: 'step_skipped'; readonly at: number; readonly step: string; readonly why: string }
  | { readonly type: 'run_finished'; readonly at: number; readonly status: 'completed' | 'failed'; readonly output?: unknown; readonly reason?: string };

export type RunEventType = RunEvent['type'];

/** The event log of runs, one sequence per run. Declared here, implemented by store/ drivers. */
export interface RunEventLog {
  /**
   * Appends events to a run at position `from` (the number of events it already has): if
   * another writer got there first, rejects with RUN_CONFLICT and writes nothing.
   */
  appendRunEvents(runId: string, from: number, events: readonly RunEvent[]): Promise<void>;
  readRun(runId: string): Promise<RunEvent[]>;
  /** Runs with a run_started event and no run_finished one. */
  unfinishedRuns(): Promise<string[]>;
}
