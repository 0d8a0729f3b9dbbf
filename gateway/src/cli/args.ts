import { parseArgs } from 'node:util';
import { nearest } from '../lib/index.js';
import { CliError } from './errors.js';

/** A mistake in the command line: printed with the command's usage, exit code 2. */
export class UsageError extends CliError {
  /** The usage lines of the command it happened in; the command sets them on the way out. */
  usage: string | undefined;

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLI_USAGE', message, options);
  }
}

/** One option of a command: how node:util parseArgs reads it, and how help describes it. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  /** The value as help shows it: `<org>`, `json|pretty`. */
  readonly arg?: string;
  readonly help: string;
  /** A heading of its own in help, for options several commands share. */
  readonly group?: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export type Parsed<O extends OptionSpecs> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

/**
 * parseArgs over a command's options plus `-h, --help`; `undefined` when help was asked for.
 * Its errors become usage errors, with a suggestion for a mistyped option.
 */
export function parse<O extends OptionSpecs>(argv: readonly string[], options: O, maxArgs: number): Parsed<O> | undefined {
  const config = Object.fromEntries(
    Object.entries(options).map(([name, o]) => [
      name,
      { type: o.type, ...(o.short !== undefined ? { short: o.short } : {}), ...(o.multiple === true ? { multiple: true } : {}) },
    ]),
  );
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...config, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }) as unknown as Parsed<O>;
  } catch (err) {
    throw new UsageError(explain(err as Error & { code?: string }, Object.keys(options)), { cause: err });
  }
  if ((parsed.values as { help?: boolean }).help === true) return undefined;
  const extra = parsed.positionals.slice(maxArgs);
  if (extra.length > 0) {
    throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}${maxArgs === 0 ? ': this command takes options only' : ''}`);
  }
  return parsed;
}

/** The value of a required option, or a usage error naming it. */
export function required(value: string | undefined, flag: string, what?: string): string {
  if (value === undefined || value === '') throw new UsageError(`missing ${flag}${what === undefined ? '' : `: ${what}`}`);
  return value;
}

/** The value of an option that takes a positive whole number (`unit` follows "number" in the message), or undefined when absent. */
export function positiveInteger(value: string | undefined, flag: string, unit = ''): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(Number.isSafeInteger(n) && n > 0)) throw new UsageError(`${flag} must be a positive whole number${unit}`);
  return n;
}

/** node's parseArgs messages, shortened, with the nearest known option when one was mistyped. */
function explain(err: Error & { code?: string }, known: readonly string[]): string {
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const given = /'(-{1,2}[^']*)'/.exec(err.message)?.[1] ?? '';
    const name = given.replace(/^-+/, '').split('=')[0] ?? '';
    const near = nearest(name, [...known, 'help']);
    return `unknown option ${given}${near !== undefined ? `: did you mean --${near}?` : ''}`;
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = /(--[A-Za-z0-9-]+)/.exec(err.message)?.[1];
    if (flag !== undefined && /argument missing/.test(err.message)) return `${flag} needs a value`;
    if (flag !== undefined && /does not take an argument/.test(err.message)) return `${flag} takes no value`;
  }
  return err.message;
}
