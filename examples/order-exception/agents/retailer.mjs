// The retailer's own agents: it drafts a proposal, and updates its order system (which
// refuses the orders in `locked`, to show compensation). The update is keyed on the step's
// idempotency key, so a retried or resumed step updates an order once.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { defineAgent } from '@entente/sdk';
import { z } from 'zod';

export default function retailer({ ordersFile, locked = [] }) {
  return defineAgent({
    name: 'retailer',
    capabilities: ['proposal.draft', 'orders.update'],
    input: z.looseObject({}),
    output: z.looseObject({}),
    handler: (input, ctx) => {
      if (ctx.capability === 'proposal.draft') {
        const discount = Math.min(input.terms.max_discount, 0.1);
        return { lines: input.options.map((sku) => ({ sku, discount })), value: Math.round(input.order.value * (1 - discount)) };
      }
      if (locked.includes(input.order)) throw new Error(`the order system refuses changes to ${input.order}`);
      const orders = existsSync(ordersFile) ? JSON.parse(readFileSync(ordersFile, 'utf8')) : {};
      orders[ctx.idempotencyKey] ??= { order: input.order, proposal: input.proposal };
      writeFileSync(ordersFile, JSON.stringify(orders));
      return { updated: input.order };
    },
  });
}
