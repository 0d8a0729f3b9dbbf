// Original file: proto/entente/control/v1/control.proto

import type { Role as _entente_control_v1_Role, Role__Output as _entente_control_v1_Role__Output } from '../../../entente/control/v1/Role.js';
import type { TaskStatus as _entente_control_v1_TaskStatus, TaskStatus__Output as _entente_control_v1_TaskStatus__Output } from '../../../entente/control/v1/TaskStatus.js';

export interface TaskSummary {
  'task_id'?: (string);
  'role'?: (_entente_control_v1_Role);
  'partner'?: (string);
  'capability'?: (string);
  'purpose'?: (string);
  'status'?: (_entente_control_v1_TaskStatus);
  'reason'?: (string);
  /**
   * RFC 3339 timestamps.
   */
  'created_at'?: (string);
  'updated_at'?: (string);
  /**
   * The state of the receipts held here: verified, verified_local_denial, incomplete, invalid.
   */
  'receipts'?: (string);
  /**
   * Where the task's ack stands. As requester: delivered (the partner has it), pending (signed
   * and stored; the outbox retries it until the partner has it), failed (the partner refused it
   * for good), missing (not final yet: no ack signed), none (our outbound policy refused the
   * request). As responder: delivered (the requester's ack arrived) or missing (unacknowledged).
   */
  'ack'?: (string);
}

export interface TaskSummary__Output {
  'task_id': (string);
  'role': (_entente_control_v1_Role__Output);
  'partner': (string);
  'capability': (string);
  'purpose': (string);
  'status': (_entente_control_v1_TaskStatus__Output);
  'reason': (string);
  /**
   * RFC 3339 timestamps.
   */
  'created_at': (string);
  'updated_at': (string);
  /**
   * The state of the receipts held here: verified, verified_local_denial, incomplete, invalid.
   */
  'receipts': (string);
  /**
   * Where the task's ack stands. As requester: delivered (the partner has it), pending (signed
   * and stored; the outbox retries it until the partner has it), failed (the partner refused it
   * for good), missing (not final yet: no ack signed), none (our outbound policy refused the
   * request). As responder: delivered (the requester's ack arrived) or missing (unacknowledged).
   */
  'ack': (string);
}
