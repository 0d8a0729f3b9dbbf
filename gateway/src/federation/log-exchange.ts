import {
  AuditError,
  AuditLog,
  LogInconsistentError,
  LogRangeError,
  parseVkey,
  Witness,
  WitnessConflictError,
  type LogAlarmRecord,
  type LogStore,
  type NoteKey,
  type Vkey,
} from '../audit/index.js';
import type { Logger } from '../observability/index.js';
import { TaskError } from '../tasks/index.js';
import type { FederationClients } from './client.js';
import type { FederationAudit } from './server.js';

/** How long a background log call to a partner may take. */
const CALL_MS = 5000;
/** How often our latest checkpoint is offered to partners for cosigning, when it has grown. */
const PUBLISH_MS = 1000;
/** A partner's growing log is checked (a consistency proof asked for) at most this often. */
const CHECK_EVERY_MS = 250;
/** A partner's card is fetched again for its keys at most this often. */
const REFETCH_MS = 5000;

export interface LogExchangeOptions {
  readonly store: LogStore;
  readonly key: NoteKey;
  readonly clients: FederationClients;
  /** Partners, with the log key pinned in the configuration if any. */
  readonly partners: () => readonly { readonly org: string; readonly logKey?: string }[];
  readonly now: () => number;
  readonly log: Logger;
  /** Our log keys rotated from (vkeys). */
  readonly previousLogKeys?: readonly string[];
}

/**
 * The audit log across the federation: serves our log's checkpoints and proofs, checks every
 * checkpoint a partner sends against the one we hold (witnessing it), and offers our new
 * checkpoints to each partner to cosign, keeping the cosignatures they return.
 */
export class LogExchange implements FederationAudit {
  readonly log: AuditLog;
  readonly witness: Witness;
  /** Partners' log keys learned from their cards, oldest first (pinned keys take precedence). */
  private readonly learned = new Map<string, Vkey[]>();
  /** When each partner's card was last fetched for its keys: at most every few seconds. */
  private readonly fetchedAt = new Map<string, number>();
  /** The size of our checkpoint each partner last cosigned (or holds, as it told us). */
  private readonly cosigned = new Map<string, bigint>();
  private readonly alarms: LogAlarmRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private publishing = false;

  constructor(private readonly opts: LogExchangeOptions) {
    this.log = new AuditLog(opts.store, opts.key, opts.now, (err) => opts.log.error({ err }, 'could not record a checkpoint'), opts.previousLogKeys);
    this.witness = new Witness({
      store: opts.store,
      key: opts.key,
      now: opts.now,
      keysOf: (partner, refresh) => this.keysOf(partner, refresh),
      checkEveryMs: CHECK_EVERY_MS,
      onAlarm: (alarm) => {
        this.alarms.push(alarm);
        opts.log.error({ partner: alarm.partner, code: alarm.code, alarm: alarm.message }, 'ALARM: a partner’s audit log contradicts what we witnessed');
      },
      onSkip: (partner, why) => opts.log.debug({ partner, why }, 'partner checkpoint not checked'),
    });
  }

