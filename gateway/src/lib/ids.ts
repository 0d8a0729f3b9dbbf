import { randomFillSync } from 'node:crypto';

/**
 * Random bytes drawn from the CSPRNG in bulk (one call per 8 KiB, not one per identifier or
 * salt) and handed out once each: what randomBytes(n) gives, without its per-call cost.
 */
const pool = Buffer.alloc(8192);
let used = pool.length;

/** `n` (at most 256) fresh random bytes, never handed out before. */
export function randomFromPool(n: number): Buffer {
  if (n > 256) throw new RangeError(`randomFromPool gives at most 256 bytes, not ${n}`);
  if (used + n > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const bytes = Buffer.from(pool.subarray(used, used + n));
  used += n;
  return bytes;
}

/**
 * A UUID version 7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, then 74 random bits. Ids
 * made later sort later, so rows keyed by them are appended to the right edge of an index
 * instead of landing on random pages: a group commit of many tasks writes a few pages per
 * index to the WAL, not one per task (with version 4 ids, the random pages were most of the
 * bytes each commit had to fsync). Unique like a v4 id for our purposes; it reveals when it
 * was made, which the statements that carry it say anyway.
 *
 * @example timeOrderedId() // '019ae0c4-5b3e-7c1a-9f4e-2d1b6a0c8e57'
 */
export function timeOrderedId(now = Date.now()): string {
  const b = Buffer.allocUnsafe(16);
  b.writeUIntBE(now, 0, 6);
  randomFromPool(10).copy(b, 6);
  b[6] = 0x70 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
