// Original file: proto/entente/control/v1/control.proto

import type { StepRun as _entente_control_v1_StepRun, StepRun__Output as _entente_control_v1_StepRun__Output } from '../../../entente/control/v1/StepRun.js';

export interface Run {
  'run_id'?: (string);
  'workflow'?: (string);
  /**
   * running, completed or failed.
   */
  'status'?: (string);
  'steps'?: (_entente_control_v1_StepRun)[];
  /**
   * The run's output as JSON text, once completed.
   */
  'output_json'?: (string);
  /**
   * Why it failed.
   */
  'reason'?: (string);
}

export interface Run__Output {
  'run_id': (string);
  'workflow': (string);
  /**
   * running, completed or failed.
   */
  'status': (string);
  'steps': (_entente_control_v1_StepRun__Output)[];
  /**
   * The run's output as JSON text, once completed.
   */
  'output_json': (string);
  /**
   * Why it failed.
   */
  'reason': (string);
}
