/** Why a local agent could not produce a result. Messages are safe to show the requester. */
export type AgentErrorCode =
  | 'CAPABILITY_UNAVAILABLE'
  | 'INVALID_INPUT'
  | 'INVALID_OUTPUT'
  | 'AGENT_FAILED'
  | 'AGENT_TIMEOUT'
  | 'AGENT_CANCELLED';

export class AgentError extends Error {
  constructor(
    readonly code: AgentErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AgentError';
  }
}
