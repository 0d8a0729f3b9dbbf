// An in-process agent for the hospital examples: counts local patients matching criteria.
// Only the count is returned; disclosure policy decides what of it may leave.
import { readFileSync } from 'node:fs';
import { defineAgent } from '@entente/sdk';
import { z } from 'zod';

/** @param {{ dataFile: string }} options */
export default function cohortCounter(options) {
  const patients = JSON.parse(readFileSync(options.dataFile, 'utf8'));
  return defineAgent({
    name: 'cohort-counter',
    description: 'Counts patients with a condition, optionally within an age range',
    capabilities: ['patients.count'],
    input: z.strictObject({
      condition: z.string().min(1).max(64),
      min_age: z.number().int().min(0).max(150).optional(),
      max_age: z.number().int().min(0).max(150).optional(),
    }),
    output: z.strictObject({ count: z.number().int().min(0) }),
    handler: ({ condition, min_age = 0, max_age = 150 }) => ({
      count: patients.filter((p) => p.conditions.includes(condition) && p.age >= min_age && p.age <= max_age).length,
    }),
  });
}
