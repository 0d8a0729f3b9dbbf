import { MerkleTree } from '../merkle.js';
import { LogInconsistentError, LogRangeError } from '../errors.js';
import type { LogStore } from '../ports.js';
import { openCheckpointWithAny, readCheckpoint, signCheckpoint, type Checkpoint } from './checkpoint.js';
import { SIG_TYPE, parseVkey, type NoteKey, type Vkey } from './note.js';

/** The origin line of an organization's log checkpoints, and its log key's name. */
export function logOrigin(org: string): string {
  return `entente/${org}`;
}

/** Leaf hashes read per query when catching up with the store. */
const PAGE = 50_000;
/**
 * How often, at most, the checkpoint that rides on calls and answers is renewed (a partner's
 * witness checks growth every 250 ms anyway): at one call at a time, signing one per call had
 * been ~6% of a task's CPU on each side.
 */
const RECENT_EVERY_MS = 100;

/**
 * This gateway's log: the Merkle tree over every statement it stored, in log order, and the
 * checkpoints it signs of that tree. The store holds the leaves (appended durably, with the
 * statements, before a task is answered); the tree follows it, reading what was appended since
 * it last looked, so every checkpoint covers only durable statements.
 */
export class AuditLog {
  private readonly tree = new MerkleTree();
  private latestCp: Checkpoint | undefined;
  /** Serialises catching up and signing: two callers never sign the same size twice. */
  private turn: Promise<unknown> = Promise.resolve();
  /**
   * The checkpoint computation queued behind the running one, not started yet: every caller
   * that arrives meanwhile shares it (it starts after their statements were committed), so a
   * burst of exchanges costs two catch-ups and at most two signatures, not one per caller.
   */
  private queued: Promise<Checkpoint> | undefined;
  /** When the latest checkpoint was signed (our clock), and the renewal waiting for its turn. */
  private signedAt = -Infinity;
  private renewal: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store: LogStore,
    private readonly key: NoteKey,
    private readonly now: () => number,
    private readonly onError: (err: unknown) => void = () => {},
    /** Verifier keys of log keys rotated from (vkeys): earlier checkpoints are signed by them. */
    private readonly previousKeys: readonly string[] = [],
  ) {}

  /** The log's origin (the first line of its checkpoints, and its key name). */
  get origin(): string {
    return this.key.name;
  }

  /** The verifier key of the log's checkpoints (type 0x01). */
  get vkey(): Vkey {
    return parseVkey(this.key.vkey(SIG_TYPE.ed25519));
  }

  /** Leaves in the tree (statements read from the store so far). */
  get size(): number {
    return this.tree.size;
  }

  /**
   * Reads every stored leaf into the tree and checks the log's latest stored checkpoint still
   * matches it: a store whose statements were edited or removed since cannot pass.
   */
  async open(): Promise<void> {
    await this.sync();
    const [last] = (await this.store.listCheckpoints()).slice(-1);
    if (last === undefined) return;
    const cp = this.openOwn(last.note);
    if (cp.size > BigInt(this.tree.size) || !cp.root.equals(this.tree.root(Number(cp.size)))) {
      throw new LogInconsistentError(
        `the store's statements do not match the log's own checkpoint at size ${cp.size} (the store holds ${this.tree.size}): ` +
          'statements were removed or changed outside the gateway; keep the store as evidence and restore it from a backup',
      );
    }
    this.latestCp = cp;
  }

  /** One of our checkpoints, signed by the current log key or one rotated from. */
  private openOwn(note: string): Checkpoint {
    // The current key last: a refusal names it.
    return openCheckpointWithAny(note, [...this.previousKeys.map(parseVkey), this.vkey]);
  }

  /** Catches the tree up with the statements the store holds now. */
  sync(): Promise<void> {
    return this.serial(() => this.catchUp());
  }

  /**
   * A checkpoint of the whole log as stored now: the latest one if nothing was appended since,
   * otherwise a new one, signed and recorded (its record rides in the next group commit: a
   * lost record is re-signed identically, Ed25519 being deterministic).
   */
  checkpoint(): Promise<Checkpoint> {
    if (this.queued !== undefined) return this.queued;
    const next = this.serial(async () => {
      if (this.queued === next) this.queued = undefined;
      await this.catchUp();
      const size = this.tree.size;
      if (this.latestCp !== undefined && this.latestCp.size === BigInt(size)) return this.latestCp;
      const cp = readCheckpoint(signCheckpoint(this.key, size, this.tree.root(size)));
      this.latestCp = cp;
      this.signedAt = this.now();
      // This one covers what a waiting renewal was for; the next call schedules another.
      this.cancelRenewal();
      this.store.saveCheckpoint(size, cp.note, this.now()).catch(this.onError);
      return cp;
    });
    this.queued = next;
    return next;
  }

  /**
   * The latest checkpoint signed, at once, while a newer one is made in the background if the
   * log grew: what rides on every call and answer (protocol §7), which must not wait for a
   * catch-up and a signature. Under load it trails the log by about one commit; a witness
   * checks a partner at most every 250 ms anyway. Only the first one is waited for.
   */
  recentCheckpoint(): Promise<Checkpoint> {
    const latest = this.latestCp;
    if (latest === undefined) return this.checkpoint();
    const wait = this.signedAt + RECENT_EVERY_MS - this.now();
    if (wait <= 0) this.checkpoint().catch(this.onError);
    else if (this.renewal === undefined) {
      // Renewed once the interval is up, so that the log's last statements get a checkpoint too.
      this.renewal = setTimeout(() => {
        this.renewal = undefined;
        this.checkpoint().catch(this.onError);
      }, wait);
      this.renewal.unref();
    }
    return Promise.resolve(latest);
  }

  /** Drops a pending renewal of the recent checkpoint (the store is about to close). */
  stop(): void {
    this.cancelRenewal();
  }

  private cancelRenewal(): void {
    clearTimeout(this.renewal);
    this.renewal = undefined;
  }

  /** The latest checkpoint signed, without catching up (undefined before the first). */
  get latest(): Checkpoint | undefined {
    return this.latestCp;
  }

  /** The root of the tree at `size` leaves. */
  root(size: number): Buffer {
    return this.tree.root(this.within(size, 'tree size'));
  }

  /** The leaf hash at `index`. */
  leaf(index: number): Buffer {
    return this.tree.leaf(index);
  }

  inclusionProof(index: bigint | number, size: bigint | number): Buffer[] {
    const n = this.within(size, 'tree size');
    return this.tree.inclusionProof(this.within(index, 'leaf index', n - 1), n);
  }

  consistencyProof(oldSize: bigint | number, size: bigint | number): Buffer[] {
    const n = this.within(size, 'tree size');
    return this.tree.consistencyProof(this.within(oldSize, 'old tree size', n), n);
  }

  /** Sizes and indexes come from partners: bounded by the tree before any arithmetic. */
  private within(value: bigint | number, what: string, max: number = this.tree.size): number {
    const big = BigInt(value);
    if (big < 0n || big > BigInt(max)) throw new LogRangeError(`${what} ${big} is outside this log (0..${max})`);
    return Number(big);
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const hashes = await this.store.leafHashes(this.tree.size, PAGE);
      for (const h of hashes) this.tree.append(h);
      if (hashes.length < PAGE) return;
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.turn.then(fn, fn);
    this.turn = run.catch(() => {});
    return run;
  }
}
