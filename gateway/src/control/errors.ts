import { EntenteError } from '../lib/index.js';

/**
 * Why the control API refused a call or could not start. The keys are the closed set of codes;
 * each names what to do.
 */
export const CONTROL_ERROR_CODES = {
  CONTROL_UNAUTHENTICATED: 'the client certificate is missing, expired, or not issued by this organization’s CA for this organization',
  CONTROL_ROLE_REQUIRED: 'the client certificate lacks the role this method needs',
  CONTROL_INVALID_ARGUMENT: 'a request field is missing or malformed; the message names it',
  CONTROL_NOT_FOUND: 'this gateway holds no such task or run',
  CONTROL_SOCKET_UNSAFE: 'the control socket, or its directory, could be opened or replaced by other users',
  CONTROL_SOCKET_IN_USE: 'another process already serves the control socket',
  CONTROL_STOPPING: 'the gateway is stopping; call again once it has restarted',
} as const;

export type ControlErrorCode = keyof typeof CONTROL_ERROR_CODES;

/** The control API refused a call, or its listeners could not start. */
export class ControlError extends EntenteError<ControlErrorCode> {}
