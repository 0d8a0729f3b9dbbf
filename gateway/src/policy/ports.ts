import type { PolicyContent } from './engine.js';
import type { DecisionRecord } from './record.js';

/**
 * What policy/ needs of storage: the decision log. Declared here, implemented by the drivers
 * under store/.
 */

/** A decision's input, sealed (AES-256-GCM, see SealingKey) and kept for the retention period. */
export interface RetainedInput {
  readonly decisionId: string;
  /** The id of the key that sealed it: a replay with another key can say so. */
  readonly keyId: string;
  /** IV ‖ ciphertext ‖ tag, bound to the decision id. */
  readonly sealed: Uint8Array;
  /** When it was kept (epoch ms): the retention period counts from here. */
  readonly keptAt: number;
}

/** A retained input as stored: sealed, or deleted at the end of its retention period (then only when). */
export type StoredInput = RetainedInput | (Omit<RetainedInput, 'sealed'> & { readonly deletedAt: number });

export interface DecisionLog {
  /**
   * Records a decision, with its sealed input when retention is on, without hurrying a
   * commit: it joins the next transaction the store commits anyway (the task's own write,
   * usually), or commits on its own shortly after. Resolves once durable. A decision id is
   * recorded once; a second record of it is refused.
   */
  recordDecision(record: DecisionRecord, retained?: RetainedInput): Promise<void>;
  /** Keeps a revision's content, once: storing a revision already kept changes nothing. */
  storePolicyRevision(revision: string, content: PolicyContent): Promise<void>;
  getDecision(decisionId: string): Promise<DecisionRecord | undefined>;
  getPolicyRevision(revision: string): Promise<PolicyContent | undefined>;
  getRetainedInput(decisionId: string): Promise<StoredInput | undefined>;
  /**
   * Deletes the sealed inputs kept before `keptBefore` (the oldest first, at most `limit`),
   * remembering when (`deletedAt`); resolves with their decision ids.
   */
  deleteRetainedInputs(keptBefore: number, deletedAt: number, limit: number): Promise<string[]>;
}
