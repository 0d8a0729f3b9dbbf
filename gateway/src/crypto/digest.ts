import { createHash, randomBytes } from 'node:crypto';
import { canonicalize } from './jcs.js';

/** 16 random bytes, base64url: the per-task salt of the digests in receipts. */
export function newSalt(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * `sha256:` + base64url(SHA-256(salt ‖ JCS(value))). Without the salt, a digest of a small
 * value ("count": 3) could be found by trying every candidate; with it, it reveals nothing.
 */
export function saltedDigest(salt: string, value: unknown): string {
  return 'sha256:' + createHash('sha256').update(Buffer.from(salt, 'base64url')).update(canonicalize(value), 'utf8').digest('base64url');
}

/** `sha256:` + base64url(SHA-256(bytes)); strings are hashed as UTF-8. */
export function sha256Digest(bytes: string | Uint8Array): string {
  return 'sha256:' + createHash('sha256').update(bytes).digest('base64url');
}
