import { z } from 'zod';

const org = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected an org id: lowercase letters, digits and -');
const name = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,127}$/, 'expected a capability or purpose name: [a-z0-9][a-z0-9._-]*');
const rfc3339 = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, 'expected an RFC 3339 time, e.g. 2027-01-01T00:00:00Z')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real date');
const common = { purposes: z.array(name).min(1, 'list at least one purpose'), until: rfc3339 };

/**
 * What this organization lets leave, per partner and capability; with `workflows`, only as a
 * step of those workflows (by name: the outbound policy sees the run a request belongs to).
 */
const outbound = z.strictObject({ ...common, fields: z.array(z.string().min(1)), workflows: z.array(name).min(1, 'list at least one workflow, or leave workflows out').optional() });
/** What partners may ask of this organization, and what of the result they may see. */
const inbound = z.strictObject({
  ...common,
  disclose: z.array(z.string().min(1)),
  suppress_below: z.record(z.string(), z.number().positive()).optional(),
  require_approval: z.boolean().optional(),
});

/**
 * The agreements the shipped policies read (`data.agreements`), strict: an unknown key is a
 * typo or a misplaced setting that the policies would silently ignore, so it is an error.
 */
export const agreementsSchema = z.strictObject({
  outbound: z.record(org, z.record(name, outbound)).optional(),
  inbound: z.record(org, z.record(name, inbound)).optional(),
});

/** Every problem in `data.agreements`, each with its JSON path; none when the data has no agreements. */
export function checkAgreements(data: Readonly<Record<string, unknown>>): string[] {
  if (!('agreements' in data)) return [];
  const parsed = agreementsSchema.safeParse(data['agreements']);
  if (parsed.success) return [];
  return parsed.error.issues.slice(0, 20).map((issue) => {
    const path = pathText(['data', 'agreements', ...issue.path]);
    return issue.code === 'unrecognized_keys'
      ? `${path}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (a typo, or a setting in the wrong place?)`
      : `${path}: ${issue.message}`;
  });
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? (i === 0 ? p : `.${p}`) : `[${JSON.stringify(p)}]`)).join('');
}
