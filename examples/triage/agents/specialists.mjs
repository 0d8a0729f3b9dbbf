// The specialists at the imaging lab and the cardiology centre.
import { defineAgent } from '@entente/sdk';
import { z } from 'zod';

export default function specialist({ kind }) {
  if (kind === 'imaging') {
    return defineAgent({
      name: 'radiologist',
      capabilities: ['imaging.read'],
      input: z.strictObject({ scan: z.string().max(64) }),
      output: z.strictObject({ finding: z.string(), radiologist: z.string() }),
      handler: ({ scan }) => ({ finding: scan.endsWith('-2') ? 'mild cardiomegaly' : 'no acute finding', radiologist: 'stays at the lab' }),
    });
  }
  return defineAgent({
    name: 'cardiologist',
    capabilities: ['cardiology.review'],
    input: z.strictObject({ ecg: z.string().max(64), imaging: z.string().max(200) }),
    output: z.strictObject({ assessment: z.string() }),
    handler: ({ ecg, imaging }) => ({ assessment: ecg === 'st-elevation' ? `urgent: ST elevation with ${imaging}` : `routine follow-up (${imaging})` }),
  });
}
