import { createHash, hash } from 'node:crypto';
import { LogProofInvalidError, LogRangeError } from './errors.js';

/**
 * The audit log as a Merkle tree in the RFC 6962 / RFC 9162 shape: leaf hash
 * SHA-256(0x00 ‖ leaf), node hash SHA-256(0x01 ‖ left ‖ right), the tree of n leaves split
 * at the largest power of two below n. Hashes are 32-byte Buffers.
 */

const HASH_BYTES = 32;
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);
/** Proofs from outside are bounded: no tree of up to 2^64 leaves needs more than 64 hashes. */
const MAX_PROOF_HASHES = 64;
const MAX_SIZE = 2n ** 64n - 1n;

/** The root of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/** SHA-256(0x00 ‖ leaf): the hash a log entry enters the tree with (a string as UTF-8). */
export function leafHash(leaf: Uint8Array | string): Buffer {
  const data = typeof leaf === 'string' ? Buffer.from(leaf, 'utf8') : leaf;
  return hash('sha256', Buffer.concat([LEAF_PREFIX, data]), 'buffer') as unknown as Buffer;
}

/** One buffer for the 65 bytes of every interior node's input (hashing is synchronous). */
const NODE_INPUT = Buffer.alloc(1 + 2 * HASH_BYTES);
NODE_INPUT[0] = 0x01;

/** SHA-256(0x01 ‖ left ‖ right): an interior node. One-shot: no Hash object per node. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_BYTES || right.length !== HASH_BYTES) return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
  NODE_INPUT.set(left, 1);
  NODE_INPUT.set(right, 1 + HASH_BYTES);
  return hash('sha256', NODE_INPUT, 'buffer') as unknown as Buffer;
}

/** The largest power of two strictly below n (n ≥ 2). Arithmetic, not bit operations: those are 32-bit in JS. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function checkCount(value: number, what: string, max: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new LogRangeError(`${what} ${value} is not an integer from 0 to ${max}`);
  }
}

/** One level of the tree: its hashes back to back in one growing buffer (no object per node). */
class Level {
  private buf = Buffer.alloc(HASH_BYTES * 64);
  count = 0;

  push(hash: Uint8Array): void {
    if ((this.count + 1) * HASH_BYTES > this.buf.length) {
      const bigger = Buffer.alloc(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.count * HASH_BYTES);
      this.buf = bigger;
    }
    this.buf.set(hash, this.count * HASH_BYTES);
    this.count++;
  }

  /** Hash i (a view: hashes once written never change). */
  at(i: number): Buffer {
    return this.buf.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES);
  }
}

/**
 * An append-only Merkle tree over leaf hashes, kept in memory with every complete subtree's
 * hash (about 64 bytes per leaf), so appends are amortised O(1) and roots and proofs for any
 * earlier size are O(log n) hashes.
 */
export class MerkleTree {
  /** levels[h]: hashes of the complete subtrees of 2^h leaves, left to right. */
  private readonly levels: Level[] = [new Level()];

  /** A tree over the given leaf hashes, in order. */
  static of(leafHashes: Iterable<Uint8Array>): MerkleTree {
    const tree = new MerkleTree();
    for (const h of leafHashes) tree.append(h);
    return tree;
  }

  /** Number of leaves. */
  get size(): number {
    return this.levels[0]!.count;
  }

  /** Appends one leaf hash (see leafHash) and returns its index. */
  append(hash: Uint8Array): number {
    if (hash.length !== HASH_BYTES) throw new LogRangeError(`a leaf hash is ${HASH_BYTES} bytes, not ${hash.length}; pass leafHash(entry)`);
    const index = this.size;
    this.levels[0]!.push(hash);
    // Each completed pair completes a subtree one level up.
    for (let level = 0, i = index; i % 2 === 1; level++, i = (i - 1) / 2) {
      const row = this.levels[level]!;
      const up = this.levels[level + 1] ?? (this.levels[level + 1] = new Level());
      up.push(nodeHash(row.at(i - 1), row.at(i)));
    }
    return index;
  }

  /** The hash of leaf `index`. */
  leaf(index: number): Buffer {
    checkCount(index, 'leaf index', this.size - 1);
    return Buffer.from(this.levels[0]!.at(index));
  }

  /** The root of the tree as it was at `size` leaves (default: now). */
  root(size: number = this.size): Buffer {
    checkCount(size, 'tree size', this.size);
    return size === 0 ? Buffer.from(EMPTY_ROOT) : this.subtree(0, size);
  }

  /** The audit path of leaf `index` in the tree of `size` leaves, leaf to root (RFC 9162 §2.1.3.1). */
  inclusionProof(index: number, size: number = this.size): Buffer[] {
    checkCount(size, 'tree size', this.size);
    checkCount(index, 'leaf index', size - 1);
    return this.path(index, 0, size);
  }

  /** The proof that the tree of `oldSize` leaves is a prefix of the tree of `size` (RFC 9162 §2.1.4.1). */
  consistencyProof(oldSize: number, size: number = this.size): Buffer[] {
    checkCount(size, 'tree size', this.size);
    checkCount(oldSize, 'old tree size', size);
    if (oldSize === 0 || oldSize === size) return [];
    return this.subproof(oldSize, 0, size, true);
  }

  /** MTH of the n leaves from `start`. Every left part of the recursion is complete and aligned. */
  private subtree(start: number, n: number): Buffer {
    if (n === 1) return this.levels[0]!.at(start);
    let height = 0;
    while (2 ** height < n) height++;
    if (2 ** height === n && start % n === 0) return this.levels[height]!.at(start / n);
    const k = splitPoint(n);
    return nodeHash(this.subtree(start, k), this.subtree(start + k, n - k));
  }

