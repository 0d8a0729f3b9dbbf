import type { Logger } from '../observability/index.js';
import type { EvaluateOptions, PolicyContent, PolicyEngine } from './engine.js';
import type { DecisionLog } from './ports.js';
import { recordOf, type DecisionSink, type MadeDecision } from './record.js';
import { expireRetainedInputs, sealInput, type Retention } from './retention.js';

export interface DecisionRecorderDeps {
  readonly log: DecisionLog;
  readonly retention: Retention;
  readonly logger: Logger;
}

/**
 * The decision log's writer. Engines it adopts carry it, so that decide() and decideCard()
 * record every decision made with them, wherever they are called, without the callers
 * (tasks/) knowing; their revision's content is kept so that a decision can be replayed.
 * Recording costs the decision a salt, a digest of its input (and of its payload), a seal when
 * retention is on, and no commit of its own: records join the store's next group commit.
 */
export class DecisionRecorder implements DecisionSink {
  constructor(private readonly deps: DecisionRecorderDeps) {}

  /**
   * `engine`, recording its decisions here; its revision's content is queued to be kept. An
   * engine without content (built in code) is recorded, but its decisions cannot be replayed.
   */
  adopt(engine: PolicyEngine): PolicyEngine {
    const { content } = engine;
    if (content === undefined) {
      this.deps.logger.warn({ policy_revision: engine.revision }, 'this policy engine has no content to keep: its decisions are recorded but cannot be replayed');
    } else {
      this.deps.log.storePolicyRevision(engine.revision, content).catch((err: unknown) => {
        this.deps.logger.error({ policy_revision: engine.revision, err }, 'policy revision not stored: decisions under it cannot be replayed');
      });
    }
    return withRecorder(engine, this);
  }

  record(made: MadeDecision): void {
    try {
      const { record, inputJson } = recordOf(made);
      const key = this.deps.retention.key;
      const retained = key === undefined ? undefined : sealInput(key, made.id, inputJson, made.at);
      this.deps.log.recordDecision(record, retained).catch((err: unknown) => this.lost(made, err));
    } catch (err) {
      this.lost(made, err);
    }
  }

  /** Deletes the inputs kept longer than the retention period (see expireRetainedInputs). */
  sweep(now: number): Promise<string[]> {
    return expireRetainedInputs(this.deps.log, this.deps.retention, now, this.deps.logger);
  }

  private lost(made: MadeDecision, err: unknown): void {
    this.deps.logger.error({ decision_id: made.id, point: made.point, policy_revision: made.revision, err }, 'policy decision not recorded');
  }
}

/** `engine`, whose decisions decide() and decideCard() hand to `sink`. */
export function withRecorder(engine: PolicyEngine, sink: DecisionSink): PolicyEngine {
  return new RecordedEngine(engine, sink);
}

/** An engine whose decisions go to a recorder; otherwise the engine itself. */
class RecordedEngine implements PolicyEngine {
  readonly revision: string;
  readonly content?: PolicyContent;

  constructor(
    private readonly engine: PolicyEngine,
    readonly recorder: DecisionSink,
  ) {
    this.revision = engine.revision;
    if (engine.content !== undefined) this.content = engine.content;
  }

  evaluate(path: string, input: unknown, opts?: EvaluateOptions): unknown {
    return this.engine.evaluate(path, input, opts);
  }

  defines(path: string): boolean {
    return this.engine.defines(path);
  }
}
