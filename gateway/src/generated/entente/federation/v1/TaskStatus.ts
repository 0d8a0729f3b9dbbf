// Original file: proto/entente/federation/v1/federation.proto

export const TaskStatus = {
  /**
   * Never sent; a receiver treats it as an error.
   */
  TASK_STATUS_UNSPECIFIED: 'TASK_STATUS_UNSPECIFIED',
  TASK_STATUS_RUNNING: 'TASK_STATUS_RUNNING',
  TASK_STATUS_COMPLETED: 'TASK_STATUS_COMPLETED',
  TASK_STATUS_FAILED: 'TASK_STATUS_FAILED',
  TASK_STATUS_DENIED: 'TASK_STATUS_DENIED',
  TASK_STATUS_CANCELLED: 'TASK_STATUS_CANCELLED',
  /**
   * Held by the responder's inbound policy for a person's decision; not final.
   */
  TASK_STATUS_AWAITING_APPROVAL: 'TASK_STATUS_AWAITING_APPROVAL',
  /**
   * Approved, but the responder no longer holds the input (it restarted): the requester MUST
   * submit the task again (same task_id and content) to run it. Not final.
   */
  TASK_STATUS_APPROVED: 'TASK_STATUS_APPROVED',
} as const;

export type TaskStatus =
  /**
   * Never sent; a receiver treats it as an error.
   */
  | 'TASK_STATUS_UNSPECIFIED'
  | 0
  | 'TASK_STATUS_RUNNING'
  | 1
  | 'TASK_STATUS_COMPLETED'
  | 2
  | 'TASK_STATUS_FAILED'
  | 3
  | 'TASK_STATUS_DENIED'
  | 4
  | 'TASK_STATUS_CANCELLED'
  | 5
  /**
   * Held by the responder's inbound policy for a person's decision; not final.
   */
  | 'TASK_STATUS_AWAITING_APPROVAL'
  | 6
  /**
   * Approved, but the responder no longer holds the input (it restarted): the requester MUST
   * submit the task again (same task_id and content) to run it. Not final.
   */
  | 'TASK_STATUS_APPROVED'
  | 7

export type TaskStatus__Output = typeof TaskStatus[keyof typeof TaskStatus]
