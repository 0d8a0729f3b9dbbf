import { saltedDigestOfCanonical, SealedInvalidError, type SealingKey } from '../crypto/index.js';
import { decideCard } from './card.js';
import { decide } from './decide.js';
import { PolicyError } from './errors.js';
import type { DecisionLog, StoredInput } from './ports.js';
import { canonicalJson, outcomeOf, type DecidedOutcome, type DecisionOutcome, type DecisionRecord } from './record.js';
import { withRecorder } from './recorder.js';
import { loadRevision } from './revision.js';

/** What a replay reads: the decision log, read-only (an offline opening of the store will do). */
export type DecisionLogReader = Pick<DecisionLog, 'getDecision' | 'getPolicyRevision' | 'getRetainedInput'>;

export interface ReplayOptions {
  /** The decision's input, from the caller: it must match the recorded digest. Taken before a retained one. */
  readonly input?: unknown;
  /** The retention key, to open a retained input. */
  readonly key?: SealingKey;
}

/** A decision made again: the record, where its input came from, what the replay decided, and whether that is the same. */
export interface Replay {
  readonly record: DecisionRecord;
  readonly input: { readonly source: 'retained'; readonly keptAt: number } | { readonly source: 'given' };
  readonly replayed: DecisionOutcome;
  readonly same: boolean;
  /** Each field that differs, e.g. `allow: recorded true, replayed false`; empty when the same. */
  readonly differences: readonly string[];
}

/**
 * Re-evaluates a recorded decision under the policy revision it cites, loaded from the content
 * the store keeps for that revision (never from the live policy files), at the time it was
 * made, with its input (given, or retained), and compares the outcome with the recorded one.
 * A fixed sequence of checks, each refusing with its own code: the decision is known
 * (DECISION_UNKNOWN), its revision is kept (POLICY_REVISION_MISSING) and intact
 * (POLICY_REVISION_CORRUPT), its input is at hand (DECISION_INPUT_UNAVAILABLE, SEALED_INVALID)
 * and is the one decided on (DECISION_INPUT_MISMATCH).
 *
 * @example const { same, differences } = await replayDecision(store, decisionId, { key: config.audit.retention.key });
 */
export async function replayDecision(log: DecisionLogReader, decisionId: string, opts: ReplayOptions = {}): Promise<Replay> {
  const record = await log.getDecision(decisionId);
  if (record === undefined) {
    throw new PolicyError('DECISION_UNKNOWN', `this store holds no decision ${JSON.stringify(decisionId)}; check the id (receipts cite decision ids: entente receipts show <task-id>) and that the config is the gateway's that decided`);
  }
  const content = await log.getPolicyRevision(record.revision);
  if (content === undefined) {
    throw new PolicyError(
      'POLICY_REVISION_MISSING',
      `this store does not keep the content of policy revision ${record.revision}, which decision ${decisionId} cites (an engine built in code, or a revision that failed to be stored: the gateway's log says so)`,
    );
  }
  const engine = loadRevision(record.revision, content);
  const { input, source } = opts.input !== undefined ? { input: givenInput(record, opts.input), source: { source: 'given' } as const } : await retainedInput(log, record, opts.key);
  let made: DecidedOutcome | undefined;
  const capturing = withRecorder(engine, { record: (m) => (made = m.outcome) });
  if (record.point === 'card') decideCard(capturing, input as Parameters<typeof decideCard>[1], { now: record.decidedAt });
  else decide(capturing, record.point, input, { now: record.decidedAt });
  // decide() and decideCard() hand every decision to the recorder before returning.
  const replayed = outcomeOf(made!, record.salt);
  const differences = compare(record.outcome, replayed);
  return { record, input: source, replayed, same: differences.length === 0, differences };
}

function givenInput(record: DecisionRecord, input: unknown): unknown {
  if (saltedDigestOfCanonical(record.salt, canonicalJson(input)) !== record.inputDigest) {
    throw new PolicyError(
      'DECISION_INPUT_MISMATCH',
      `the input given is not the input of decision ${record.decisionId}: its salted digest differs from the recorded ${record.inputDigest}; give the exact input the ${record.point} policy saw (the whole input document, not only the payload)`,
    );
  }
  return input;
}

async function retainedInput(log: DecisionLogReader, record: DecisionRecord, key: SealingKey | undefined): Promise<{ input: unknown; source: Replay['input'] }> {
  const id = record.decisionId;
  const stored: StoredInput | undefined = await log.getRetainedInput(id);
  if (stored === undefined) {
    throw new PolicyError('DECISION_INPUT_UNAVAILABLE', `the input of decision ${id} was not kept (audit.retention was not enabled then); give it with --input <file>`);
  }
  if (!('sealed' in stored)) {
    throw new PolicyError(
      'DECISION_INPUT_UNAVAILABLE',
      `the input of decision ${id} was deleted on ${new Date(stored.deletedAt).toISOString()}, at the end of its retention period (audit.retention.period); give it with --input <file>`,
    );
  }
  if (key === undefined) {
    throw new PolicyError('DECISION_INPUT_UNAVAILABLE', `the input of decision ${id} is kept sealed with key ${stored.keyId}: give that key (audit.retention.key or keyFile in the config, or --key-file)`);
  }
  if (key.id !== stored.keyId) {
    throw new SealedInvalidError(`the input of decision ${id} was sealed with key ${stored.keyId}, not with the key given (${key.id}): give the key that was in audit.retention then`);
  }
  const text = key.open(stored.sealed, id).toString('utf8');
  const input = JSON.parse(text) as unknown;
  if (saltedDigestOfCanonical(record.salt, text) !== record.inputDigest) {
    throw new PolicyError('DECISION_INPUT_MISMATCH', `the input kept for decision ${id} does not match its recorded digest ${record.inputDigest}: the store was altered or damaged`);
  }
  return { input, source: { source: 'retained', keptAt: stored.keptAt } };
}

/** The fields of two outcomes that differ, each saying both values. */
function compare(recorded: DecisionOutcome, replayed: DecisionOutcome): string[] {
  const show = (v: unknown) => (v === undefined ? 'none' : JSON.stringify(v));
  const fields = (o: DecisionOutcome): Record<string, unknown> =>
    o.kind === 'card' ? { visible: o.visible } : { allow: o.allow, reasons: o.reasons, require_approval: o.requireApproval, payload_digest: o.payloadDigest };
  const [a, b] = [fields(recorded), fields(replayed)];
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `${k}: recorded ${show(a[k])}, replayed ${show(b[k])}`);
}
