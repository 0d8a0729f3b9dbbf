import { EntenteError } from '../lib/index.js';

export const WORKFLOW_ERROR_CODES = {
  WORKFLOW_INVALID: 'a workflow definition does not parse, breaks its schema, or fails a static check; every problem is listed with its location',
} as const;

export type WorkflowErrorCode = keyof typeof WORKFLOW_ERROR_CODES;

/** A workflow cannot be used; `problems` lists each with its location, nothing of it has run. */
export class WorkflowError extends EntenteError<WorkflowErrorCode> {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super('WORKFLOW_INVALID', `${source}: invalid workflow:\n  ${problems.join('\n  ')}`);
  }
}
