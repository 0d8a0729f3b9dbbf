// Original file: proto/entente/control/v1/control.proto

import type { TaskSummary as _entente_control_v1_TaskSummary, TaskSummary__Output as _entente_control_v1_TaskSummary__Output } from '../../../entente/control/v1/TaskSummary.js';
import type { Statement as _entente_control_v1_Statement, Statement__Output as _entente_control_v1_Statement__Output } from '../../../entente/control/v1/Statement.js';
import type { Verification as _entente_control_v1_Verification, Verification__Output as _entente_control_v1_Verification__Output } from '../../../entente/control/v1/Verification.js';
import type { AckStatus as _entente_control_v1_AckStatus, AckStatus__Output as _entente_control_v1_AckStatus__Output } from '../../../entente/control/v1/AckStatus.js';

export interface TaskReceipts {
  'task'?: (_entente_control_v1_TaskSummary | null);
  'statements'?: (_entente_control_v1_Statement)[];
  'verification'?: (_entente_control_v1_Verification | null);
  /**
   * Where the ack stands, with the outbox's record of its delivery (requester only).
   */
  'ack'?: (_entente_control_v1_AckStatus | null);
}

export interface TaskReceipts__Output {
  'task': (_entente_control_v1_TaskSummary__Output | null);
  'statements': (_entente_control_v1_Statement__Output)[];
  'verification': (_entente_control_v1_Verification__Output | null);
  /**
   * Where the ack stands, with the outbox's record of its delivery (requester only).
   */
  'ack': (_entente_control_v1_AckStatus__Output | null);
}
