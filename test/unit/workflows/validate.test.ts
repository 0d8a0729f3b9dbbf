import { describe, expect, it } from 'vitest';
import { compileExpr, parseWorkflow, validateWorkflow, type CapabilityCatalog } from '../../../gateway/src/workflows/index.js';

/** The order-exception workflow of the issue, as an operator would write it. */
const ORDER = `
name: order-exception
steps:
  - id: stock
    capability: inventory.check
    at: warehouse-org
    purpose: fulfilment
    input: '{"sku": input.sku}'
  - id: substitutes
    capability: catalog.substitutes
    at: supplier-org
    purpose: fulfilment
    needs: [stock]
    input: '{"sku": input.sku, "short": steps.stock.output.missing}'
  - id: terms
    capability: contract.terms
    at: legal-org
    purpose: fulfilment
    needs: [stock]
    input: '{"customer": input.customer}'
  - id: proposal
    capability: proposal.draft
    needs: [substitutes, terms]
    input: '{"options": steps.substitutes.output.options, "terms": steps.terms.output}'
  - id: approve
    needs: [proposal]
    when: input.value > 10000
    approval: { timeout: 24h, on_timeout: escalate }
  - id: update
    capability: orders.update
    needs: [approve]
    input: '{"proposal": steps.proposal.output}'
    retry: { initialInterval: 1s, maximumAttempts: 5 }
`;

const problems = (text: string, catalog?: CapabilityCatalog): readonly string[] => {
  try {
    parseWorkflow(text, 'flow.yaml', catalog);
  } catch (err) {
    return (err as { problems: readonly string[] }).problems;
  }
  return [];
};

