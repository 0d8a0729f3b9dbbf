import { EntenteError } from '../lib/index.js';
import { EXIT, type ExitCode } from './exit-codes.js';

/** Every way the `entente` command itself can fail. The keys are the closed set of `code`s. */
export const CLI_ERROR_CODES = {
  CLI_USAGE: 'the command line is wrong (unknown subcommand, missing or malformed option, a file that is in the way); printed with the usage, exit code 2',
  CLI_INPUT: 'a file the command was given cannot be used (unreadable, not JSON), or what it would write is already there; the message names it',
  CLI_CALL_UNFINISHED: 'the call or run did not finish before its deadline (or the watch ended first); the message names the task or run id to look up',
  CLI_AGENT_MODULE: 'an agents[].module named in the config cannot be imported, or its default export is not an agent',
  CLI_DEMO_START: 'a gateway of the demo federation exited or did not start within 20 s',
} as const;

export type CliErrorCode = keyof typeof CLI_ERROR_CODES;

/**
 * The command could not do what was asked; `code` says why, `exitCode` how the command ends
 * (2 for usage mistakes, 1 unless said otherwise).
 */
export class CliError extends EntenteError<CliErrorCode> {
  readonly exitCode: ExitCode;

  constructor(code: CliErrorCode, message: string, options?: ErrorOptions & { readonly exitCode?: ExitCode }) {
    super(code, message, options);
    this.exitCode = options?.exitCode ?? (code === 'CLI_USAGE' ? EXIT.usage : EXIT.error);
  }
}
