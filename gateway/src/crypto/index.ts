export { canonicalize } from './jcs.js';
export { newSalt, saltedDigest, sha256Digest } from './digest.js';
export { KeyRing, SigningKey, verifyCompactJws } from './jws.js';
export type { JwsAlg, PublicJwk, VerifiedJws } from './jws.js';
export { CryptoError } from './errors.js';
export type { CryptoErrorCode } from './errors.js';