describe('validateWorkflow', () => {
  it('accepts the order-exception workflow, with its steps in an order that respects needs', () => {
    const wf = parseWorkflow(ORDER, 'order.yaml');
    expect(wf.order.indexOf('stock')).toBeLessThan(wf.order.indexOf('substitutes'));
    expect(wf.order.indexOf('proposal')).toBeGreaterThan(wf.order.indexOf('terms'));
    expect(wf.order.at(-1)).toBe('update');
    expect(wf.definition.steps[5]!.retry).toEqual({ initialInterval: 1000, coefficient: 2, maximumInterval: 60_000, maximumAttempts: 5 });
  });

  it('names the file, the step and the field of an unknown need, with a suggestion', () => {
    expect(() => parseWorkflow(ORDER.replace('needs: [stock]\n    input: \'{"sku": input.sku, "short"', 'needs: [stok]\n    input: \'{"sku": input.sku, "short"'), 'order.yaml')).toThrow(
      /order\.yaml: invalid workflow:\n {2}steps\[1\]\.needs: unknown step "stok" \(did you mean "stock"\?\)/,
    );
  });

  it('reports a cycle once, and the steps downstream of it as never running', () => {
    const text = `
name: loop
steps:
  - { id: a, capability: x.a, needs: [c] }
  - { id: b, capability: x.b, needs: [a] }
  - { id: c, capability: x.c, needs: [b] }
  - { id: d, capability: x.d, needs: [c] }
  - { id: e, capability: x.e }
`;
    const found = problems(text);
    expect(found.filter((p) => p.includes('cycle'))).toHaveLength(1);
    expect(found).toContainEqual(expect.stringMatching(/^steps\[\d\]\.needs: cycle (a|b|c) -> (a|b|c) -> (a|b|c) -> (a|b|c)$/));
    expect(found).toContain('steps[3].needs: can never run: it needs "c", which never runs');
  });

  it('refuses an input mapped from a step that may not have run, and says what to add', () => {
    const found = problems(ORDER.replace('needs: [substitutes, terms]', 'needs: [substitutes]'));
    expect(found).toEqual(['steps[3].input: reads steps.terms, which may not have run: add "terms" to needs']);
  });

  it('accepts an input from a step needed only transitively (it has surely run)', () => {
    expect(problems(ORDER.replace('"options": steps.substitutes.output.options', '"options": steps.stock.output'))).toEqual([]);
  });

  it('reports an expression that does not parse, with CEL\'s position', () => {
    expect(problems(ORDER.replace("input: '{\"customer\": input.customer}'", "input: '{\"customer\": input.customer'"))).toEqual([
      expect.stringMatching(/^steps\[2\]\.input: .*1:\d+/),
    ]);
  });

  it('reports a step that can never run (when is always false) and what depends on it', () => {
    const found = problems(ORDER.replace('when: input.value > 10000', 'when: 1 > 2'));
    expect(found).toEqual(['steps[4].when: is always false: the step can never run', 'steps[5].needs: can never run: it needs "approve", which never runs']);
  });

  it('checks the schema: fields, step kinds and required purposes, each with its path', () => {
    const text = `
name: bad
steps:
  - { id: a, capability: x.a, at: other-org }
  - { id: b, capability: x.b, approval: {} }
  - { id: B-1, capability: x.c, retries: 3 }
  - { id: e, approval: {}, deadline: 1h }
  - { id: d, capability: x.d, needs: [d] }
`;
    expect(problems(text)).toEqual(
      expect.arrayContaining([
        'steps[0].purpose: required for a step at a partner: its policies decide on the purpose',
        'steps[1].capability: an approval step calls no capability: remove capability, or make it a separate step',
        expect.stringMatching(/^steps\[2\]\.id: expected a step id/),
        'steps[2]: unknown field "retries"',
        'steps[3].approval: an approval step waits for a person: give it approval.timeout, not deadline, timeout or retry',
      ]),
    );
    expect(problems(text.replace(/ {2}- \{ id: (a|b|B-1|e).*\n/g, ''))).toEqual(['steps[0].needs: a step cannot need itself']);
  });

  describe('with a catalog of who offers what', () => {
    const catalog: CapabilityCatalog = {
      local: new Set(['proposal.draft', 'orders.update']),
      partners: new Map<string, ReadonlySet<string> | undefined>([
        ['warehouse-org', new Set(['inventory.check'])],
        ['supplier-org', new Set(['catalog.substitutes'])],
        ['legal-org', undefined], // no card yet: not checked
      ]),
    };

    it('accepts the workflow when every provider offers its capability', () => {
      expect(problems(ORDER, catalog)).toEqual([]);
    });

    it('names unknown partners, capabilities not offered, and plan allow-lists nobody serves', () => {
      const text = `${ORDER}
  - id: triage
    capability: orders.update
    at: nowhere-org
    purpose: fulfilment
  - id: planner
    capability: proposal.draft
    plan: { allow: [orders.update, astrology.forecast] }
`;
      // Every card known this time: an allow-list naming what no card shows is refused.
      const known = { ...catalog, partners: new Map([...catalog.partners, ['legal-org', new Set(['contract.terms'])]]) };
      expect(problems(text.replace('capability: inventory.check', 'capability: inventory.count'), known)).toEqual([
        'steps[0].at: warehouse-org does not offer inventory.count to us',
        'steps[6].at: nowhere-org is not a partner of this gateway; import its bundle first',
        'steps[7].plan.allow[1]: nobody offers astrology.forecast, locally or at a partner',
      ]);
    });
  });

  it('validates a definition given as an object (as defineWorkflow builds it)', () => {
    expect(validateWorkflow({ name: 'one', steps: [{ id: 'only', capability: 'x.y' }] })).toMatchObject({ ok: true });
    expect(validateWorkflow({ name: 'none', steps: [] })).toEqual({ ok: false, problems: ['steps: a workflow needs at least one step'] });
  });
});

describe('compileExpr (CEL)', () => {
  it('maps JSON in and out: whole numbers as int, lists and maps as JSON', () => {
    const e = compileExpr('{"n": steps.a.output.count + 1, "doubled": input.items.map(i, i * 2), "ok": input.total > 100.5}');
    expect([...e.steps]).toEqual(['a']);
    expect(e.evaluate({ input: { items: [1, 2], total: 150 }, steps: { a: { output: { count: 3 } } } })).toEqual({ n: 4, doubled: [2, 4], ok: true });
  });

  it('finds step references written as an index too', () => {
    expect([...compileExpr('steps["legal"].output.terms + steps.stock.output.x').steps].sort()).toEqual(['legal', 'stock']);
  });

  it('reports evaluation errors (a missing field, a type mismatch) as errors, not as undefined', () => {
    expect(() => compileExpr('steps.a.output.missing').evaluate({ input: {}, steps: { a: { output: {} } } })).toThrow(/no such key|not found/);
    expect(() => compileExpr('input.name + 1').evaluate({ input: { name: 'x' }, steps: {} })).toThrow(/no matching overload/);
  });
});
