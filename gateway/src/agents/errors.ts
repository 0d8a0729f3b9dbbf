import { EntenteError } from '../lib/index.js';

/**
 * Why a local agent could not be registered or could not produce a result. The keys are the
 * closed set of `code`s. Messages are safe to show the requester: the responder turns each
 * code into a reason code (`INVALID_INPUT` -> `invalid_input`, ...) and keeps the cause in
 * its log.
 */
export const AGENT_ERROR_CODES = {
  AGENT_DUPLICATE: 'two agents share a name, or two agents serve the same capability; each capability has one agent per gateway',
  CAPABILITY_UNAVAILABLE: 'no local agent serves the capability',
  INVALID_INPUT: "the input does not match the agent's input schema",
  INVALID_OUTPUT: "the agent returned a value that does not match its own output schema (a bug in the agent)",
  AGENT_FAILED: 'the agent threw while running the task',
  AGENT_TIMEOUT: 'the agent did not finish before the task deadline',
  AGENT_CANCELLED: 'the task was cancelled while the agent ran',
} as const;

export type AgentErrorCode = keyof typeof AGENT_ERROR_CODES;

export class AgentError extends EntenteError<AgentErrorCode> {}
