export { workflowSchema } from './definition.js';
export type { StepDefinition, WorkflowDefinition, WorkflowInput } from './definition.js';
export { compileExpr } from './expr.js';
export type { CompiledExpr } from './expr.js';
export { validateWorkflow } from './validate.js';
export type { CapabilityCatalog, Validation, ValidWorkflow } from './validate.js';
export { parseWorkflow } from './load.js';
export { WORKFLOW_ERROR_CODES, WorkflowError } from './errors.js';
export type { WorkflowErrorCode } from './errors.js';
