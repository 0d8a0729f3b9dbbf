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

export interface LogExchangeOptions {
  readonly store: LogStore;
  readonly key: NoteKey;
  readonly clients: FederationClients;
  /** Partners, with the log key pinned in the configuration if any. */
  readonly partners: () => readonly { readonly org: string; readonly logKey?: string }[];
  readonly now: () => number;
  readonly log: Logger;
}

/**
 * The audit log across the federation: serves our log's checkpoints and proofs, checks every
 * checkpoint a partner sends against the one we hold (witnessing it), and offers our new
 * checkpoints to each partner to cosign, keeping the cosignatures they return.
 */
export class LogExchange implements FederationAudit {
  readonly log: AuditLog;
  readonly witness: Witness;
  /** Partners' log keys learned from their cards (pinned keys take precedence). */
  private readonly learned = new Map<string, Vkey>();
  /** The size of our checkpoint each partner last cosigned (or holds, as it told us). */
  private readonly cosigned = new Map<string, bigint>();
  private readonly alarms: LogAlarmRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private publishing = false;

  constructor(private readonly opts: LogExchangeOptions) {
    this.log = new AuditLog(opts.store, opts.key, opts.now, (err) => opts.log.error({ err }, 'could not record a checkpoint'));
    this.witness = new Witness({
      store: opts.store,
      key: opts.key,
      now: opts.now,
      keyOf: (partner) => this.keyOf(partner),
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
    for (const cp of await this.opts.store.listCheckpoints({ cosignedOnly: true })) {
      for (const c of cp.cosignatures) this.cosigned.set(c.witness, BigInt(cp.size));
    }
    this.timer = setInterval(() => void this.publish(), PUBLISH_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Alarms raised so far (recorded in the store; these survive restarts). */
  get alarmCount(): number {
    return this.alarms.length;
  }

  get recentAlarms(): readonly LogAlarmRecord[] {
    return this.alarms.slice(-20);
  }

  /** The key a partner publishes on its card, learned when no key is pinned for it. */
  learnKey(partner: string, vkey: string): void {
    if (vkey === '' || this.pinned(partner) !== undefined) return;
    try {
      const key = parseVkey(vkey);
      const known = this.learned.get(partner);
      if (known !== undefined && known.text !== key.text) {
        this.opts.log.warn({ partner, was: known.text, now: key.text }, "a partner's card shows a new audit log key; checkpoints are checked with the new one");
      }
      this.learned.set(partner, key);
    } catch (err) {
      this.opts.log.warn({ partner, err }, 'a partner card shows a log key that does not parse');
    }
  }

  async checkpoint(): Promise<string> {
    return (await this.log.checkpoint()).note;
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

  /** A partner's log key as known now (pinned, or learned from its card). */
  logKeyOf(partner: string): string | undefined {
    return this.pinned(partner) ?? this.learned.get(partner)?.text;
  }

  private pinned(partner: string): string | undefined {
    return this.opts.partners().find((p) => p.org === partner)?.logKey;
  }

  private async keyOf(partner: string): Promise<Vkey | undefined> {
    const pinned = this.pinned(partner);
    if (pinned !== undefined) return parseVkey(pinned);
    if (!this.learned.has(partner) && this.opts.clients.has(partner)) {
      try {
        this.learnKey(partner, (await this.opts.clients.getCard(partner, this.opts.now() + CALL_MS)).log_key);
      } catch {
        // unreachable: the checkpoint is checked at a later exchange
      }
    }
    return this.learned.get(partner);
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
