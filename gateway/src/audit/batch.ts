import {
  decodeCanonicalBase64url,
  inspectCompactJws,
  JwsBadSignatureError,
  JwsMalformedError,
  verifyCompactJws,
  type BatchCheck,
  type KeyRing,
  type RingKey,
  type SigningKey,
} from '../crypto/index.js';
import { LogError } from './errors.js';
import { MerkleTree, leafHash, nodeHash, verifyInclusion } from './merkle.js';

/**
 * Batch signatures (docs/protocol.md §5.9). Under load a gateway signs many statements within
 * a millisecond; instead of one ECDSA signature each, it signs one **batch JWS** whose payload
 * is the RFC 9162 Merkle root over the statements' signing inputs, and gives each statement its
 * inclusion proof. A batched statement is six dot-separated parts:
 *
 *   header "." payload "." proof "." batch-header "." batch-payload "." batch-signature
 *
 * - `header.payload` are exactly those of the single form (same header, same canonical
 *   payload); the leaf is SHA-256(0x00 ‖ ASCII(header "." payload)).
 * - `proof` is BASE64URL(uint32 big-endian leaf index ‖ the audit path's 32-byte hashes).
 * - The last three parts are an ordinary compact JWS by the same key (same `kid` and `alg`),
 *   `typ` `entente-batch+jws`, payload `{"root": BASE64URL(root), "size": n}` in canonical form.
 *
 * A verifier checks the batch JWS once (any JOSE library can), then per statement the path
 * from its leaf to that root. A batch of one is never sent: it is the single form.
 */

export const BATCH_TYP = 'entente-batch+jws';
/** What a verifier accepts: a batch needs at most 16 path hashes. */
export const MAX_BATCH_SIZE = 65_536;
/** What this signer puts in one batch (a larger burst is split). */
const SIGNER_MAX_BATCH = 1024;
const HASH_BYTES = 32;
const INDEX_BYTES = 4;
/** Batch JWSs already verified, per key: a batch of n costs one verification, not n. */
const CACHE_PER_KEY = 4096;

interface BatchRoot {
  readonly root: Buffer;
  readonly size: number;
}

const verified = new WeakMap<RingKey, Map<string, BatchRoot>>();

/**
 * The signature step of a statement in the batched form, for verifyCompactJws: the batch JWS
 * verifies with the key the statement names (the same kid), and the proof leads from the
 * statement's leaf to the batch's root.
 */
export const checkBatched: BatchCheck = (parts, ring, entry, org, kid) => {
  const batch = verifiedBatch(parts.batchJws, ring, entry, org, kid);
  const { index, path } = decodeProof(parts.proof);
  try {
    verifyInclusion(leafHash(parts.signingInput), index, batch.size, path, batch.root, rememberedNode);
  } catch (err) {
    if (!(err instanceof LogError)) throw err;
    throw new JwsBadSignatureError(`the statement is not in the batch its signature covers: ${err.message}`, { cause: err });
  }
};

/**
 * nodeHash, remembered by its input: the statements of one batch share the upper part of
 * their paths, so of a batch of n statements' n·log2(n) interior hashes only n-1 differ (a
 * verifier hashed each again; issue 11). Keyed by the 64 input bytes, an answer is right
 * whichever batch asks. Bounded: emptied when full.
 */
function rememberedNode(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== HASH_BYTES || right.length !== HASH_BYTES) return nodeHash(left, right);
  const key = Buffer.from(left.buffer, left.byteOffset, HASH_BYTES).toString('latin1') + Buffer.from(right.buffer, right.byteOffset, HASH_BYTES).toString('latin1');
  const known = NODES.get(key);
  if (known !== undefined) return known;
  const hash = nodeHash(left, right);
  if (NODES.size >= MAX_NODES) NODES.clear();
  NODES.set(key, hash);
  return hash;
}
const NODES = new Map<string, Buffer>();
const MAX_NODES = 8192;

function verifiedBatch(batchJws: string, ring: KeyRing, entry: RingKey, org: string, kid: string): BatchRoot {
  let cache = verified.get(entry);
  const hit = cache?.get(batchJws);
  if (hit !== undefined) return hit;
  // The batch's kid first (§5.9 step 2): a batch under any other key is a bad signature for
  // this statement, whoever that key belongs to.
  const { header } = inspectCompactJws(batchJws);
  if (header['kid'] !== kid) throw new JwsBadSignatureError(`the statement names key ${kid} but its batch is signed with ${JSON.stringify(header['kid']) ?? 'no key'}`);
  const jws = verifyCompactJws(batchJws, ring, org);
  if (jws.header.typ !== BATCH_TYP) throw new JwsMalformedError(`the batch JWS has typ ${JSON.stringify(jws.header.typ) ?? 'undefined'}, not ${BATCH_TYP}`);
  const batch = batchRootOf(jws.payload);
  if (cache === undefined) verified.set(entry, (cache = new Map()));
  if (cache.size >= CACHE_PER_KEY) cache.delete(cache.keys().next().value!);
  cache.set(batchJws, batch);
  return batch;
}

