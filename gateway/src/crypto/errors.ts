export type CryptoErrorCode =
  | 'JCS_UNSUPPORTED'
  | 'KEY_INVALID'
  | 'JWS_MALFORMED'
  | 'JWS_ALG_NOT_ALLOWED'
  | 'JWS_UNKNOWN_KEY'
  | 'JWS_ALG_MISMATCH'
  | 'JWS_BAD_SIGNATURE'
  | 'JWS_NOT_CANONICAL';

/** Signing or verification failed; `code` says which check. */
export class CryptoError extends Error {
  constructor(
    readonly code: CryptoErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CryptoError';
  }
}
