import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './errors.js';

/** A usage mistake: printed with the command's usage, exit code 2. */
export class UsageError extends CliError {
  constructor(message: string, options?: ErrorOptions) {
    super('CLI_USAGE', message, options);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with errors that say which command and how to call it. */
export function parse<const O extends Options>(
  argv: readonly string[],
  options: O,
  usage: string,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nusage: ${usage}`, { cause: err });
  }
}

export function required(value: string | undefined, flag: string, usage: string): string {
  if (value === undefined || value === '') throw new UsageError(`missing ${flag}\nusage: ${usage}`);
  return value;
}
