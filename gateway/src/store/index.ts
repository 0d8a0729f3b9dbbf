export { openSqliteStore, SqliteStore } from './sqlite/sqlite.js';
export type { SqliteStoreOptions } from './sqlite/sqlite.js';
export type { Store } from './store.js';
export {
  STORE_ERROR_CODES,
  StoreClosedError,
  StoreSyncFailedError,
  StoreError,
  StoreInvalidRecordError,
  StoreOpenFailedError,
  StoreReadOnlyError,
  StoreSchemaTooNewError,
  StoreSchemaTooOldError,
  StoreWriteFailedError,
} from './errors.js';
export type { StoreErrorCode } from './errors.js';
