// Original file: proto/entente/control/v1/control.proto

import type { StepRun as _entente_control_v1_StepRun, StepRun__Output as _entente_control_v1_StepRun__Output } from '../../../entente/control/v1/StepRun.js';

export interface Run {
  'run_id'?: (string);
  'workflow'?: (string);
  /**
   * running, completed, failed or cancelled.
   */
  'status'?: (string);
  /**
   * Every node of the run, in the order the nodes came to exist: the definition's steps first,
   * then foreach items and planned steps as they are expanded.
   */
  'steps'?: (_entente_control_v1_StepRun)[];
  /**
   * The run's output as JSON text, once completed.
   */
  'output_json'?: (string);
  /**
   * Why it failed or was cancelled.
   */
  'reason'?: (string);
  /**
   * RFC 3339; finished_at is empty while the run goes on.
   */
  'started_at'?: (string);
  'finished_at'?: (string);
  /**
   * Steps that failed and were continued past (on_failure: continue): the output is partial.
   */
  'partial'?: (string)[];
  /**
   * The reason given with CancelRun, once asked; empty when nobody asked.
   */
  'cancel_reason'?: (string);
  /**
   * When a partner's task started this run (a capability this gateway serves as a workflow):
   * that partner's org id and its task id; empty otherwise.
   */
  'parent_org'?: (string);
  'parent_task_id'?: (string);
}

export interface Run__Output {
  'run_id': (string);
  'workflow': (string);
  /**
   * running, completed, failed or cancelled.
   */
  'status': (string);
  /**
   * Every node of the run, in the order the nodes came to exist: the definition's steps first,
   * then foreach items and planned steps as they are expanded.
   */
  'steps': (_entente_control_v1_StepRun__Output)[];
  /**
   * The run's output as JSON text, once completed.
   */
  'output_json': (string);
  /**
   * Why it failed or was cancelled.
   */
  'reason': (string);
  /**
   * RFC 3339; finished_at is empty while the run goes on.
   */
  'started_at': (string);
  'finished_at': (string);
  /**
   * Steps that failed and were continued past (on_failure: continue): the output is partial.
   */
  'partial': (string)[];
  /**
   * The reason given with CancelRun, once asked; empty when nobody asked.
   */
  'cancel_reason': (string);
  /**
   * When a partner's task started this run (a capability this gateway serves as a workflow):
   * that partner's org id and its task id; empty otherwise.
   */
  'parent_org': (string);
  'parent_task_id': (string);
}
