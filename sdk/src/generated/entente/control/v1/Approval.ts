// Original file: proto/entente/control/v1/control.proto

import type { ApprovalTask as _entente_control_v1_ApprovalTask, ApprovalTask__Output as _entente_control_v1_ApprovalTask__Output } from '../../../entente/control/v1/ApprovalTask.js';
import type { Decision as _entente_control_v1_Decision, Decision__Output as _entente_control_v1_Decision__Output } from '../../../entente/control/v1/Decision.js';

export interface Approval {
  'approval_id'?: (string);
  /**
   * approval (an approval step), escalation (a step failed and asks what to do) or inbound (a
   * partner's task our inbound policy holds for approval).
   */
  'kind'?: (string);
  /**
   * Of approval and escalation: the run, its workflow and the step; empty for inbound.
   */
  'run_id'?: (string);
  'workflow'?: (string);
  'step'?: (string);
  /**
   * Of inbound: the partner's task; unset otherwise.
   */
  'task'?: (_entente_control_v1_ApprovalTask | null);
  /**
   * What the approver decides on, as JSON text: the step's mapped input, or the failure.
   */
  'details_json'?: (string);
  /**
   * RFC 3339; expires_at is empty when the approval does not expire.
   */
  'requested_at'?: (string);
  'expires_at'?: (string);
  /**
   * The decisions it takes: approve and reject, or (escalation) retry, skip and fail.
   */
  'decisions'?: (string)[];
  /**
   * Once decided.
   */
  'decided'?: (_entente_control_v1_Decision | null);
}

export interface Approval__Output {
  'approval_id': (string);
  /**
   * approval (an approval step), escalation (a step failed and asks what to do) or inbound (a
   * partner's task our inbound policy holds for approval).
   */
  'kind': (string);
  /**
   * Of approval and escalation: the run, its workflow and the step; empty for inbound.
   */
  'run_id': (string);
  'workflow': (string);
  'step': (string);
  /**
   * Of inbound: the partner's task; unset otherwise.
   */
  'task': (_entente_control_v1_ApprovalTask__Output | null);
  /**
   * What the approver decides on, as JSON text: the step's mapped input, or the failure.
   */
  'details_json': (string);
  /**
   * RFC 3339; expires_at is empty when the approval does not expire.
   */
  'requested_at': (string);
  'expires_at': (string);
  /**
   * The decisions it takes: approve and reject, or (escalation) retry, skip and fail.
   */
  'decisions': (string)[];
  /**
   * Once decided.
   */
  'decided': (_entente_control_v1_Decision__Output | null);
}
