import { AuditError, CheckpointInvalidError, LogError, LogInconsistentError } from '../errors.js';
import { verifyConsistency } from '../merkle.js';
import type { LogAlarmRecord, LogStore } from '../ports.js';
import { cosign, openCheckpointWithAny, readCheckpoint, type Checkpoint } from './checkpoint.js';
import { withSignatures, type NoteKey, type Vkey } from './note.js';

/** Asks the log for a consistency proof between two of its sizes (GetConsistencyProof). */
export type ProofSource = (oldSize: bigint, size: bigint) => Promise<Buffer[]>;

export interface WitnessDeps {
  readonly store: LogStore;
  /** Our log key, cosigning as a witness (signature type 0x04). */
  readonly key: NoteKey;
  readonly now: () => number;
  /**
   * A partner's log verifier keys (pinned, or learned from its card: the current one and
   * those it rotated from). With `refresh`, asked again of the partner first (a checkpoint
   * signed by none of the known keys may be signed by a key it rotated to); undefined when the
   * partner could not be asked just now (unreachable, or asked moments ago).
   */
  readonly keysOf: (partner: string, refresh: boolean) => Promise<readonly Vkey[] | undefined>;
  /** Told of every alarm once it is recorded (an error line, a metric). */
  readonly onAlarm: (alarm: LogAlarmRecord) => void;
  /**
   * How often, at most, a partner's newer checkpoints seen in exchanges are checked (a proof
   * asked for); 0 (default) checks each as it comes. Contradictions of what is known (the same
   * size with another root) are checked at once whatever this says.
   */
  readonly checkEveryMs?: number;
  /** Told of a check that could not be made (partner unreachable, key unknown): not an alarm. */
  readonly onSkip?: (partner: string, why: string) => void;
}

interface Held {
  readonly size: bigint;
  readonly root: Buffer;
  readonly note: string;
}

/** The witness's answer to a log whose old size is not the one it holds (tlog-witness's 409). */
export class WitnessConflictError extends Error {
  constructor(readonly heldSize: bigint) {
    super(`the witness holds a checkpoint of size ${heldSize}; send a consistency proof from that size`);
  }
}

/** Verified roots kept per partner, to check an older checkpoint without asking for a proof. */
const KNOWN_ROOTS = 4096;

/**
 * A witness of partners' logs (C2SP tlog-witness semantics, over our federation protocol): it
 * holds the largest checkpoint of each partner it verified, accepts a new one only with a
 * consistency proof from the one it holds, cosigns what it accepts, and raises an alarm,
 * recorded as evidence, when a partner shows a checkpoint no append-only history explains.
 * Work per partner is serialised; partners are independent.
 */
export class Witness {
  private readonly held = new Map<string, Held | undefined>();
  private readonly roots = new Map<string, Map<bigint, Buffer>>();
  private readonly turns = new Map<string, Promise<unknown>>();
  private readonly alarmed = new Set<string>();
  /** When each partner's growth was last checked (see WitnessDeps.checkEveryMs). */
  private readonly checkedAt = new Map<string, number>();
  /** The newest checkpoint of each partner waiting to be checked (see observe). */
  private readonly waiting = new Map<string, { size: bigint; note: string; proofs: ProofSource; done: Promise<void> }>();
  /**
   * Each partner's last checkpoint text found to match a root we verified: under load most
   * exchanges bring the same one again, and it is not parsed again (~1% of a gateway's CPU).
   */
  private readonly lastMatched = new Map<string, string>();

  constructor(private readonly deps: WitnessDeps) {}

