export { Canonical, canonicalFormOf, canonicalize, isCanonicalJson } from './jcs.js';
export { newSalt, saltedDigest, saltedDigestOfCanonical, sha256Digest } from './digest.js';
export type { JwsAlg } from './algorithms.js';
export type { PublicJwk } from './jwk.js';
export { SigningKey } from './signing-key.js';
export { SealingKey } from './sealing-key.js';
export { KeyRing } from './key-ring.js';
export type { RingKey } from './key-ring.js';
export { inspectCompactJws, verifyCompactJws } from './verify.js';
export type { BatchCheck, BatchedParts, JwsHeader, VerifiedJws } from './verify.js';
export {
  CRYPTO_ERROR_CODES,
  CryptoError,
  JcsUnsupportedError,
  JwsAlgMismatchError,
  JwsAlgNotAllowedError,
  JwsBadSignatureError,
  JwsMalformedError,
  JwsNotCanonicalError,
  JwsUnknownKeyError,
  KeyInvalidError,
  SaltInvalidError,
  SealedInvalidError,
  SealingKeyInvalidError,
} from './errors.js';
export type { CryptoErrorCode } from './errors.js';
export { decodeCanonicalBase64url } from './base64url.js';
