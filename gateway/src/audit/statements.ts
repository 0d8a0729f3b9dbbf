import { z } from 'zod';

const org = z.string().min(1).max(64);
const digest = z.string().regex(/^sha256:[A-Za-z0-9_-]{43}$/);
const seconds = z.number().int().nonnegative();
const decisionRef = z.strictObject({ decision_id: z.string().min(1), policy_revision: z.string().min(1) });

export const requestStatement = z.strictObject({
  v: z.literal(1),
  kind: z.literal('request'),
  task_id: z.string().min(1).max(128),
  from: org,
  to: org,
  capability: z.string().min(1),
  purpose: z.string().min(1),
  input_digest: digest,
  iat: seconds,
  exp: seconds,
  outbound: decisionRef,
});

export const RESULT_STATUSES = ['completed', 'failed', 'denied', 'cancelled'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

export const resultStatement = z.strictObject({
  v: z.literal(1),
  kind: z.literal('result'),
  task_id: z.string().min(1).max(128),
  from: org,
  to: org,
  request_digest: digest,
  status: z.enum(RESULT_STATUSES),
  result_digest: digest.optional(),
  reason: z.string().regex(/^[a-z_]{1,64}$/).optional(),
  inbound: decisionRef.nullable(),
  disclosure: decisionRef.nullable(),
  iat: seconds,
});

export const ackStatement = z.strictObject({
  v: z.literal(1),
  kind: z.literal('ack'),
  task_id: z.string().min(1).max(128),
  from: org,
  to: org,
  result_statement_digest: digest,
  iat: seconds,
});

export type RequestStatement = z.infer<typeof requestStatement>;
export type ResultStatement = z.infer<typeof resultStatement>;
export type AckStatement = z.infer<typeof ackStatement>;

export const SCHEMAS = { request: requestStatement, result: resultStatement, ack: ackStatement } as const;
export type StatementKind = keyof typeof SCHEMAS;
export interface StatementOf {
  request: RequestStatement;
  result: ResultStatement;
  ack: AckStatement;
}

/** The JWS `typ` of each statement kind. */
export const TYP: Record<StatementKind, string> = {
  request: 'entente-request+jws',
  result: 'entente-result+jws',
  ack: 'entente-ack+jws',
};
