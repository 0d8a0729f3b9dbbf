// Original file: proto/entente/control/v1/control.proto

import type { Approval as _entente_control_v1_Approval, Approval__Output as _entente_control_v1_Approval__Output } from '../../../entente/control/v1/Approval.js';

export interface ListApprovalsResponse {
  /**
   * Oldest first.
   */
  'approvals'?: (_entente_control_v1_Approval)[];
}

export interface ListApprovalsResponse__Output {
  /**
   * Oldest first.
   */
  'approvals': (_entente_control_v1_Approval__Output)[];
}
