// Original file: proto/entente/control/v1/control.proto


export interface WatchRunRequest {
  'run_id'?: (string);
  /**
   * The position of the first event to send: 0 replays the run from run_started; a client that
   * reconnects passes the last seq it received + 1.
   */
  'from_seq'?: (number);
}

export interface WatchRunRequest__Output {
  'run_id': (string);
  /**
   * The position of the first event to send: 0 replays the run from run_started; a client that
   * reconnects passes the last seq it received + 1.
   */
  'from_seq': (number);
}
