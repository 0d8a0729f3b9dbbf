// The trivial agent of `npm run bench`: the pipeline around it is what is measured.
import { defineAgent } from '@entente/sdk';
import { z } from 'zod';

export default defineAgent({
  name: 'bench-echo',
  capabilities: ['bench.echo'],
  input: z.strictObject({ data: z.string() }),
  output: z.strictObject({ length: z.number().int() }),
  handler: ({ data }) => ({ length: data.length }),
});
