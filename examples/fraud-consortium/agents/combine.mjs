// The consortium's scoring: combines the members' flag counts into a score from 0 to 100.
import { defineAgent } from '@entente/sdk';
import { z } from 'zod';

export default function combine() {
  return defineAgent({
    name: 'fraud-combine',
    capabilities: ['fraud.combine'],
    input: z.strictObject({ signals: z.array(z.strictObject({ flags: z.number().int().min(0) })).max(50) }),
    output: z.strictObject({ score: z.number().int().min(0).max(100), members: z.number().int() }),
    handler: ({ signals }) => ({ score: Math.min(100, signals.reduce((n, s) => n + s.flags, 0) * 20), members: signals.length }),
  });
}
