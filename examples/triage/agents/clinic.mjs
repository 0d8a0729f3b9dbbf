// The clinic's agents. The planner stands in for an LLM: it reads the case and returns steps,
// deterministically here. Whatever it returns is checked by the engine before anything runs.
import { defineAgent } from '@entente/sdk';
import { z } from 'zod';

const plans = {
  'chest-pain': [
    { id: 'imaging', capability: 'imaging.read', at: 'imaging-lab', input: '{"scan": input.scan}' },
    { id: 'cardio', capability: 'cardiology.review', at: 'cardio-center', needs: ['imaging'], input: '{"ecg": input.ecg, "imaging": steps.imaging.output.finding}' },
  ],
  // A planner can propose what nobody allowed: sequencing at a lab no agreement covers.
  'family-history': [{ id: 'genome', capability: 'genetics.sequence', at: 'imaging-lab', input: '{"sample": input.sample}' }],
};

export default function clinic() {
  return defineAgent({
    name: 'clinic',
    capabilities: ['triage.plan', 'case.summarise'],
    input: z.looseObject({}),
    output: z.looseObject({}),
    handler: (input, ctx) => {
      if (ctx.capability === 'triage.plan') return { steps: plans[input.complaint] ?? [] };
      const findings = Object.entries(input.findings).map(([step, out]) => `${step}: ${out?.finding ?? out?.assessment}`);
      return { case: input.case, summary: findings.join('; ') };
    },
  });
}
