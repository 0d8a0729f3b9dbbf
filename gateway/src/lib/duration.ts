import { z } from 'zod';

/** A duration as milliseconds, or text like "10s", "250ms", "5m", "1h", "30d", in configs and workflow files. */
export const durationSchema = z.union([z.number().int().positive(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(v.trim());
  if (m === null) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like "10s" or "250ms", got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(m[1]) * unit);
});
