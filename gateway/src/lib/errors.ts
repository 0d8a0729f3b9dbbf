/**
 * The base of every error the gateway throws on purpose (the pattern of jose's `JOSEError`
 * and sigstore's `BaseError`): a `code` from the throwing folder's closed set, a message
 * written for whoever must act on it, and the ES2022 `cause`, which goes to our log and never
 * to a partner. `name` is the subclass's name, so logs and stack traces say which condition.
 *
 * Each folder declares its own subclass and code table in its `errors.ts`; `docs/errors.md`
 * documents every code, and a test fails when one is missing there.
 *
 * @example
 * export class StoreError extends EntenteError<StoreErrorCode> {}
 * throw new StoreError('STORE_CLOSED', 'the store is closed', { cause: err });
 */
export class EntenteError<C extends string = string> extends Error {
  readonly code: C;

  constructor(code: C, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * The names of the gRPC status codes. Domain folders say which status a condition maps to by
 * name, so they need not import a transport; the transports turn the name into a number.
 */
export const GRPC_STATUS_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

export type GrpcStatusName = (typeof GRPC_STATUS_NAMES)[number];
