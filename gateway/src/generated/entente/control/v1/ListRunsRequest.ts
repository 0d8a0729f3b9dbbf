// Original file: proto/entente/control/v1/control.proto


export interface ListRunsRequest {
  /**
   * Optional: running, completed, failed or cancelled; every run when empty.
   */
  'status'?: (string);
  /**
   * Page size: 50 when 0, at most 1000.
   */
  'page_size'?: (number);
  /**
   * From a previous response's next_page_token; empty for the first page.
   */
  'page_token'?: (string);
}

export interface ListRunsRequest__Output {
  /**
   * Optional: running, completed, failed or cancelled; every run when empty.
   */
  'status': (string);
  /**
   * Page size: 50 when 0, at most 1000.
   */
  'page_size': (number);
  /**
   * From a previous response's next_page_token; empty for the first page.
   */
  'page_token': (string);
}