  private path(m: number, start: number, n: number): Buffer[] {
    if (n === 1) return [];
    const k = splitPoint(n);
    return m < k
      ? [...this.path(m, start, k), this.subtree(start + k, n - k)]
      : [...this.path(m - k, start + k, n - k), this.subtree(start, k)];
  }

  private subproof(m: number, start: number, n: number, whole: boolean): Buffer[] {
    if (m === n) return whole ? [] : [this.subtree(start, n)];
    const k = splitPoint(n);
    return m <= k
      ? [...this.subproof(m, start, k, whole), this.subtree(start + k, n - k)]
      : [...this.subproof(m - k, start + k, n - k, false), this.subtree(start, k)];
  }
}

/** Index and size come from outside (a partner, an export): parse them defensively as uint64. */
function toSize(value: number | bigint, what: string): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new LogRangeError(`${what} ${value} is not a safe integer; pass a bigint`);
  const big = BigInt(value);
  if (big < 0n || big > MAX_SIZE) throw new LogRangeError(`${what} ${big} is outside 0..2^64-1`);
  return big;
}

function checkHashes(proof: readonly Uint8Array[], what: string): void {
  if (proof.length > MAX_PROOF_HASHES) throw new LogProofInvalidError(`the ${what} has ${proof.length} hashes; no tree needs more than ${MAX_PROOF_HASHES}`);
  for (const [i, h] of proof.entries()) {
    if (h.length !== HASH_BYTES) throw new LogProofInvalidError(`the ${what}'s hash ${i} is ${h.length} bytes, not ${HASH_BYTES}`);
  }
}

const equal = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;
const odd = (x: bigint): boolean => (x & 1n) === 1n;

/**
 * Checks that `hash` is leaf `index` of the tree of `size` leaves whose root is `root`
 * (RFC 9162 §2.1.3.2). Throws LogProofInvalidError if not, LogRangeError for an index
 * outside the tree. `node` computes interior nodes (nodeHash, or a memo of it).
 */
export function verifyInclusion(
  hash: Uint8Array,
  index: number | bigint,
  size: number | bigint,
  proof: readonly Uint8Array[],
  root: Uint8Array,
  node: (left: Uint8Array, right: Uint8Array) => Uint8Array = nodeHash,
): void {
  const n = toSize(size, 'tree size');
  let fn = toSize(index, 'leaf index');
  if (fn >= n) throw new LogRangeError(`leaf index ${fn} is not in a tree of ${n} leaves`);
  checkHashes(proof, 'inclusion proof');
  let sn = n - 1n;
  let r: Uint8Array = hash;
  for (const p of proof) {
    if (sn === 0n) throw new LogProofInvalidError('the inclusion proof is longer than the path to the root');
    if (odd(fn) || fn === sn) {
      r = node(p, r);
      while (!odd(fn) && fn !== 0n) [fn, sn] = [fn >> 1n, sn >> 1n];
    } else {
      r = node(r, p);
    }
    [fn, sn] = [fn >> 1n, sn >> 1n];
  }
  if (sn !== 0n) throw new LogProofInvalidError('the inclusion proof is shorter than the path to the root');
  if (!equal(r, root)) throw new LogProofInvalidError(`leaf ${index} with this proof does not lead to the given root of size ${n}`);
}

/**
 * Checks that the tree of `oldSize` leaves with root `oldRoot` is a prefix of the tree of
 * `size` leaves with root `root` (RFC 9162 §2.1.4.2): nothing logged was removed or rewritten.
 */
export function verifyConsistency(
  oldSize: number | bigint,
  size: number | bigint,
  proof: readonly Uint8Array[],
  oldRoot: Uint8Array,
  root: Uint8Array,
): void {
  const m = toSize(oldSize, 'old tree size');
  const n = toSize(size, 'tree size');
  if (m > n) throw new LogRangeError(`old tree size ${m} is larger than tree size ${n}`);
  checkHashes(proof, 'consistency proof');
  if (m === n) {
    if (proof.length !== 0) throw new LogProofInvalidError('a proof between equal sizes must be empty');
    if (!equal(oldRoot, root)) throw new LogProofInvalidError(`two different roots for the same tree size ${n}`);
    return;
  }
  // Every tree extends the empty tree; there is nothing to prove.
  if (m === 0n) {
    if (proof.length !== 0) throw new LogProofInvalidError('a proof from the empty tree must be empty');
    return;
  }
  if (proof.length === 0) throw new LogProofInvalidError(`an empty proof cannot link size ${m} to size ${n}`);
  // When the old tree is a complete subtree, its root is the proof's implicit first hash.
  const path: readonly Uint8Array[] = (m & (m - 1n)) === 0n ? [oldRoot, ...proof] : proof;
  let fn = m - 1n;
  let sn = n - 1n;
  while (odd(fn)) [fn, sn] = [fn >> 1n, sn >> 1n];
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0n) throw new LogProofInvalidError('the consistency proof is longer than needed');
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(fn) && fn !== 0n) [fn, sn] = [fn >> 1n, sn >> 1n];
    } else {
      sr = nodeHash(sr, c);
    }
    [fn, sn] = [fn >> 1n, sn >> 1n];
  }
  if (sn !== 0n) throw new LogProofInvalidError('the consistency proof is shorter than needed');
  if (!equal(fr, oldRoot)) throw new LogProofInvalidError(`the consistency proof does not lead to the old root of size ${m}`);
  if (!equal(sr, root)) throw new LogProofInvalidError(`the consistency proof does not lead to the new root of size ${n}`);
}
