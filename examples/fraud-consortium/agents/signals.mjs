// A member bank's fraud signals about an account, from its own (synthetic) records: only the
// number of flags is returned; the disclosure policy lets only that leave.
import { defineAgent } from '@entente/sdk';
import { z } from 'zod';

export default function signals({ flagged }) {
  return defineAgent({
    name: 'fraud-signals',
    capabilities: ['fraud.signals'],
    input: z.strictObject({ account_hash: z.string().regex(/^[a-f0-9]{16,64}$/) }),
    output: z.strictObject({ flags: z.number().int().min(0), customer_name: z.string() }),
    handler: ({ account_hash }) => ({ flags: flagged[account_hash] ?? 0, customer_name: 'stays at this bank' }),
  });
}
