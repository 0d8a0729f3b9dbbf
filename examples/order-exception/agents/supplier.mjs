// The supplier: offers substitutes for a missing quantity and reserves them, and releases a
// reservation. Reservations are kept in a file, keyed by the task's idempotency key, so a
// repeated request reserves nothing twice.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { defineAgent } from '@entente/sdk';
import { z } from 'zod';

export default function supplier({ stateFile }) {
  const load = () => (existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : {});
  const save = (s) => writeFileSync(stateFile, JSON.stringify(s));
  return defineAgent({
    name: 'supplier',
    capabilities: ['substitutes.reserve', 'substitutes.release'],
    input: z.union([z.strictObject({ sku: z.string().max(32), quantity: z.number().int().min(0) }), z.strictObject({ reservation: z.string().max(160) })]),
    output: z.union([z.strictObject({ options: z.array(z.string()), reservation: z.string() }), z.strictObject({ released: z.boolean() })]),
    handler: (input, ctx) => {
      const state = load();
      if (ctx.capability === 'substitutes.release') {
        const released = state[input.reservation]?.active === true;
        if (released) state[input.reservation].active = false;
        save(state);
        return { released };
      }
      const reservation = `R-${ctx.idempotencyKey}`;
      state[reservation] ??= { sku: input.sku, quantity: input.quantity, active: true };
      save(state);
      return { options: [`${input.sku}-alt`, `${input.sku}-pro`], reservation };
    },
  });
}
