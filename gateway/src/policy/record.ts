import { canonicalize, newSalt, saltedDigestOfCanonical } from '../crypto/index.js';
import type { DecisionPoint } from './engine.js';

/** Every decision the gateway makes: the three decision points and the card. */
export const RECORDED_POINTS = ['outbound', 'inbound', 'disclosure', 'card'] as const;
export type RecordedPoint = DecisionPoint | 'card';

/** A decision point's outcome, as recorded and as replayed: never a payload, only its salted digest. */
export interface PointOutcome {
  readonly kind: 'decision';
  readonly allow: boolean;
  readonly reasons: readonly string[];
  readonly requireApproval: boolean;
  /** Salted digest (the record's salt) of what may leave: the outbound input or the disclosed result, when allowed. */
  readonly payloadDigest?: string;
}

/** The card decision's outcome: the capability names shown, sorted. */
export interface CardOutcome {
  readonly kind: 'card';
  readonly visible: readonly string[];
}

export type DecisionOutcome = PointOutcome | CardOutcome;

/**
 * One policy decision, as the decision log keeps it: which decision, under which revision,
 * when (the time the policy saw), a salted digest of its input, and its outcome. It holds no
 * payload: the input is kept only when retention is on, sealed, apart (see RetainedInput).
 */
export interface DecisionRecord {
  readonly decisionId: string;
  readonly point: RecordedPoint;
  readonly revision: string;
  /** Epoch milliseconds: what time.now_ns() returned to the policy. */
  readonly decidedAt: number;
  /** A fresh salt for this record's digests (16 random bytes, base64url). */
  readonly salt: string;
  /** saltedDigest(salt, input): an input given for a replay must match it. */
  readonly inputDigest: string;
  readonly outcome: DecisionOutcome;
}

/** What decide() or decideCard() decided, as they hand it to the engine's recorder. */
export interface MadeDecision {
  readonly point: RecordedPoint;
  readonly id: string;
  readonly revision: string;
  readonly at: number;
  readonly input: unknown;
  readonly outcome: DecidedOutcome;
}

/** An outcome with its payload, before the payload becomes a digest. */
export type DecidedOutcome =
  | { readonly kind: 'decision'; readonly allow: boolean; readonly reasons: readonly string[]; readonly requireApproval: boolean; readonly payload?: unknown }
  | { readonly kind: 'card'; readonly visible: Iterable<string> };

/** Where decide() and decideCard() hand each decision made with an engine (the decision log's recorder). */
export interface DecisionSink {
  /** Must not throw: recording must never change what the gateway does with the decision. */
  record(made: MadeDecision): void;
}

/**
 * The record of a decision, and the input's canonical JSON (what retention seals). One
 * canonicalization and one hash of the input; one of the payload, if any.
 */
export function recordOf(made: MadeDecision, salt: string = newSalt()): { readonly record: DecisionRecord; readonly inputJson: string } {
  const inputJson = canonicalJson(made.input);
  return {
    record: {
      decisionId: made.id,
      point: made.point,
      revision: made.revision,
      decidedAt: made.at,
      salt,
      inputDigest: saltedDigestOfCanonical(salt, inputJson),
      outcome: outcomeOf(made.outcome, salt),
    },
    inputJson,
  };
}

/** An outcome as recorded: the payload replaced by its salted digest, card names sorted. */
export function outcomeOf(outcome: DecidedOutcome, salt: string): DecisionOutcome {
  if (outcome.kind === 'card') return { kind: 'card', visible: [...new Set(outcome.visible)].sort() };
  const { allow, reasons, requireApproval } = outcome;
  const payloadDigest = 'payload' in outcome ? saltedDigestOfCanonical(salt, canonicalJson(outcome.payload)) : undefined;
  return { kind: 'decision', allow, reasons: [...reasons], requireApproval, ...(payloadDigest !== undefined ? { payloadDigest } : {}) };
}

/**
 * RFC 8785 JSON of a value. A value JSON cannot carry (an agent's `undefined` field, a Date)
 * is taken in its JSON form, as the policy saw it: what Rego reads is JSON.
 */
export function canonicalJson(value: unknown): string {
  try {
    return canonicalize(value);
  } catch {
    return canonicalize(value === undefined ? null : (JSON.parse(JSON.stringify(value) ?? 'null') as unknown));
  }
}
