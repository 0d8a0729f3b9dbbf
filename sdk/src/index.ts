export { defineAgent } from './agent.js';
export type { AgentContext, AgentDefinition, AgentLogger } from './agent.js';
export { ControlCallError, EntenteClient } from './client.js';
export type {
  ApprovalDecision,
  AuditLogView,
  AuditSelection,
  ApprovalView,
  CallOptions as ControlCallOptions,
  CallOutcome,
  CallRequest,
  ControlTarget,
  DecideRequest,
  DecisionView,
  GatewayStatus,
  RunEventView,
  RunFilter,
  RunStatus,
  RunSummary,
  RunUpdate,
  RunView,
  StepView,
  TaskFilter,
  TaskReceipts,
  TaskStatus,
  TaskSummary,
} from './client.js';
export { defineWorkflow } from './workflow.js';
export type { Duration, WorkflowDefinition, WorkflowStep } from './workflow.js';
