// Original file: proto/entente/control/v1/control.proto

import type { TaskStatus as _entente_control_v1_TaskStatus, TaskStatus__Output as _entente_control_v1_TaskStatus__Output } from '../../../entente/control/v1/TaskStatus.js';
import type { Receipts as _entente_control_v1_Receipts, Receipts__Output as _entente_control_v1_Receipts__Output } from '../../../entente/control/v1/Receipts.js';

export interface CallResponse {
  'task_id'?: (string);
  'partner'?: (string);
  'capability'?: (string);
  'status'?: (_entente_control_v1_TaskStatus);
  /**
   * The minimised result the partner's disclosure policy let leave, as JSON text (completed only).
   */
  'result_json'?: (string);
  /**
   * Why the task did not complete: a reason code (docs/errors.md), and its explanation.
   */
  'reason'?: (string);
  'message'?: (string);
  /**
   * Reason codes the partner's policy chose to give.
   */
  'policy_reasons'?: (string)[];
  'receipts'?: (_entente_control_v1_Receipts | null);
}

export interface CallResponse__Output {
  'task_id': (string);
  'partner': (string);
  'capability': (string);
  'status': (_entente_control_v1_TaskStatus__Output);
  /**
   * The minimised result the partner's disclosure policy let leave, as JSON text (completed only).
   */
  'result_json': (string);
  /**
   * Why the task did not complete: a reason code (docs/errors.md), and its explanation.
   */
  'reason': (string);
  'message': (string);
  /**
   * Reason codes the partner's policy chose to give.
   */
  'policy_reasons': (string)[];
  'receipts': (_entente_control_v1_Receipts__Output | null);
}
