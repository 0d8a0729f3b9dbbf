import { EntenteError } from '../lib/index.js';

/** Every way the `entente` command itself can fail. The keys are the closed set of `code`s. */
export const CLI_ERROR_CODES = {
  CLI_USAGE: 'the command line is wrong (unknown subcommand, missing or malformed option, a file that is in the way); printed with the usage, exit code 2',
  CLI_AGENT_MODULE: 'an agents[].module named in the config cannot be imported, or its default export is not an agent',
  CLI_DEMO_START: 'a gateway of the demo federation exited or did not start within 20 s',
} as const;

export type CliErrorCode = keyof typeof CLI_ERROR_CODES;

/** The command could not do what was asked; `code` says why. */
export class CliError extends EntenteError<CliErrorCode> {}
