// Original file: proto/entente/control/v1/control.proto

export const TaskStatus = {
  TASK_STATUS_UNSPECIFIED: 'TASK_STATUS_UNSPECIFIED',
  TASK_STATUS_RUNNING: 'TASK_STATUS_RUNNING',
  TASK_STATUS_COMPLETED: 'TASK_STATUS_COMPLETED',
  TASK_STATUS_FAILED: 'TASK_STATUS_FAILED',
  TASK_STATUS_DENIED: 'TASK_STATUS_DENIED',
  TASK_STATUS_CANCELLED: 'TASK_STATUS_CANCELLED',
  /**
   * The responder holds the task for a person's approval (ListApprovals there, kind inbound).
   */
  TASK_STATUS_AWAITING_APPROVAL: 'TASK_STATUS_AWAITING_APPROVAL',
  /**
   * Approved at the responder: it runs when the requester asks again (which its gateway does).
   */
  TASK_STATUS_APPROVED: 'TASK_STATUS_APPROVED',
} as const;

export type TaskStatus =
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
   * The responder holds the task for a person's approval (ListApprovals there, kind inbound).
   */
  | 'TASK_STATUS_AWAITING_APPROVAL'
  | 6
  /**
   * Approved at the responder: it runs when the requester asks again (which its gateway does).
   */
  | 'TASK_STATUS_APPROVED'
  | 7

export type TaskStatus__Output = typeof TaskStatus[keyof typeof TaskStatus]
