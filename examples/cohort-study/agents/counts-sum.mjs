// Sums cohort counts; a suppressed count ("<5") is counted as suppressed, not added.
import { defineAgent } from '@entente/sdk';
import { z } from 'zod';

export default function countsSum() {
  return defineAgent({
    name: 'counts-sum',
    description: 'Sums counts, keeping suppressed small cells apart',
    capabilities: ['counts.sum'],
    input: z.strictObject({ counts: z.array(z.union([z.number().int().min(0), z.string().max(8)])).max(100) }),
    output: z.strictObject({ total: z.number().int(), suppressed: z.number().int(), answered: z.number().int() }),
    handler: ({ counts }) => ({
      total: counts.filter((c) => typeof c === 'number').reduce((a, b) => a + b, 0),
      suppressed: counts.filter((c) => typeof c === 'string').length,
      answered: counts.length,
    }),
  });
}