  /** Reads the log, recalls the alarms and what partners cosigned, and starts offering checkpoints. */
  async start(): Promise<void> {
    await this.log.open();
    this.alarms.push(...(await this.opts.store.listAlarms()));
    for (const { partner, key } of await this.opts.store.partnerKeys('log')) {
      try {
        this.learned.set(partner, [...(this.learned.get(partner) ?? []), parseVkey(key)]);
      } catch {
        // a key that no longer parses is not used
      }
    }
    for (const cp of await this.opts.store.listCheckpoints({ cosignedOnly: true })) {
      for (const c of cp.cosignatures) this.cosigned.set(c.witness, BigInt(cp.size));
    }
    this.timer = setInterval(() => void this.publish(), PUBLISH_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.log.stop();
  }

  /** The largest of our checkpoints each partner cosigned. */
  get cosignedBy(): ReadonlyMap<string, bigint> {
    return this.cosigned;
  }

  /** Alarms raised so far (recorded in the store; these survive restarts). */
  get alarmCount(): number {
    return this.alarms.length;
  }

  get recentAlarms(): readonly LogAlarmRecord[] {
    return this.alarms.slice(-20);
  }

  /**
   * The keys a partner publishes on its card (its current log key and those it rotated from),
   * learned and remembered when no key is pinned for it.
   */
  learnKeys(partner: string, vkeys: readonly string[]): void {
    if (this.pinned(partner) !== undefined) return;
    for (const text of vkeys.filter((v) => v !== '')) {
      try {
        const key = parseVkey(text);
        const known = this.learned.get(partner) ?? [];
        if (known.some((k) => k.text === key.text)) continue;
        if (known.length > 0) this.opts.log.warn({ partner, key: key.text }, "a partner's card shows a new audit log key; its checkpoints are checked with it too");
        this.learned.set(partner, [...known, key]);
        this.opts.store.rememberPartnerKey(partner, 'log', key.text, this.opts.now()).catch((err: unknown) => this.opts.log.error({ err }, 'could not remember a partner log key'));
      } catch (err) {
        this.opts.log.warn({ partner, err }, 'a partner card shows a log key that does not parse');
      }
    }
  }

  async checkpoint(): Promise<string> {
    return (await this.log.checkpoint()).note;
  }

  /** The latest checkpoint signed, not waiting for a newer one (see AuditLog.recentCheckpoint). */
  async recentCheckpoint(): Promise<string> {
    return (await this.log.recentCheckpoint()).note;
  }

  inclusionProof(index: bigint, size: bigint): Buffer[] {
    return this.mapRange(() => this.log.inclusionProof(index, size));
  }

  consistencyProof(first: bigint, second: bigint): Buffer[] {
    return this.mapRange(() => this.log.consistencyProof(first, second));
  }

  async addCheckpoint(partner: string, oldSize: bigint, proof: Buffer[], note: string): Promise<string> {
    try {
      return await this.witness.add(partner, oldSize, proof, note);
    } catch (err) {
      if (err instanceof WitnessConflictError) throw err;
      if (err instanceof LogInconsistentError) throw new TaskError('log_inconsistent', err.message);
      if (err instanceof AuditError) throw new TaskError('checkpoint_invalid', err.message);
      throw err;
    }
  }

  observe(partner: string, note: string): void {
    void this.witness.observe(partner, note, (m, n) => this.opts.clients.getConsistencyProof(partner, m, n, this.opts.now() + CALL_MS));
  }

  /** Offers our latest checkpoint to every partner that has not cosigned it yet. */
  async publish(): Promise<void> {
    if (this.publishing) return;
    this.publishing = true;
    try {
      const cp = await this.log.checkpoint();
      await Promise.all(this.opts.partners().map((p) => this.offer(p.org, cp.size, cp.note)));
    } catch (err) {
      this.opts.log.error({ err }, 'could not offer our checkpoint to partners');
    } finally {
      this.publishing = false;
    }
  }

  private async offer(partner: string, size: bigint, note: string): Promise<void> {
    if (size === 0n || !this.opts.clients.has(partner)) return;
    let from = this.cosigned.get(partner) ?? 0n;
    if (from >= size) return;
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const answer = await this.opts.clients.addCheckpoint(partner, from, this.log.consistencyProof(from, size), note, this.opts.now() + CALL_MS);
        if ('cosignature' in answer) {
          await this.opts.store.addCosignature(Number(size), partner, answer.cosignature, this.opts.now());
          this.cosigned.set(partner, size);
          return;
        }
        if (answer.heldSize > size) {
          // It holds more of our log than we have: our store lost statements it once had.
          this.opts.log.error({ partner, held: String(answer.heldSize), size: String(size) }, 'a partner holds a larger checkpoint of our log than our store has; the store lost statements');
          return;
        }
        from = answer.heldSize;
      }
    } catch (err) {
      this.opts.log.debug({ partner, err }, 'partner did not cosign our checkpoint (tried again later)');
    }
  }

  /** A partner's log keys as known now (pinned, or learned from its cards, oldest first). */
  logKeysOf(partner: string): string[] {
    const pinned = this.pinned(partner);
    return pinned !== undefined ? [pinned] : (this.learned.get(partner) ?? []).map((k) => k.text);
  }

  private pinned(partner: string): string | undefined {
    return this.opts.partners().find((p) => p.org === partner)?.logKey;
  }

  private async keysOf(partner: string, refresh: boolean): Promise<readonly Vkey[] | undefined> {
    const pinned = this.pinned(partner);
    if (pinned !== undefined) return [parseVkey(pinned)];
    if (!refresh && this.learned.has(partner)) return this.learned.get(partner);
    const due = (this.fetchedAt.get(partner) ?? 0) + REFETCH_MS <= this.opts.now();
    if (!due || !this.opts.clients.has(partner)) return refresh ? undefined : [];
    this.fetchedAt.set(partner, this.opts.now());
    try {
      const card = await this.opts.clients.getCard(partner, this.opts.now() + CALL_MS);
      this.learnKeys(partner, [card.log_key, ...card.previous_log_keys]);
    } catch {
      // unreachable: the checkpoint is checked at a later exchange
      return refresh ? undefined : [];
    }
    return this.learned.get(partner) ?? [];
  }

  private mapRange(fn: () => Buffer[]): Buffer[] {
    try {
      return fn();
    } catch (err) {
      if (err instanceof LogRangeError) throw new TaskError('log_range', err.message);
      throw err;
    }
  }
}
