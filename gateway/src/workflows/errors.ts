import { EntenteError } from '../lib/index.js';

export const WORKFLOW_ERROR_CODES = {
  WORKFLOW_INVALID: 'a workflow definition does not parse, breaks its schema, or fails a static check; every problem is listed with its location',
  RUN_CONFLICT: "another writer appended to the run's events first (two gateways driving one run)",
  RUN_STUCK: 'a run has no step ready, running or waiting, yet has not finished (a bug in the engine)',
  RUN_PAUSED: 'the gateway stopped while the run was going; it resumes at the next start',
  RUN_UNKNOWN: 'this gateway holds no run with that id; entente runs list shows the runs it holds',
  APPROVAL_UNKNOWN: 'no approval with that id waits here; entente approvals list shows the ones that do',
  APPROVAL_DECIDED: 'the approval was already decided (by a person, or by its timeout); its run has gone on',
  APPROVAL_DECISION_INVALID: 'that decision does not apply to this approval: approve or reject an approval, retry, skip or fail an escalation, always with a reason',
} as const;

export type WorkflowErrorCode = keyof typeof WORKFLOW_ERROR_CODES;

/** A workflow cannot be used; `problems` lists each with its location, nothing of it has run. */
export class WorkflowError extends EntenteError<'WORKFLOW_INVALID'> {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super('WORKFLOW_INVALID', `${source}: invalid workflow:\n  ${problems.join('\n  ')}`);
  }
}

/** A run could not go on: its events were written by someone else, or it cannot progress. */
export class RunError extends EntenteError<Exclude<WorkflowErrorCode, 'WORKFLOW_INVALID'>> {}
