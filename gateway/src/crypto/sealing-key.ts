import { createCipheriv, createDecipheriv, createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { SealedInvalidError, SealingKeyInvalidError } from './errors.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * A 256-bit key that seals data at rest with AES-256-GCM: a fresh random 96-bit IV per
 * sealing, and additional data that binds the sealed bytes to the record they belong to (a
 * sealed value copied to another record does not open there). Sealed bytes are
 * IV ‖ ciphertext ‖ tag. The key itself is held in a KeyObject and a private field, so that
 * neither a log line nor JSON of an object holding it can show it.
 *
 * @example
 * const key = SealingKey.fromBase64(process.env.RETENTION_KEY!);
 * const sealed = key.seal(Buffer.from(text), decisionId);
 * key.open(sealed, decisionId).toString() === text;
 */
export class SealingKey {
  /** Names the key without revealing it (a hash of it): records say which key sealed them. */
  readonly id: string;
  readonly #key: KeyObject;

  constructor(bytes: Uint8Array) {
    if (bytes.length !== 32) {
      throw new SealingKeyInvalidError(`the key is ${bytes.length} bytes; AES-256-GCM needs exactly 32 (make one with: openssl rand -base64 32)`);
    }
    this.#key = createSecretKey(bytes);
    this.id = 'key:' + createHash('sha256').update('entente sealing key\0').update(bytes).digest('base64url').slice(0, 16);
  }

  /** A key written as base64 (standard or url-safe, padded or not), as `openssl rand -base64 32` prints it. */
  static fromBase64(text: string): SealingKey {
    const trimmed = text.trim();
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(trimmed)) {
      throw new SealingKeyInvalidError('the key is not base64 text (make one with: openssl rand -base64 32)');
    }
    return new SealingKey(Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
  }

  /** A key file's content: the 32 bytes themselves, or base64 text of them (44 characters, so never 32 bytes long). */
  static fromFile(content: Uint8Array): SealingKey {
    return content.length === 32 ? new SealingKey(content) : SealingKey.fromBase64(Buffer.from(content).toString('utf8'));
  }

  /** Encrypts `plaintext` for the record `aad` names (a decision id). */
  seal(plaintext: Uint8Array, aad: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]);
  }

  /** Decrypts what seal() made for the same `aad`; SEALED_INVALID if the key, the record or the bytes differ. */
  open(sealed: Uint8Array, aad: string): Buffer {
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new SealedInvalidError(`the sealed value is ${sealed.length} bytes, shorter than an IV and a tag: it was truncated`);
    const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
    } catch (err) {
      throw new SealedInvalidError(`the sealed value does not open with key ${this.id}: sealed with another key, for another record, or altered`, { cause: err });
    }
  }

  toJSON(): { id: string } {
    return { id: this.id };
  }
}
