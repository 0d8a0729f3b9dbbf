import { createHash, createPrivateKey, createPublicKey, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { NoteError } from '../errors.js';

/**
 * Signed notes (C2SP signed-note): a UTF-8 text ending in a newline, a blank line, then one
 * or more lines `— <key name> base64(key ID ‖ signature)`. Checkpoints and cosignatures are
 * signed notes, so existing transparency tooling (Go's sumdb/note, sigsum, the witness
 * network) reads ours.
 */

/** Signature type bytes (signed-note §Signature types) that Entente uses. */
export const SIG_TYPE = { ed25519: 0x01, cosignatureV1: 0x04 } as const;
export type SigType = (typeof SIG_TYPE)[keyof typeof SIG_TYPE];

/** Verifiers must accept at least 16 signatures; more than this is refused as oversized. */
const MAX_SIGNATURES = 64;
const MAX_NOTE_BYTES = 64 * 1024;
const KEY_NAME = /^[^\s+]+$/u;

export interface NoteSignature {
  readonly name: string;
  /** The 4-byte key ID, as an unsigned 32-bit number. */
  readonly keyId: number;
  /** The signature bytes after the key ID. */
  readonly signature: Buffer;
  /** The line as it appeared, without its newline. */
  readonly line: string;
}

export interface Note {
  /** The signed text, including its final newline. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** key ID = SHA-256(key name ‖ 0x0A ‖ signature type ‖ public key)[:4], big-endian. */
export function keyIdOf(name: string, type: SigType, publicKey: Uint8Array): number {
  return createHash('sha256').update(name, 'utf8').update(Buffer.from([0x0a, type])).update(publicKey).digest().readUInt32BE(0);
}

/** Splits a signed note into its text and signature lines; throws NoteError if it is not one. */
export function parseNote(note: string): Note {
  if (Buffer.byteLength(note, 'utf8') > MAX_NOTE_BYTES) throw new NoteError(`the note is larger than ${MAX_NOTE_BYTES} bytes`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) throw new NoteError('the note holds control characters other than newline');
  if (!note.endsWith('\n')) throw new NoteError('the note does not end with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('the note has no blank line between its text and its signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new NoteError(`the note has ${lines.length} signatures; at most ${MAX_SIGNATURES} are accepted`);
  const signatures = lines.map((line, i): NoteSignature => {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})$/u.exec(line);
    if (m === null) throw new NoteError(`signature line ${i + 1} is not "— <key name> <base64>"`);
    const bytes = Buffer.from(m[2]!, 'base64');
    if (bytes.length < 5 || bytes.toString('base64') !== m[2]) throw new NoteError(`signature line ${i + 1} does not hold a key ID and a signature in standard base64`);
    return { name: m[1]!, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4), line };
  });
  return { text, signatures };
}

/** A note's text followed by its signature lines. */
export function formatNote(text: string, signatureLines: readonly string[]): string {
  return `${text}\n${signatureLines.map((l) => l + '\n').join('')}`;
}

/** `— <name> base64(keyId ‖ signature)` */
export function signatureLine(name: string, keyId: number, signature: Uint8Array): string {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(keyId >>> 0);
  return `\u2014 ${name} ${Buffer.concat([id, signature]).toString('base64')}`;
}

/** A note's signature lines, merged with more, without duplicates, in the order first seen. */
export function withSignatures(note: string, lines: readonly string[]): string {
  const { text, signatures } = parseNote(note);
  const all = [...new Set([...signatures.map((s) => s.line), ...lines])];
  return formatNote(text, all);
}

/**
 * An Ed25519 key that signs notes under a name: the log's checkpoints (type 0x01, the name is
 * the log's origin) and, as a witness, cosignatures of partners' checkpoints (type 0x04). One
 * key serves both: the key IDs differ by type and the cosigned message starts with
 * `cosignature/v1`, which no checkpoint of ours can (see checkpoint.ts).
 */
