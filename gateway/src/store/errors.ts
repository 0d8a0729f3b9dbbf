import { EntenteError } from '../lib/index.js';

/**
 * Every way the store can refuse or fail, with what an operator should do. The keys are the
 * closed set of `code`s; a test checks each has a subclass and a text.
 */
export const STORE_ERROR_CODES = {
  STORE_OPEN_FAILED: 'the database file cannot be opened or set up; check the data directory exists and is writable',
  STORE_SCHEMA_TOO_NEW: 'the database was written by a newer Entente; upgrade this gateway or point it at another data directory',
  STORE_INVALID_RECORD: 'a task or statement record is missing a field or has a value outside its set (a bug in the caller)',
  STORE_WRITE_FAILED: 'SQLite refused the write or the transaction failed to commit; nothing of it was stored',
  STORE_SYNC_FAILED: 'the disk failed to make committed writes durable (fdatasync); the store takes no more writes: check the disk, then restart the gateway',
  STORE_CLOSED: 'the store was closed; the gateway is shutting down',
  STORE_SCHEMA_TOO_OLD: 'a read-only (offline) opening found a store at an older schema, which only a writable opening can migrate',
  STORE_READ_ONLY: 'the store was opened read-only (offline) and refuses writes',
} as const;

export type StoreErrorCode = keyof typeof STORE_ERROR_CODES;

type Options = { cause?: unknown };

/** A store operation failed; `code` says why. */
export class StoreError extends EntenteError<StoreErrorCode> {}

export class StoreOpenFailedError extends StoreError {
  constructor(message: string, options?: Options) {
    super('STORE_OPEN_FAILED', message, options);
  }
}

export class StoreSchemaTooNewError extends StoreError {
  constructor(message: string, options?: Options) {
    super('STORE_SCHEMA_TOO_NEW', message, options);
  }
}

export class StoreSchemaTooOldError extends StoreError {
  constructor(message: string, options?: Options) {
    super('STORE_SCHEMA_TOO_OLD', message, options);
  }
}

export class StoreReadOnlyError extends StoreError {
  constructor(message: string, options?: Options) {
    super('STORE_READ_ONLY', message, options);
  }
}

export class StoreInvalidRecordError extends StoreError {
  constructor(message: string, options?: Options) {
    super('STORE_INVALID_RECORD', message, options);
  }
}

export class StoreWriteFailedError extends StoreError {
  constructor(message: string, options?: Options) {
    super('STORE_WRITE_FAILED', message, options);
  }
}

export class StoreSyncFailedError extends StoreError {
  constructor(message: string, options?: Options) {
    super('STORE_SYNC_FAILED', message, options);
  }
}

export class StoreClosedError extends StoreError {
  constructor(message: string, options?: Options) {
    super('STORE_CLOSED', message, options);
  }
}
