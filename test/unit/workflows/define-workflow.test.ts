import { describe, expect, it } from 'vitest';
import { defineWorkflow } from '@entente/sdk';
import { validateWorkflow } from '../../../gateway/src/workflows/index.js';

describe('defineWorkflow (@entente/sdk)', () => {
  it('describes fields the gateway takes: a definition using every SDK field validates', () => {
    const everything = defineWorkflow({
      name: 'all-fields',
      description: 'every field once',
      deadline: '1h',
      output: 'steps',
      steps: [
        { id: 'a', description: 'x', capability: 'x.a', at: 'any', prefer: ['p-org'], purpose: 'research', input: '{}', when: 'true',
          retry: { initialInterval: '1s', coefficient: 2, maximumInterval: '1m', maximumAttempts: 3 }, timeout: 1000, deadline: '5m',
          fallback: ['q-org'], on_failure: 'escalate', compensate: { capability: 'x.undo', at: 'local', input: 'steps.a.output' } },
        { id: 'b', capability: 'x.b', needs: ['a'], foreach: { items: 'input.list', concurrency: 2 } },
        { id: 'c', capability: 'x.plan', needs: ['a'], plan: { allow: ['x.a'] } },
        { id: 'd', needs: ['b', 'c'], approval: { timeout: '24h', on_timeout: 'fail' } },
      ],
    });
    expect(validateWorkflow(everything)).toMatchObject({ ok: true });
  });

  it('builds a definition the gateway validates', () => {
    const wf = defineWorkflow({
      name: 'cohort-study',
      steps: [
        { id: 'b', capability: 'patients.count', at: 'hospital-b', purpose: 'research', input: 'input.cohort', on_failure: 'continue' },
        { id: 'total', capability: 'counts.sum', needs: ['b'], input: '{"counts": [steps.b.output.count]}' },
      ],
    });
    expect(validateWorkflow(wf)).toMatchObject({ ok: true });
  });
});
