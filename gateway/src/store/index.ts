export { openSqliteStore, SqliteStore } from './sqlite.js';
export type { SqliteStoreOptions } from './sqlite.js';
export { STATEMENT_KINDS, STORED_TASK_STATUSES, TASK_ROLES } from './store.js';
export type {
  ClaimResult,
  StatementFilter,
  StatementKind,
  StatementRecord,
  Store,
  StoredTaskStatus,
  TaskFilter,
  TaskRecord,
  TaskRole,
  WriteBatch,
} from './store.js';
export {
  STORE_ERROR_CODES,
  StoreClosedError,
  StoreError,
  StoreInvalidRecordError,
  StoreOpenFailedError,
  StoreSchemaTooNewError,
  StoreWriteFailedError,
} from './errors.js';
export type { StoreErrorCode } from './errors.js';
