import { z } from 'zod';

/**
 * The audit bundle (docs/audit.md §4): one JSON document a compliance officer can check
 * offline. Parsed with this schema before anything reads it: a bundle comes from outside.
 */
export const BUNDLE_FORMAT = 'entente.audit-bundle/v1';

const org = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);
const hash = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'expected 32 bytes of standard base64');
const uint64 = z.string().regex(/^(0|[1-9][0-9]{0,19})$/, 'expected a decimal uint64');
const time = z.string().datetime({ offset: true });
const note = z.string().min(1).max(64 * 1024);
const validity = { valid_from: time.nullable(), valid_until: time.nullable() };

export const bundleSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  org,
  exported_at: time,
  selection: z.strictObject({ since: time.optional(), until: time.optional(), partner: org.optional() }),
  log: z.strictObject({
    origin: z.string().min(1),
    head: note,
    checkpoints: z.array(z.strictObject({ note, consistency: z.array(hash).max(64) })),
  }),
  keys: z.record(
    org,
    z.strictObject({
      log: z.array(z.strictObject({ vkey: z.string().min(1).max(1024), ...validity })),
      receipt: z.array(z.strictObject({ jwk: z.looseObject({ kty: z.string(), kid: z.string().min(1) }), ...validity })),
    }),
  ),
  statements: z.array(
    z.strictObject({
      index: uint64,
      task_id: z.string().min(1).max(128),
      kind: z.enum(['request', 'result', 'ack', 'run']),
      signer: org,
      peer: org,
      jws: z.string().min(1).max(64 * 1024),
      inclusion: z.array(hash).max(64),
    }),
  ),
  tasks: z.array(
    z.strictObject({
      task_id: z.string().min(1).max(128),
      role: z.enum(['requester', 'responder']),
      peer: org,
      capability: z.string(),
      purpose: z.string(),
      status: z.string(),
      /** Why it ended without a result, when it did (e.g. partner_unavailable: no result statement exists). */
      reason: z.string().max(64).optional(),
      ack: z.enum(['delivered', 'pending', 'failed', 'missing', 'none']),
    }),
  ),
  witnessed: z.array(z.strictObject({ partner: org, note })),
  alarms: z.array(
    z.strictObject({ partner: org, at: time, code: z.string(), message: z.string(), held: note.optional(), offending: note }),
  ),
  /** The policy revisions the statements cite, each with its content when the exporter kept it (policy replay). */
  policy_revisions: z.array(z.strictObject({ revision: z.string().min(1).max(256), content: z.unknown().optional() })),
});

export type AuditBundle = z.infer<typeof bundleSchema>;
export type BundleStatement = AuditBundle['statements'][number];
export type BundleKeys = AuditBundle['keys'][string];