function batchRootOf(payload: Record<string, unknown>): BatchRoot {
  const keys = Object.keys(payload).sort().join(',');
  const { root, size } = payload;
  const bytes = typeof root === 'string' ? decodeCanonicalBase64url(root) : undefined;
  if (keys !== 'root,size' || bytes?.length !== HASH_BYTES || typeof size !== 'number' || !Number.isInteger(size) || size < 2 || size > MAX_BATCH_SIZE) {
    throw new JwsMalformedError(`the batch payload must be exactly {"root": base64url of ${HASH_BYTES} bytes, "size": an integer from 2 to ${MAX_BATCH_SIZE}}`);
  }
  return { root: bytes, size };
}

/** Whether a statement's text is in the batched form (six parts) rather than a plain JWS. */
export function isBatched(jws: string): boolean {
  return jws.split('.').length === 6;
}

function decodeProof(encoded: string): { index: number; path: Buffer[] } {
  const bytes = decodeCanonicalBase64url(encoded);
  if (bytes === undefined || bytes.length < INDEX_BYTES || (bytes.length - INDEX_BYTES) % HASH_BYTES !== 0) {
    throw new JwsMalformedError(`the batch proof is not canonical base64url of a ${INDEX_BYTES}-byte index and ${HASH_BYTES}-byte hashes`);
  }
  const path: Buffer[] = [];
  for (let at = INDEX_BYTES; at < bytes.length; at += HASH_BYTES) path.push(bytes.subarray(at, at + HASH_BYTES));
  return { index: bytes.readUInt32BE(0), path };
}

interface Waiting {
  readonly input: string;
  readonly resolve: (jws: string) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Collects the statements one key signs within an event-loop turn, per group (a recipient:
 * a batch never mixes what two partners see), and signs each group once when the turn ends.
 * A group of one is signed in the single form, so an idle gateway's statements are ordinary
 * JWSs.
 */
export class BatchSigner {
  private readonly groups = new Map<string, Waiting[]>();
  private scheduled = false;

  constructor(private readonly key: SigningKey) {}

  /** Signs `signingInput` (made by key.signingInput) with the others of `group` in this turn. */
  sign(signingInput: string, group: string): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      let waiting = this.groups.get(group);
      if (waiting === undefined) this.groups.set(group, (waiting = []));
      waiting.push({ input: signingInput, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const groups = [...this.groups.values()];
    this.groups.clear();
    for (const waiting of groups) {
      for (let at = 0; at < waiting.length; at += SIGNER_MAX_BATCH) this.signBatch(waiting.slice(at, at + SIGNER_MAX_BATCH));
    }
  }

  private signBatch(batch: readonly Waiting[]): void {
    let signed: string[];
    try {
      signed = batch.length === 1 ? [this.key.signInput(batch[0]!.input)] : signBatch(this.key, batch.map((w) => w.input));
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    batch.forEach((w, i) => w.resolve(signed[i]!));
  }
}

/**
 * Signs `inputs` (signing inputs made by key.signingInput, at least two) as one batch: one
 * signature over their Merkle root; returns each statement in the batched form, in order.
 */
export function signBatch(key: SigningKey, inputs: readonly string[]): string[] {
  if (inputs.length < 2 || inputs.length > MAX_BATCH_SIZE) throw new RangeError(`a batch has 2 to ${MAX_BATCH_SIZE} statements, not ${inputs.length}`);
  const tree = MerkleTree.of(inputs.map((input) => leafHash(input)));
  const batchJws = key.signBatchRoot({ root: tree.root().toString('base64url'), size: inputs.length }, BATCH_TYP, inputs.length);
  return inputs.map((input, i) => {
    const index = Buffer.alloc(INDEX_BYTES);
    index.writeUInt32BE(i);
    const proof = Buffer.concat([index, ...tree.inclusionProof(i)]).toString('base64url');
    return `${input}.${proof}.${batchJws}`;
  });
}

const signers = new WeakMap<SigningKey, BatchSigner>();

/** The one BatchSigner of a key. */
export function batchSignerOf(key: SigningKey): BatchSigner {
  let signer = signers.get(key);
  if (signer === undefined) signers.set(key, (signer = new BatchSigner(key)));
  return signer;
}
