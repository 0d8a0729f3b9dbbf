// Original file: proto/entente/control/v1/control.proto

import type { Role as _entente_control_v1_Role, Role__Output as _entente_control_v1_Role__Output } from '../../../entente/control/v1/Role.js';

export interface ListTasksRequest {
  /**
   * Optional filters.
   */
  'partner'?: (string);
  'role'?: (_entente_control_v1_Role);
  /**
   * Page size: 50 when 0, at most 1000.
   */
  'page_size'?: (number);
  /**
   * From a previous response's next_page_token; empty for the first page.
   */
  'page_token'?: (string);
}

export interface ListTasksRequest__Output {
  /**
   * Optional filters.
   */
  'partner': (string);
  'role': (_entente_control_v1_Role__Output);
  /**
   * Page size: 50 when 0, at most 1000.
   */
  'page_size': (number);
  /**
   * From a previous response's next_page_token; empty for the first page.
   */
  'page_token': (string);
}
