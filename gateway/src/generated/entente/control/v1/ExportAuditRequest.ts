// Original file: proto/entente/control/v1/control.proto


export interface ExportAuditRequest {
  /**
   * Only tasks with a statement stored in [since, until] (RFC 3339; empty: unbounded); a task
   * is exported whole.
   */
  'since'?: (string);
  'until'?: (string);
  /**
   * Only tasks with this partner (empty: all).
   */
  'partner'?: (string);
}

export interface ExportAuditRequest__Output {
  /**
   * Only tasks with a statement stored in [since, until] (RFC 3339; empty: unbounded); a task
   * is exported whole.
   */
  'since': (string);
  'until': (string);
  /**
   * Only tasks with this partner (empty: all).
   */
  'partner': (string);
}