export class NoteKey {
  private constructor(
    readonly name: string,
    private readonly key: KeyObject,
    readonly publicKey: Buffer,
  ) {}

  /** From a private Ed25519 JWK (OKP, crv Ed25519, with d). */
  static fromJwk(name: string, jwk: JsonWebKey): NoteKey {
    checkName(name);
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string') {
      throw new NoteError('the log key must be a private Ed25519 JWK ({"kty":"OKP","crv":"Ed25519","d":…,"x":…})');
    }
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: jwk, format: 'jwk' });
    } catch (err) {
      throw new NoteError(`the log key does not parse: ${(err as Error).message}`, { cause: err });
    }
    const x = createPublicKey(key).export({ format: 'jwk' }).x!;
    return new NoteKey(name, key, Buffer.from(x, 'base64url'));
  }

  keyId(type: SigType): number {
    return keyIdOf(this.name, type, this.publicKey);
  }

  /** The verifier key for `type`, as C2SP vkey text: `<name>+<hex key ID>+base64(type ‖ public key)`. */
  vkey(type: SigType = SIG_TYPE.ed25519): string {
    return formatVkey(this.name, type, this.publicKey);
  }

  /** Ed25519 over `message`. */
  sign(message: Uint8Array | string): Buffer {
    return sign(null, typeof message === 'string' ? Buffer.from(message, 'utf8') : message, this.key);
  }
}

/** A public note verifier key, parsed from vkey text. */
export interface Vkey {
  readonly name: string;
  readonly type: number;
  readonly keyId: number;
  readonly publicKey: Buffer;
  readonly key: KeyObject;
  readonly text: string;
}

export function formatVkey(name: string, type: SigType, publicKey: Uint8Array): string {
  return `${name}+${keyIdOf(name, type, publicKey).toString(16).padStart(8, '0')}+${Buffer.concat([Buffer.from([type]), publicKey]).toString('base64')}`;
}

/** Parses vkey text (`<name>+<hex key ID>+<base64(type ‖ key)>`) of an Ed25519 or cosignature/v1 key. */
export function parseVkey(text: string): Vkey {
  const m = /^([^\s+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(text);
  if (m === null) throw new NoteError(`${JSON.stringify(text.slice(0, 120))} is not a verifier key "<name>+<8 hex>+<base64>"`);
  const bytes = Buffer.from(m[3]!, 'base64');
  const type = bytes[0];
  if ((type !== SIG_TYPE.ed25519 && type !== SIG_TYPE.cosignatureV1) || bytes.length !== 33) {
    throw new NoteError(`verifier key ${m[1]} is not an Ed25519 key (type 0x01 or 0x04 and 32 bytes)`);
  }
  const publicKey = bytes.subarray(1);
  const keyId = keyIdOf(m[1]!, type, publicKey);
  if (keyId !== parseInt(m[2]!, 16)) throw new NoteError(`verifier key ${m[1]}: the key ID ${m[2]} does not match the key`);
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') }, format: 'jwk' });
  return { name: m[1]!, type, keyId, publicKey, key, text };
}

/** The vkey of the same key for another signature type (a log key as a witness key). */
export function vkeyAs(vkey: Vkey, type: SigType): Vkey {
  return parseVkey(formatVkey(vkey.name, type, vkey.publicKey));
}

/** The signature of `note` by `vkey` (same name and key ID), if the note carries one. */
export function signatureBy(note: Note, vkey: Vkey): NoteSignature | undefined {
  return note.signatures.find((s) => s.name === vkey.name && s.keyId === vkey.keyId);
}

/** Whether `signature` is vkey's Ed25519 signature of `message`. */
export function verifyEd25519(vkey: Vkey, message: Uint8Array | string, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  return verify(null, typeof message === 'string' ? Buffer.from(message, 'utf8') : message, vkey.key, signature);
}

function checkName(name: string): void {
  if (!KEY_NAME.test(name)) throw new NoteError(`key name ${JSON.stringify(name)} must be non-empty, without spaces or +`);
}
