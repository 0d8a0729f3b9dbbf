export { openSqliteStore, SqliteStore } from './sqlite.js';
export type { SqliteStoreOptions } from './sqlite.js';
export type { StatementFilter, StatementRecord, StoredTaskStatus, Store, TaskFilter, TaskRecord, TaskRole } from './store.js';
