// The warehouse's stock check: what of an order it has, and what is missing.
import { defineAgent } from '@entente/sdk';
import { z } from 'zod';

export default function warehouse({ stock }) {
  return defineAgent({
    name: 'warehouse',
    capabilities: ['inventory.check'],
    input: z.strictObject({ sku: z.string().max(32), quantity: z.number().int().min(1) }),
    output: z.strictObject({ available: z.number().int(), missing: z.number().int() }),
    handler: ({ sku, quantity }) => {
      const available = Math.min(stock[sku] ?? 0, quantity);
      return { available, missing: quantity - available };
    },
  });
}
