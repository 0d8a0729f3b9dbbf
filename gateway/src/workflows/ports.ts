import type { StatementRecord } from '../audit/index.js';
import type { StepDefinition, WorkflowDefinition } from './definition.js';

/**
 * A run is the events that happened to it; its state is a fold over them (state.ts). Every
 * transition is appended durably before it takes effect elsewhere, so a gateway that crashes
 * resumes each unfinished run from its events.
 *
 * Events name a *node*: a step of the definition (`total`), one item of a foreach step
 * (`counts[2]`), or a step of an accepted plan (`consult.cardiology`). Timers are times written
 * into events: a retry's backoff in `timer_set`, an attempt's timeout in `step_started.timeoutAt`,
 * a step's deadline in `step_started.deadlineAt`, the run's in `run_started.deadlineAt`, an
 * approval's in `approval_requested.expiresAt`; a resumed run waits for the same instants.
 */
export type RunEvent =
  | {
      readonly type: 'run_started';
      readonly at: number;
      readonly definition: WorkflowDefinition;
      readonly input: unknown;
      readonly deadlineAt?: number;
      /** The task this run serves, when a partner's request started it (a nested workflow). */
      readonly parentTask?: { readonly org: string; readonly taskId: string };
    }
  /** Written before the step's task is submitted: its id is what a retry after a crash re-uses. */
  | (Attempt & {
      readonly type: 'step_started';
      /** The step's deadline, fixed by its first attempt. */
      readonly deadlineAt?: number;
    })
  | { readonly type: 'step_completed'; readonly at: number; readonly step: string; readonly attempt: number; readonly output: unknown }
  | {
      readonly type: 'step_failed';
      readonly at: number;
      readonly step: string;
      readonly attempt: number;
      readonly reason: string;
      readonly message: string;
      readonly retryable: boolean;
      /** The failure is final: no retry, no fallback, no escalation follows. */
      readonly final?: boolean;
    }
  /**
   * The partner's own policy holds the step's task for one of its people to decide: the
   * attempt's timeout stops counting (the step's and the run's deadlines still do).
   */
  | { readonly type: 'step_held'; readonly at: number; readonly step: string; readonly attempt: number; readonly taskId: string }
  /** An answer that came after its attempt had ended (timed out, cancelled): kept, not used. */
  | { readonly type: 'step_late'; readonly at: number; readonly step: string; readonly attempt: number; readonly taskId: string; readonly outcome: string }
  /** The next attempt, at `provider` (the same one: a retry; the next one: a fallback), may start at `fireAt`. */
  | { readonly type: 'timer_set'; readonly at: number; readonly step: string; readonly attempt: number; readonly fireAt: number; readonly provider: string }
  | { readonly type: 'step_skipped'; readonly at: number; readonly step: string; readonly why: string }
  /** The run was cancelled or ran out of time while the step was unfinished (its attempt is aborted). */
  | { readonly type: 'step_cancelled'; readonly at: number; readonly step: string; readonly why: string }
  /** A foreach step's items, fixed once: the nodes `<step>[0]` … `<step>[n-1]`. */
  | { readonly type: 'foreach_expanded'; readonly at: number; readonly step: string; readonly items: readonly unknown[] }
  /** A plan step's agent proposed these steps and they passed every check: the nodes `<step>.<id>`. */
  | { readonly type: 'plan_accepted'; readonly at: number; readonly step: string; readonly steps: readonly StepDefinition[] }
  /** A person is asked: to approve a step, or (escalation) what to do about a step that failed. */
  | {
      readonly type: 'approval_requested';
      readonly at: number;
      readonly step: string;
      readonly approvalId: string;
      readonly kind: ApprovalKind;
      /** What the approver sees: the step's mapped input, or the failure. */
      readonly details: unknown;
      readonly expiresAt?: number;
    }
  | {
      readonly type: 'approval_decided';
      readonly at: number;
      readonly step: string;
      readonly approvalId: string;
      readonly decision: ApprovalDecision;
      /** Who decided (the approver's certificate name, `local` on the socket), or `timeout`. */
      readonly by: string;
      readonly reason: string;
      /** With `skip`: the output the step gets. */
      readonly output?: unknown;
    }
  /** Undoing a completed step after the run failed or was cancelled (under the step's attempt timeout). */
  | (Attempt & { readonly type: 'compensation_started' })
  | { readonly type: 'compensation_completed'; readonly at: number; readonly step: string }
  /** With `retryAt`, another attempt follows then; without, the step stays done and the run's end says so. */
  | { readonly type: 'compensation_failed'; readonly at: number; readonly step: string; readonly reason: string; readonly message: string; readonly retryAt?: number }
  | { readonly type: 'run_cancel_requested'; readonly at: number; readonly by: string; readonly reason: string }
  | {
      readonly type: 'run_finished';
      readonly at: number;
      readonly status: RunStatus;
      readonly output?: unknown;
      readonly reason?: string;
      /** Steps that failed and were continued past: the output is partial. */
      readonly partial?: readonly string[];
    };

/** What every attempt records when it starts: a step's, or a compensation's. */
interface Attempt {
  readonly at: number;
  readonly step: string;
  readonly attempt: number;
  readonly taskId: string;
  readonly input: unknown;
  /** `local` or the partner's org id chosen for this attempt. */
  readonly provider: string;
  readonly timeoutAt?: number;
}

export type RunEventType = RunEvent['type'];
export type RunStatus = 'completed' | 'failed' | 'cancelled';
/** `approval`: an approval step; `escalation`: a step failed and asks a person what to do. */
export type ApprovalKind = 'approval' | 'escalation';
/**
 * approve/reject decide an approval step; retry/skip/fail decide an escalation (retry the
 * step from its first provider, skip it with a given output, or fail it).
 */
export type ApprovalDecision = 'approve' | 'reject' | 'retry' | 'skip' | 'fail';

/** A run as listed, without its events. */
export interface RunSummary {
  readonly runId: string;
  readonly workflow: string;
  readonly status: 'running' | RunStatus;
  readonly startedAt: number;
  readonly updatedAt: number;
}

export interface RunFilter {
  readonly status?: RunSummary['status'];
  /** Newest first; default 100. */
  readonly limit?: number;
  readonly offset?: number;
}

/** The event log of runs, one sequence per run. Declared here, implemented by store/ drivers. */
export interface RunEventLog {
  /**
   * Appends events to a run at position `from` (the number of events it already has): if
   * another writer got there first, rejects with RUN_CONFLICT and writes nothing.
   */
  appendRunEvents(runId: string, from: number, events: readonly RunEvent[], statements?: readonly StatementRecord[]): Promise<void>;
  readRun(runId: string): Promise<RunEvent[]>;
  /** Runs with a run_started event and no run_finished one. */
  unfinishedRuns(): Promise<string[]>;
  listRuns(filter?: RunFilter): Promise<RunSummary[]>;
}
