import { timeOrderedId } from '../lib/index.js';
import { z } from 'zod';
import { DECISION_POINTS, type DecisionPoint, type EvaluateOptions, type PolicyEngine } from './engine.js';
import { PolicyError } from './errors.js';

/** What the gateway acts on. `value` is exactly what the policy returned (input/result that may leave). */
export interface Decision {
  readonly id: string;
  readonly point: DecisionPoint;
  readonly revision: string;
  readonly allow: boolean;
  /** Reason codes the policy gave; safe to show the requester only when the policy says so. */
  readonly reasons: readonly string[];
  readonly requireApproval: boolean;
  /** Present when allowed: the input (outbound) or result (disclosure) that may leave. */
  readonly payload?: unknown;
  readonly durationUs: number;
}

export interface DecideOptions extends EvaluateOptions {
  /**
   * The input as the decision log records it: `input` itself by default. The same value with
   * parts already in canonical form (crypto's Canonical) spares the record canonicalizing
   * them again; it must mean exactly `input`.
   */
  readonly recordedInput?: unknown;
}

const decisionShape = z.looseObject({
  allow: z.boolean(),
  reasons: z.array(z.string()).optional(),
  require_approval: z.boolean().optional(),
});

const PAYLOAD_FIELD: Record<DecisionPoint, 'input' | 'result' | undefined> = {
  outbound: 'input',
  inbound: undefined,
  disclosure: 'result',
};

/**
 * Runs one decision point. Default deny: an undefined decision, a decision that is not an
 * object with a boolean `allow`, or an allowing decision without the payload field it must
 * carry, is a denial (with a reason code saying which). Evaluation errors propagate as
 * PolicyError: the caller decides how to fail closed. `opts.now` sets the time the policy sees
 * (now by default).
 */
export function decide(engine: PolicyEngine, point: DecisionPoint, input: unknown, opts: DecideOptions = {}): Decision {
  const started = process.hrtime.bigint();
  const now = opts.now ?? Date.now();
  let raw: unknown;
  try {
    raw = engine.evaluate(DECISION_POINTS[point], input, { now });
  } catch (err) {
    throw new PolicyError('POLICY_EVAL_FAILED', `${point} policy failed to evaluate`, { cause: err });
  }
  const decision = interpret(raw, point, engine.revision, Number(process.hrtime.bigint() - started) / 1000);
  engine.recorder?.record({
    point,
    id: decision.id,
    revision: decision.revision,
    at: now,
    input: opts.recordedInput ?? input,
    outcome: { kind: 'decision', allow: decision.allow, reasons: decision.reasons, requireApproval: decision.requireApproval, ...('payload' in decision ? { payload: decision.payload } : {}) },
  });
  return decision;
}

/** What the gateway acts on, from what the policy returned. */
function interpret(raw: unknown, point: DecisionPoint, revision: string, durationUs: number): Decision {
  const base = { id: timeOrderedId(), point, revision, durationUs };
  if (raw === undefined) {
    return { ...base, allow: false, reasons: ['policy_undefined'], requireApproval: false };
  }
  const parsed = decisionShape.safeParse(raw);
  if (!parsed.success) {
    return { ...base, allow: false, reasons: ['policy_malformed_decision'], requireApproval: false };
  }
  const d = parsed.data;
  const reasons = d.reasons ?? [];
  const requireApproval = d.require_approval ?? false;
  const field = PAYLOAD_FIELD[point];
  if (!d.allow) return { ...base, allow: false, reasons, requireApproval };
  if (field !== undefined) {
    if (!(field in d)) {
      return { ...base, allow: false, reasons: [`policy_missing_${field}`], requireApproval };
    }
    return { ...base, allow: true, reasons, requireApproval, payload: (d as Record<string, unknown>)[field] };
  }
  return { ...base, allow: true, reasons, requireApproval };
}
