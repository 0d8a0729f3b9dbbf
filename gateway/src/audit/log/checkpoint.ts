import { CheckpointInvalidError } from '../errors.js';
import { NoteKey, parseNote, SIG_TYPE, signatureBy, signatureLine, verifyEd25519, formatNote, type Note, type Vkey } from './note.js';

/**
 * Checkpoints (C2SP tlog-checkpoint): the signed head of a log, a note whose text is
 *
 *     <origin>\n<tree size, decimal>\n<root hash, standard base64>\n
 *
 * signed by the log's key under the origin as key name (signature type 0x01, Ed25519).
 */
export interface Checkpoint {
  readonly origin: string;
  /** From outside: a bigint (a uint64). */
  readonly size: bigint;
  readonly root: Buffer;
  /** The note text (what is signed and cosigned). */
  readonly text: string;
  /** The whole signed note, every signature line included. */
  readonly note: string;
  readonly parsed: Note;
}

const COSIGNATURE_HEADER = 'cosignature/v1';
const MAX_SIZE = 2n ** 63n - 1n;

/** The note text of a checkpoint. */
export function checkpointText(origin: string, size: bigint | number, root: Uint8Array): string {
  if (origin === COSIGNATURE_HEADER) throw new CheckpointInvalidError(`the origin ${origin} would collide with cosigned messages`);
  return `${origin}\n${BigInt(size).toString()}\n${Buffer.from(root).toString('base64')}\n`;
}

/** Signs the checkpoint of a tree of `size` leaves with root `root`; returns the note. */
export function signCheckpoint(key: NoteKey, size: bigint | number, root: Uint8Array): string {
  const text = checkpointText(key.name, size, root);
  return formatNote(text, [signatureLine(key.name, key.keyId(SIG_TYPE.ed25519), key.sign(text))]);
}

/** Reads a checkpoint note without verifying any signature (to show what it claims). */
export function readCheckpoint(note: string): Checkpoint {
  let parsed: Note;
  try {
    parsed = parseNote(note);
  } catch (err) {
    throw new CheckpointInvalidError(`not a signed note: ${(err as Error).message}`, { cause: err });
  }
  const lines = parsed.text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new CheckpointInvalidError('a checkpoint has at least three lines: origin, tree size, root hash');
  const [origin, sizeText, rootText] = lines as [string, string, string];
  if (origin === '' || origin === COSIGNATURE_HEADER) throw new CheckpointInvalidError('the checkpoint has no usable origin line');
  if (lines.slice(3).some((l) => l === '')) throw new CheckpointInvalidError('an extension line of the checkpoint is empty');
  if (!/^(0|[1-9][0-9]{0,19})$/.test(sizeText) || BigInt(sizeText) > MAX_SIZE) throw new CheckpointInvalidError(`tree size ${JSON.stringify(sizeText.slice(0, 30))} is not a decimal without leading zeros`);
  const root = Buffer.from(rootText, 'base64');
  if (root.length !== 32 || root.toString('base64') !== rootText) throw new CheckpointInvalidError('the root hash is not 32 bytes of standard base64');
  return { origin, size: BigInt(sizeText), root, text: parsed.text, note, parsed };
}

/**
 * A checkpoint signed by `logKey` for `origin` (the key's name): throws CheckpointInvalidError
 * if the note is not a checkpoint, is for another log, or lacks a valid signature of the key.
 */
export function openCheckpoint(note: string, logKey: Vkey): Checkpoint {
  const cp = readCheckpoint(note);
  if (cp.origin !== logKey.name) throw new CheckpointInvalidError(`the checkpoint is of log ${cp.origin}, not ${logKey.name}`);
  const sig = signatureBy(cp.parsed, logKey);
  if (sig === undefined) throw new CheckpointInvalidError(`the checkpoint of ${cp.origin} carries no signature of its log key ${logKey.keyId.toString(16).padStart(8, '0')}`);
  if (!verifyEd25519(logKey, cp.text, sig.signature)) throw new CheckpointInvalidError(`the log's signature on checkpoint ${cp.origin} at size ${cp.size} does not verify`);
  return cp;
}

/**
 * A checkpoint signed by any of `logKeys` (a log's current key and those it rotated from,
 * tried in order); the last key's refusal otherwise.
 */
export function openCheckpointWithAny(note: string, logKeys: readonly Vkey[]): Checkpoint {
  let failure: unknown = new CheckpointInvalidError('no log key of this log is known');
  for (const key of logKeys) {
    try {
      return openCheckpoint(note, key);
    } catch (err) {
      failure = err;
    }
  }
  throw failure;
}

/** The message a witness signs (tlog-cosignature, Ed25519): header, time, checkpoint text. */
export function cosignedMessage(timestamp: bigint, text: string): string {
  return `${COSIGNATURE_HEADER}\ntime ${timestamp.toString()}\n${text}`;
}

/** A witness's cosignature line for a checkpoint text, at `timestamp` (POSIX seconds). */
export function cosign(witness: NoteKey, text: string, timestamp: bigint): string {
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(timestamp);
  const signature = witness.sign(cosignedMessage(timestamp, text));
  return signatureLine(witness.name, witness.keyId(SIG_TYPE.cosignatureV1), Buffer.concat([time, signature]));
}

/**
 * The time of `witness`'s cosignature on the checkpoint, if the note carries one that
 * verifies; undefined if it carries none; throws CheckpointInvalidError for one that fails.
 * `witness` is the witness's key as a cosignature/v1 (type 0x04) vkey.
 */
export function cosignatureTime(cp: Checkpoint, witness: Vkey): bigint | undefined {
  const sig = signatureBy(cp.parsed, witness);
  if (sig === undefined) return undefined;
  if (sig.signature.length !== 72) throw new CheckpointInvalidError(`${witness.name}'s cosignature is ${sig.signature.length} bytes, not 8 + 64`);
  const timestamp = sig.signature.readBigUInt64BE(0);
  if (!verifyEd25519(witness, cosignedMessage(timestamp, cp.text), sig.signature.subarray(8))) {
    throw new CheckpointInvalidError(`${witness.name}'s cosignature of ${cp.origin} at size ${cp.size} does not verify`);
  }
  return timestamp;
}
