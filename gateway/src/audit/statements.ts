import { z } from 'zod';

/** Same rule as the gateway config's org ids. */
const org = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected an org id: lowercase letters, digits and -');
/** Same rule as the federation protocol's task ids. */
const taskId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'expected 1-128 characters of A-Z a-z 0-9 . _ : -');
const digest = z.string().regex(/^sha256:[A-Za-z0-9_-]{43}$/, 'expected sha256: and 43 base64url characters');
const name = z.string().min(1).max(128);
/** Integer seconds since the epoch. */
const seconds = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const decisionRef = z.strictObject({ decision_id: z.string().min(1).max(256), policy_revision: z.string().min(1).max(256) });

export const requestStatement = z
  .strictObject({
    v: z.literal(1),
    kind: z.literal('request'),
    task_id: taskId,
    from: org,
    to: org,
    capability: name,
    purpose: name,
    input_digest: digest,
    iat: seconds,
    exp: seconds,
    outbound: decisionRef,
    /**
     * The task at the previous hop that this one serves, when a partner's request started the
     * workflow that asks for it (nested orchestration): each hop's receipt cites its parent.
     */
    parent: z.strictObject({ org, task_id: taskId }).optional(),
  })
  .check((ctx) => {
    if (ctx.value.exp < ctx.value.iat) ctx.issues.push({ code: 'custom', path: ['exp'], message: 'exp is before iat', input: ctx.value.exp });
  });

export const RESULT_STATUSES = ['completed', 'failed', 'denied', 'cancelled'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

export const resultStatement = z
  .strictObject({
    v: z.literal(1),
    kind: z.literal('result'),
    task_id: taskId,
    from: org,
    to: org,
    request_digest: digest,
    status: z.enum(RESULT_STATUSES),
    result_digest: digest.optional(),
    /** A reason code (e.g. inbound_denied), never policy internals. */
    reason: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'expected a reason code (lowercase letters, digits and _)').optional(),
    inbound: decisionRef.nullable(),
    disclosure: decisionRef.nullable(),
    iat: seconds,
  })
  .check((ctx) => {
    // Only a completed task sent a result, so only it may carry a digest of one.
    const completed = ctx.value.status === 'completed';
    if (completed !== (ctx.value.result_digest !== undefined)) {
      ctx.issues.push({
        code: 'custom',
        path: ['result_digest'],
        message: completed ? 'a completed result needs result_digest' : `a ${ctx.value.status} result must not carry result_digest`,
        input: ctx.value.result_digest,
      });
    }
  });

export const ackStatement = z.strictObject({
  v: z.literal(1),
  kind: z.literal('ack'),
  task_id: taskId,
  from: org,
  to: org,
  result_statement_digest: digest,
  iat: seconds,
});

/**
 * A workflow run's step in the orchestrator's own log (typ entente-run+jws): its start, each
 * attempt with the task it caused, each step's end, each person's decision, and its end. Signed
 * by the orchestrating organization alone; `seq` is the event's position in the run.
 */
const runBase = { v: z.literal(1), kind: z.literal('run'), run_id: taskId, from: org, seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), iat: seconds };
const node = z.string().min(1).max(300);
export const RUN_STEP_ENDS = ['completed', 'failed', 'skipped', 'cancelled', 'compensated', 'compensation_failed'] as const;
export const runStatement = z.discriminatedUnion('event', [
  z.strictObject({ ...runBase, event: z.literal('started'), workflow: name, definition_digest: digest, parent: z.strictObject({ org, task_id: taskId }).optional() }),
  z.strictObject({
    ...runBase,
    event: z.literal('step_started'),
    step: node,
    attempt: z.number().int().nonnegative(),
    /** `local`, or the partner the step's task was asked of. */
    provider: z.union([z.literal('local'), org]),
    /** The task the attempt caused: at the partner, the request statement's task_id. */
    task_id: taskId,
    compensation: z.literal(true).optional(),
  }),
  z.strictObject({ ...runBase, event: z.literal('step_ended'), step: node, status: z.enum(RUN_STEP_ENDS), reason: z.string().min(1).max(64).optional() }),
  z.strictObject({ ...runBase, event: z.literal('approval_decided'), step: node, decision: z.enum(['approve', 'reject', 'retry', 'skip', 'fail']), by: z.string().min(1).max(256) }),
  z.strictObject({ ...runBase, event: z.literal('finished'), status: z.enum(['completed', 'failed', 'cancelled']), reason: z.string().min(1).max(64).optional() }),
]);

export type RequestStatement = z.infer<typeof requestStatement>;
export type ResultStatement = z.infer<typeof resultStatement>;
export type AckStatement = z.infer<typeof ackStatement>;
export type RunStatement = z.infer<typeof runStatement>;

export const SCHEMAS = { request: requestStatement, result: resultStatement, ack: ackStatement, run: runStatement } as const;
export type StatementKind = keyof typeof SCHEMAS;
export interface StatementOf {
  request: RequestStatement;
  result: ResultStatement;
  ack: AckStatement;
  run: RunStatement;
}

/** The JWS `typ` of each statement kind. */
export const STATEMENT_TYP: Readonly<Record<StatementKind, string>> = {
  request: 'entente-request+jws',
  result: 'entente-result+jws',
  ack: 'entente-ack+jws',
  run: 'entente-run+jws',
};

/** First problem of a failed parse, as `path: message`. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid';
  return `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`;
}
