import type { DecisionSink } from './record.js';

/** The three decision points of DESIGN.md, each a Rego package whose `decision` is queried. */
export const DECISION_POINTS = {
  outbound: 'data.entente.outbound.decision',
  inbound: 'data.entente.inbound.decision',
  disclosure: 'data.entente.disclosure.decision',
} as const;

export type DecisionPoint = keyof typeof DECISION_POINTS;

/** How to evaluate, beyond the rule and the input. */
export interface EvaluateOptions {
  /**
   * The evaluation's time in epoch milliseconds, what `time.now_ns()` sees: a decision is
   * replayed at the time it was made, or an agreement's `until` could decide differently.
   */
  readonly now?: number;
}

/** A policy engine: Entente's own Rego evaluator, or OPA-compiled Wasm bundles. */
export interface PolicyEngine {
  /** `sha256:` digest of the policy source and data: receipts cite it. */
  readonly revision: string;
  /** Evaluates a rule by its `data.` path; `undefined` when the rule is undefined. */
  evaluate(path: string, input: unknown, opts?: EvaluateOptions): unknown;
  /** Whether the policies define a rule at this `data.` path at all (checked at load). */
  defines(path: string): boolean;
  /** What the revision was computed over, to store it for replay; absent for an engine built in code. */
  readonly content?: PolicyContent;
  /** Where decide() and decideCard() record the decisions made with this engine (DecisionRecorder.adopt). */
  readonly recorder?: DecisionSink;
}

/** One file of a Rego revision: which policy directory it came from (by position), its path in it, its text. */
export interface PolicyFile {
  readonly root: number;
  /** Inside its directory, `/`-separated. */
  readonly path: string;
  readonly text: string;
}

/** What a Rego revision is computed over: the .rego and data.json files of `roots` directories, in order. */
export interface RegoContent {
  readonly engine: 'rego';
  readonly roots: number;
  readonly files: readonly PolicyFile[];
}

/** What an OPA Wasm revision is computed over: the bundle archive, byte for byte. */
export interface WasmContent {
  readonly engine: 'opa-wasm';
  readonly archive: Uint8Array;
}

/**
 * Everything a revision is made of, content-addressed by the revision: stored once per
 * revision, it loads the same engine again (policy replay).
 */
export type PolicyContent = RegoContent | WasmContent;
