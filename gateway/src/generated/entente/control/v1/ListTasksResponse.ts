// Original file: proto/entente/control/v1/control.proto

import type { TaskSummary as _entente_control_v1_TaskSummary, TaskSummary__Output as _entente_control_v1_TaskSummary__Output } from '../../../entente/control/v1/TaskSummary.js';

export interface ListTasksResponse {
  'tasks'?: (_entente_control_v1_TaskSummary)[];
  /**
   * Empty on the last page.
   */
  'next_page_token'?: (string);
}

export interface ListTasksResponse__Output {
  'tasks': (_entente_control_v1_TaskSummary__Output)[];
  /**
   * Empty on the last page.
   */
  'next_page_token': (string);
}