  /**
   * A checkpoint a partner sent with an exchange: checked against what we hold (asking the
   * partner for a consistency proof when the sizes differ) and, when newer and consistent,
   * accepted and cosigned. Never throws: failures to check are reported to onSkip, evidence of
   * a rewrite becomes an alarm.
   */
  observe(partner: string, note: string, proofs: ProofSource): Promise<void> {
    // A checkpoint we already verified (the same size and root) needs nothing more.
    if (this.lastMatched.get(partner) === note) return Promise.resolve();
    // The one already waiting to be checked, brought again (every exchange until the check
    // runs does): nothing to parse (~1% of a gateway's CPU under load, issue 11). Only while
    // its size is still unverified: once another checkpoint of that size was, this one must be
    // compared with it on its own (a second root for one size is a fork).
    const same = this.waiting.get(partner);
    if (same !== undefined && same.note === note && !this.rootsOf(partner).has(same.size)) return same.done;
    let claimed: Checkpoint | undefined;
    try {
      claimed = readCheckpoint(note);
      if (this.rootsOf(partner).get(claimed.size)?.equals(claimed.root)) {
        this.lastMatched.set(partner, note);
        return Promise.resolve();
      }
    } catch {
      claimed = undefined;
    }
    // Under load every answer brings a newer checkpoint: only the newest waiting one is
    // checked (one proof request, not one per exchange). One that contradicts what we know, or
    // does not parse, is checked on its own.
    const waiting = this.waiting.get(partner);
    const known = claimed !== undefined && this.rootsOf(partner).has(claimed.size);
    if (claimed !== undefined && !known && waiting !== undefined) {
      if (claimed.size > waiting.size) Object.assign(waiting, { size: claimed.size, note, proofs });
      return waiting.done;
    }
    const entry = { size: claimed?.size ?? -1n, note, proofs, done: Promise.resolve() };
    if (claimed !== undefined && !known) this.waiting.set(partner, entry);
    entry.done = this.serial(partner, async () => {
      // Growth is checked at most every `checkEveryMs` per partner: checkpoints that come
      // meanwhile replace the waiting one, so a busy partner costs a few proofs a second.
      const wait = (this.checkedAt.get(partner) ?? -Infinity) + (this.deps.checkEveryMs ?? 0) - this.deps.now();
      if (wait > 0 && !known) await new Promise((done) => setTimeout(done, wait).unref());
      this.checkedAt.set(partner, this.deps.now());
      if (this.waiting.get(partner) === entry) this.waiting.delete(partner);
      try {
        const cp = await this.open(partner, entry.note);
        if (cp === undefined) return;
        await this.check(partner, cp, entry.proofs);
      } catch (err) {
        if (!(err instanceof LogError)) this.deps.onSkip?.(partner, (err as Error).message);
      }
    });
    return entry.done;
  }

  /**
   * The log's own request to be witnessed (tlog-witness add-checkpoint): `oldSize` must be the
   * size we hold (WitnessConflictError tells the caller which), the proof must join the two.
   * Returns our cosignature line.
   */
  add(partner: string, oldSize: bigint, proof: readonly Buffer[], note: string): Promise<string> {
    return this.serial(partner, async () => {
      const cp = await this.open(partner, note);
      if (cp === undefined) throw new CheckpointInvalidError(`${partner}'s log key is not known here yet; it is learned from the card or the federation bundle`);
      const held = await this.heldOf(partner);
      if ((held?.size ?? 0n) !== oldSize) throw new WitnessConflictError(held?.size ?? 0n);
      if (held !== undefined && cp.size < held.size) throw new WitnessConflictError(held.size);
      await this.check(partner, cp, async () => [...proof]);
      const now = await this.heldOf(partner);
      if (now === undefined || now.size !== cp.size || !now.root.equals(cp.root)) {
        throw new LogInconsistentError(`the checkpoint of ${partner} at size ${cp.size} is inconsistent with the one this witness holds`);
      }
      return this.cosignLine(cp);
    });
  }

  /** The checkpoint we hold of a partner (the largest verified), if any. */
  async holds(partner: string): Promise<Checkpoint | undefined> {
    const held = await this.serial(partner, () => this.heldOf(partner));
    return held === undefined ? undefined : readCheckpoint(held.note);
  }

  private async open(partner: string, note: string): Promise<Checkpoint | undefined> {
    let keys = (await this.deps.keysOf(partner, false)) ?? [];
    if (keys.length === 0) keys = (await this.deps.keysOf(partner, true)) ?? [];
    if (keys.length === 0) {
      this.deps.onSkip?.(partner, 'its log key is not known yet');
      return undefined;
    }
    let failure = openWith(note, keys);
    if (failure instanceof AuditError) {
      // Perhaps signed by a key the partner rotated to since: ask for its keys once more, and
      // judge only with what it answers now (a later exchange brings the checkpoint again).
      const now = await this.deps.keysOf(partner, true);
      if (now === undefined) {
        this.deps.onSkip?.(partner, 'its checkpoint is signed by a key not known here, and its card cannot be asked now');
        return undefined;
      }
      failure = openWith(note, now);
    }
    if (!(failure instanceof AuditError)) return failure;
    // A checkpoint that claims to be the partner's but does not verify is evidence too.
    await this.alarm(partner, failure, undefined, note);
    throw failure;
  }

