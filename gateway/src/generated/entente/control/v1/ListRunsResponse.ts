// Original file: proto/entente/control/v1/control.proto

import type { RunSummary as _entente_control_v1_RunSummary, RunSummary__Output as _entente_control_v1_RunSummary__Output } from '../../../entente/control/v1/RunSummary.js';

export interface ListRunsResponse {
  'runs'?: (_entente_control_v1_RunSummary)[];
  /**
   * Empty on the last page.
   */
  'next_page_token'?: (string);
}

export interface ListRunsResponse__Output {
  'runs': (_entente_control_v1_RunSummary__Output)[];
  /**
   * Empty on the last page.
   */
  'next_page_token': (string);
}
