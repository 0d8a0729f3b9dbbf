import { EntenteError } from '../lib/index.js';

/**
 * Every way signing, digesting or verifying can fail, with what it means for an operator.
 * The keys are the closed set of `code`s; a test checks each has a subclass and a text.
 */
export const CRYPTO_ERROR_CODES = {
  JCS_UNSUPPORTED:
    'the value cannot be put in RFC 8785 canonical form (non-finite number, undefined, function, bigint, symbol, lone surrogate, non-plain object, too deep or cyclic)',
  SALT_INVALID: 'a digest salt is not 16-128 base64url characters',
  KEY_INVALID: 'a receipt JWK has no kid, does not parse, is not P-256 (ES256) or Ed25519 (EdDSA), or reuses a kid',
  JWS_MALFORMED: 'not a compact JWS with a JSON protected header, a kid and canonical base64url parts',
  JWS_ALG_NOT_ALLOWED: 'the JWS alg is not ES256 or EdDSA',
  JWS_UNKNOWN_KEY: "the JWS kid is not among the expected organization's receipt keys",
  JWS_ALG_MISMATCH: 'the JWS alg does not fit the type of the key its kid names',
  JWS_BAD_SIGNATURE: 'the signature does not verify',
  JWS_NOT_CANONICAL: 'the signed payload is not a JSON object in exactly its RFC 8785 canonical form',
  SEALING_KEY_INVALID: 'a key for encryption at rest (AES-256-GCM) is not exactly 32 bytes',
  SEALED_INVALID: 'sealed data does not open: it was sealed with another key, for another record, or was altered or truncated',
} as const;

export type CryptoErrorCode = keyof typeof CRYPTO_ERROR_CODES;

/** Signing, digesting or verification failed; `code` says which check. */
export class CryptoError extends EntenteError<CryptoErrorCode> {}

export class JcsUnsupportedError extends CryptoError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('JCS_UNSUPPORTED', message, options);
  }
}

export class SaltInvalidError extends CryptoError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SALT_INVALID', message, options);
  }
}

export class KeyInvalidError extends CryptoError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('KEY_INVALID', message, options);
  }
}

export class JwsMalformedError extends CryptoError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('JWS_MALFORMED', message, options);
  }
}

export class JwsAlgNotAllowedError extends CryptoError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('JWS_ALG_NOT_ALLOWED', message, options);
  }
}

export class JwsUnknownKeyError extends CryptoError {
  constructor(
    /** The kid the JWS named, so a caller can tell "another org's key" from "no one's". */
    readonly kid: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('JWS_UNKNOWN_KEY', message, options);
  }
}

export class JwsAlgMismatchError extends CryptoError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('JWS_ALG_MISMATCH', message, options);
  }
}

export class JwsBadSignatureError extends CryptoError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('JWS_BAD_SIGNATURE', message, options);
  }
}

export class JwsNotCanonicalError extends CryptoError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('JWS_NOT_CANONICAL', message, options);
  }
}

export class SealingKeyInvalidError extends CryptoError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SEALING_KEY_INVALID', message, options);
  }
}

export class SealedInvalidError extends CryptoError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SEALED_INVALID', message, options);
  }
}
