/**
 * What `audit verify` and `audit reconcile` report. Each finding names its code, what is wrong,
 * and the task (or checkpoint, or partner) it is about; a bundle verifies when there is none.
 */
export const FINDING_CODES = {
  BUNDLE_MALFORMED: 'the bundle is not an entente.audit-bundle/v1 document',
  KEY_INVALID: 'a key in the bundle does not parse',
  LOG_CHECKPOINT_INVALID: 'a checkpoint is malformed or not signed by the log key of its organization',
  LOG_INCONSISTENT: 'a checkpoint is inconsistent with the head (or with what a partner witnessed): history was rewritten',
  LOG_PROOF_INVALID: 'a statement is not in the log at its index: its inclusion proof does not lead to the head',
  LOG_INDEX_DUPLICATE: 'two statements claim the same log index',
  COSIGNATURE_INVALID: "a partner's cosignature on a checkpoint does not verify",
  WITNESSED_INVALID: "a partner's checkpoint this organization says it witnessed is not signed by the partner or lacks a valid cosignature",
  RECEIPT_INVALID: 'a statement does not verify (signature, key, shape, parties); the message says which check failed',
  RECEIPT_KEY_NOT_VALID: "a statement was signed with a key outside the key's validity period",
  RECEIPT_MISSING: "a task's request or result statement is not in the bundle: a statement was removed",
  RECEIPT_CONFLICT: 'a task has two different statements of the same kind',
  RECEIPT_CHAIN_BROKEN: 'a result does not cite its request, or an ack its result',
  TASK_UNLISTED: "statements of a task the bundle's task list does not name",
  RECEIPT_UNACKNOWLEDGED: 'a final result was never acknowledged (or its ack is still waiting in the outbox)',
  RUN_TASK_MISSING: "a workflow run's step cites a task at a partner whose request statement is not in the log",
  ALARM: 'the exporting gateway raised an alarm about a partner log',
  TASK_ONE_SIDED: 'reconcile: a task between the two organizations is in one bundle only',
  STATEMENT_DIFFERS: 'reconcile: the two organizations hold different statements for the same task and kind',
  STATEMENT_ONE_SIDED: 'reconcile: a statement of a task is held by one organization only',
} as const;

export type FindingCode = keyof typeof FINDING_CODES;

export interface Finding {
  readonly code: FindingCode;
  readonly message: string;
  readonly taskId?: string;
  readonly partner?: string;
  /** A checkpoint size, a log index, a key id: what else the finding is about. */
  readonly subject?: string;
}
