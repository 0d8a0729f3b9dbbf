// Original file: proto/entente/control/v1/control.proto

import type { ForeachItem as _entente_control_v1_ForeachItem, ForeachItem__Output as _entente_control_v1_ForeachItem__Output } from '../../../entente/control/v1/ForeachItem.js';
import type { Compensation as _entente_control_v1_Compensation, Compensation__Output as _entente_control_v1_Compensation__Output } from '../../../entente/control/v1/Compensation.js';
import type { Decision as _entente_control_v1_Decision, Decision__Output as _entente_control_v1_Decision__Output } from '../../../entente/control/v1/Decision.js';

export interface StepRun {
  /**
   * The node: a step of the definition (`total`), an item of a foreach step (`counts[2]`), or
   * a step of an accepted plan (`consult.cardiology`).
   */
  'id'?: (string);
  /**
   * pending, running, waiting (a retry's backoff, or the next provider's), awaiting_approval,
   * completed, failed, skipped or cancelled.
   */
  'status'?: (string);
  'attempt'?: (number);
  /**
   * The task of the current (or last) attempt: <run>.<step>.<attempt>.
   */
  'task_id'?: (string);
  'output_json'?: (string);
  'reason'?: (string);
  'message'?: (string);
  /**
   * The foreach step or plan step this node belongs to; empty for a step of the definition.
   */
  'parent'?: (string);
  /**
   * Where the current (or last) attempt runs: `local` or a partner's org id; empty before the
   * first attempt and for an approval step.
   */
  'provider'?: (string);
  /**
   * RFC 3339; empty until the node starts, and until it ends.
   */
  'started_at'?: (string);
  'finished_at'?: (string);
  /**
   * Of a foreach item: its position and value; unset for any other node.
   */
  'item'?: (_entente_control_v1_ForeachItem | null);
  /**
   * Answers that arrived after their attempt had ended (timed out or cancelled): kept, not used.
   */
  'late'?: (number);
  /**
   * The open approval, while awaiting_approval (DecideApproval takes it).
   */
  'approval_id'?: (string);
  /**
   * Undoing the step after the run failed or was cancelled; unset while it has not started.
   */
  'compensation'?: (_entente_control_v1_Compensation | null);
  /**
   * The last decision a person made about the step; unset when none.
   */
  'decided'?: (_entente_control_v1_Decision | null);
  /**
   * The providers tried since the step (re)started, in order: `local` or partners' org ids
   * (a fallback, `at: any` skipping a partner whose circuit is open).
   */
  'tried'?: (string)[];
}

export interface StepRun__Output {
  /**
   * The node: a step of the definition (`total`), an item of a foreach step (`counts[2]`), or
   * a step of an accepted plan (`consult.cardiology`).
   */
  'id': (string);
  /**
   * pending, running, waiting (a retry's backoff, or the next provider's), awaiting_approval,
   * completed, failed, skipped or cancelled.
   */
  'status': (string);
  'attempt': (number);
  /**
   * The task of the current (or last) attempt: <run>.<step>.<attempt>.
   */
  'task_id': (string);
  'output_json': (string);
  'reason': (string);
  'message': (string);
  /**
   * The foreach step or plan step this node belongs to; empty for a step of the definition.
   */
  'parent': (string);
  /**
   * Where the current (or last) attempt runs: `local` or a partner's org id; empty before the
   * first attempt and for an approval step.
   */
  'provider': (string);
  /**
   * RFC 3339; empty until the node starts, and until it ends.
   */
  'started_at': (string);
  'finished_at': (string);
  /**
   * Of a foreach item: its position and value; unset for any other node.
   */
  'item': (_entente_control_v1_ForeachItem__Output | null);
  /**
   * Answers that arrived after their attempt had ended (timed out or cancelled): kept, not used.
   */
  'late': (number);
  /**
   * The open approval, while awaiting_approval (DecideApproval takes it).
   */
  'approval_id': (string);
  /**
   * Undoing the step after the run failed or was cancelled; unset while it has not started.
   */
  'compensation': (_entente_control_v1_Compensation__Output | null);
  /**
   * The last decision a person made about the step; unset when none.
   */
  'decided': (_entente_control_v1_Decision__Output | null);
  /**
   * The providers tried since the step (re)started, in order: `local` or partners' org ids
   * (a fallback, `at: any` skipping a partner whose circuit is open).
   */
  'tried': (string)[];
}
