import { createHash, hash } from 'node:crypto';
import { randomFromPool } from '../lib/index.js';
import { SaltInvalidError } from './errors.js';
import { canonicalize } from './jcs.js';

/** At least 96 bits (16 base64url characters), at most 128 characters. */
const SALT = /^[A-Za-z0-9_-]{16,128}$/;

/** 16 random bytes, base64url: the per-task salt of the digests in receipts. */
export function newSalt(): string {
  return randomFromPool(16).toString('base64url');
}

/**
 * `sha256:` + base64url(SHA-256(saltBytes ‖ UTF-8(JCS(value)))). Without the salt, a digest
 * of a small value (`{"count":3}`) could be found by hashing every candidate; with it, the
 * digest reveals nothing until someone discloses the salt and the value.
 */
export function saltedDigest(salt: string, value: unknown): string {
  return saltedDigestOfCanonical(salt, canonicalize(value));
}

/**
 * saltedDigest() of a value already in its canonical form (`canonicalize(value)`), for a caller
 * that needs the canonical text anyway: the digest is the same.
 */
export function saltedDigestOfCanonical(salt: string, canonicalJson: string): string {
  // The same rule the responder applies to a salt it receives, so the two never disagree.
  if (!SALT.test(salt)) {
    throw new SaltInvalidError('the salt must be 16-128 base64url characters (newSalt() makes one)');
  }
  return 'sha256:' + createHash('sha256').update(Buffer.from(salt, 'base64url')).update(canonicalJson, 'utf8').digest('base64url');
}

/** `sha256:` + base64url(SHA-256(bytes)), without salt; a string is hashed as its UTF-8 bytes. */
export function sha256Digest(bytes: string | Uint8Array): string {
  return 'sha256:' + (hash('sha256', typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'base64url') as string);
}
