// Original file: proto/entente/control/v1/control.proto

import type { TaskReceipts as _entente_control_v1_TaskReceipts, TaskReceipts__Output as _entente_control_v1_TaskReceipts__Output } from '../../../entente/control/v1/TaskReceipts.js';

export interface GetReceiptsResponse {
  'tasks'?: (_entente_control_v1_TaskReceipts)[];
}

export interface GetReceiptsResponse__Output {
  'tasks': (_entente_control_v1_TaskReceipts__Output)[];
}
