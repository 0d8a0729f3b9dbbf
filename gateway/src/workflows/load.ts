import { parse as parseYaml } from 'yaml';
import { WorkflowError } from './errors.js';
import { validateWorkflow, type CapabilityCatalog, type ValidWorkflow } from './validate.js';

/**
 * A workflow from the text of a YAML or JSON file, checked before anything runs; every problem
 * is reported with the file and its location (`order.yaml: steps[2].needs: unknown step "stok"`).
 */
export function parseWorkflow(text: string, source: string, catalog?: CapabilityCatalog): ValidWorkflow {
  let raw: unknown;
  try {
    raw = source.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new WorkflowError(source, [`not valid ${source.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`]);
  }
  const result = validateWorkflow(raw, catalog);
  if (!result.ok) throw new WorkflowError(source, result.problems);
  return result.workflow;
}
