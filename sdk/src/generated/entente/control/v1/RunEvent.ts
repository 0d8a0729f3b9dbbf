// Original file: proto/entente/control/v1/control.proto

import type { Run as _entente_control_v1_Run, Run__Output as _entente_control_v1_Run__Output } from '../../../entente/control/v1/Run.js';

export interface RunEvent {
  /**
   * The event's position in the run's log, from 0 (run_started).
   */
  'seq'?: (number);
  /**
   * The event's type: run_started, step_started, step_completed, approval_requested, … (the
   * `type` field of event_json).
   */
  'type'?: (string);
  /**
   * The event as JSON text, as the gateway stored it.
   */
  'event_json'?: (string);
  /**
   * The run's state after the event.
   */
  'run'?: (_entente_control_v1_Run | null);
}

export interface RunEvent__Output {
  /**
   * The event's position in the run's log, from 0 (run_started).
   */
  'seq': (number);
  /**
   * The event's type: run_started, step_started, step_completed, approval_requested, … (the
   * `type` field of event_json).
   */
  'type': (string);
  /**
   * The event as JSON text, as the gateway stored it.
   */
  'event_json': (string);
  /**
   * The run's state after the event.
   */
  'run': (_entente_control_v1_Run__Output | null);
}
