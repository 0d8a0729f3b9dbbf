import type { SealingKey } from '../crypto/index.js';
import type { Logger } from '../observability/index.js';
import type { DecisionLog, RetainedInput } from './ports.js';

/**
 * Retention of decision inputs (audit.retention): with a key, each decision's input is kept
 * sealed with it; after `periodMs` it is deleted. Without a key nothing is kept, and inputs
 * kept earlier still expire.
 */
export interface Retention {
  readonly key?: SealingKey;
  readonly periodMs: number;
}

/** Sweeps delete at most this many inputs per transaction, so that one never holds the writer long. */
const SWEEP_BATCH = 500;

/** A decision's input as retention keeps it: its canonical JSON, sealed for that decision only. */
export function sealInput(key: SealingKey, decisionId: string, inputJson: string, keptAt: number): RetainedInput {
  return { decisionId, keyId: key.id, sealed: key.seal(Buffer.from(inputJson, 'utf8'), decisionId), keptAt };
}

/** The canonical JSON text of a retained input; SEALED_INVALID when `key` is not the one that sealed it, or the bytes were altered. */
export function openInput(key: SealingKey, retained: RetainedInput): string {
  return key.open(retained.sealed, retained.decisionId).toString('utf8');
}

/**
 * Deletes every input kept longer than the retention period, a batch per transaction, and logs
 * each batch at info: how many and which decisions, never what they held. Resolves with the
 * decision ids whose input it deleted.
 */
export async function expireRetainedInputs(log: DecisionLog, retention: Retention, now: number, logger: Logger): Promise<string[]> {
  const deleted: string[] = [];
  for (;;) {
    const batch = await log.deleteRetainedInputs(now - retention.periodMs, now, SWEEP_BATCH);
    if (batch.length > 0) {
      logger.info({ count: batch.length, decision_ids: batch, retention_ms: retention.periodMs }, 'retained decision inputs deleted: their retention period ended');
    }
    deleted.push(...batch);
    if (batch.length < SWEEP_BATCH) return deleted;
  }
}
