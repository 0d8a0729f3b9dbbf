import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/index.js';
import { parseWorkflow, WorkflowError, type CapabilityCatalog } from '../workflows/index.js';
import { loadAgents } from './agents.js';
import { UsageError } from './args.js';
import { defineCommand, defineGroup } from './command.js';
import { CliError } from './errors.js';
import { EXIT } from './exit-codes.js';

const validate = defineCommand(
  {
    name: 'workflows validate',
    summary: 'check workflow files before anything runs: schema, needs, expressions, providers',
    usage: ['<workflow.yaml>... [--config <gateway.yaml>]'],
    description: [
      'Lists every problem with its file, step and field: unknown or cyclic needs, CEL expressions',
      'that do not parse or read steps that may not have run, steps that can never run. With',
      "--config, also that local steps' capabilities have an agent and named partners exist",
      "(partners' capabilities are checked against their cards when a run starts).",
    ],
    options: {
      config: { type: 'string', short: 'c', arg: '<gateway.yaml>', help: "check providers against this gateway's agents and partners" },
    },
    maxArgs: 1000,
    examples: [['check a workflow against the gateway that will run it', 'entente workflows validate workflows/order-exception.yaml --config entente.yaml']],
    exits: [
      [EXIT.ok, 'every file is a valid workflow'],
      [EXIT.error, 'a file is not (each problem is printed with its location)'],
    ],
  },
  async ({ values, positionals }) => {
    if (positionals.length === 0) throw new UsageError('missing <workflow.yaml>: the workflow files to check');
    const catalog = values.config === undefined ? undefined : await catalogOf(values.config);
    let failed = 0;
    for (const file of positionals) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new CliError('CLI_INPUT', `${file}: cannot read it: ${(err as Error).message}`);
      }
      try {
        const wf = parseWorkflow(text, file, catalog);
        process.stdout.write(`${file}: ok, workflow ${wf.definition.name} with ${wf.definition.steps.length} steps (${wf.order.join(' -> ')})\n`);
      } catch (err) {
        if (!(err instanceof WorkflowError)) throw err;
        failed++;
        process.stderr.write(`${err.message}\n`);
      }
    }
    return failed === 0 ? EXIT.ok : EXIT.error;
  },
);

/** What a configured gateway offers: its agents' capabilities, and its partners (cards unknown offline). */
async function catalogOf(configPath: string): Promise<CapabilityCatalog> {
  const config = loadConfig(configPath);
  const agents = await loadAgents(config);
  return {
    local: new Set(agents.flatMap((a) => a.capabilities)),
    partners: new Map(config.partners.map((p) => [p.org, undefined])),
  };
}

/** Workflow definitions: checking them (running them comes with the workflow engine). */
export const workflows = defineGroup({ name: 'workflows', summary: 'check workflow definitions before anything runs' }, [validate]);
