// The legal organization's view of a customer's contract: only the terms a proposal needs.
import { defineAgent } from '@entente/sdk';
import { z } from 'zod';

export default function legal() {
  return defineAgent({
    name: 'contracts',
    capabilities: ['contract.terms'],
    input: z.strictObject({ customer: z.string().max(64) }),
    output: z.strictObject({ substitutes_allowed: z.boolean(), max_discount: z.number(), notes: z.string() }),
    handler: ({ customer }) => ({ substitutes_allowed: true, max_discount: customer.startsWith('key-') ? 0.15 : 0.05, notes: 'internal contract text (stays at legal-org)' }),
  });
}