  private async check(partner: string, cp: Checkpoint, proofs: ProofSource): Promise<void> {
    const held = await this.heldOf(partner);
    if (held === undefined) {
      await this.accept(partner, cp);
      return;
    }
    const known = this.rootsOf(partner).get(cp.size);
    if (known !== undefined) {
      if (!known.equals(cp.root)) await this.inconsistent(partner, held, cp, `two different roots for size ${cp.size}`);
      return;
    }
    const [older, newer] = cp.size < held.size ? [{ size: cp.size, root: cp.root }, held] : [held, { size: cp.size, root: cp.root }];
    const proof = await proofs(older.size, newer.size);
    try {
      verifyConsistency(older.size, newer.size, proof, older.root, newer.root);
    } catch (err) {
      if (!(err instanceof LogError)) throw err;
      await this.inconsistent(partner, held, cp, (err as Error).message);
      return;
    }
    if (cp.size > held.size) await this.accept(partner, cp);
    else this.remember(partner, cp.size, cp.root);
  }

  private async accept(partner: string, cp: Checkpoint): Promise<void> {
    const note = withSignatures(cp.note, [this.cosignLine(cp)]);
    await this.deps.store.saveWitnessed({ partner, size: Number(cp.size), note, verifiedAt: this.deps.now() });
    this.held.set(partner, { size: cp.size, root: cp.root, note });
    this.remember(partner, cp.size, cp.root);
  }

  private cosignLine(cp: Checkpoint): string {
    return cosign(this.deps.key, cp.text, BigInt(Math.floor(this.deps.now() / 1000)));
  }

  private async inconsistent(partner: string, held: Held, cp: Checkpoint, detail: string): Promise<void> {
    const err = new LogInconsistentError(
      `${partner}'s log shows a checkpoint at size ${cp.size} inconsistent with the one at size ${held.size} witnessed before (${detail}): its history was rewritten or forked`,
    );
    await this.alarm(partner, err, held.note, cp.note);
  }

  private async alarm(partner: string, err: LogError | AuditError, held: string | undefined, offending: string): Promise<void> {
    const key = `${partner}\n${offending}`;
    if (this.alarmed.has(key)) return;
    this.alarmed.add(key);
    const alarm: LogAlarmRecord = { partner, at: this.deps.now(), code: err.code, message: err.message, ...(held !== undefined ? { held } : {}), offending };
    await this.deps.store.recordAlarm(alarm);
    this.deps.onAlarm(alarm);
  }

  private async heldOf(partner: string): Promise<Held | undefined> {
    if (!this.held.has(partner)) {
      const [record] = await this.deps.store.heldCheckpoints(partner);
      const cp = record === undefined ? undefined : readCheckpoint(record.note);
      this.held.set(partner, cp === undefined ? undefined : { size: cp.size, root: cp.root, note: record!.note });
      if (cp !== undefined) this.remember(partner, cp.size, cp.root);
    }
    return this.held.get(partner);
  }

  private rootsOf(partner: string): Map<bigint, Buffer> {
    let roots = this.roots.get(partner);
    if (roots === undefined) this.roots.set(partner, (roots = new Map()));
    return roots;
  }

  private remember(partner: string, size: bigint, root: Buffer): void {
    const roots = this.rootsOf(partner);
    roots.set(size, root);
    if (roots.size > KNOWN_ROOTS) roots.delete(roots.keys().next().value!);
  }

  private serial<T>(partner: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.turns.get(partner) ?? Promise.resolve()).then(fn, fn);
    this.turns.set(partner, run.catch(() => {}));
    return run;
  }
}

/** The checkpoint opened with the first of `keys` that verifies it, or the refusal. */
function openWith(note: string, keys: readonly Vkey[]): Checkpoint | AuditError {
  try {
    return openCheckpointWithAny(note, keys);
  } catch (err) {
    if (err instanceof AuditError) return err;
    throw err;
  }
}
