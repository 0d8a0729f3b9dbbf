import { parse, UsageError, type OptionSpecs, type Parsed } from './args.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { formatCommandHelp, formatGroupHelp, usageOf } from './help.js';

/** What `entente <name> --help` says about a command; its options are also what it parses. */
export interface CommandSpec<O extends OptionSpecs = OptionSpecs> {
  /** As typed after `entente`: `call`, `policy eval`. */
  readonly name: string;
  readonly summary: string;
  /** Synopses, each after `entente <name> `. */
  readonly usage: readonly string[];
  /** Paragraphs between the usage and the options: what it does, what to know. */
  readonly description?: readonly string[];
  readonly options: O;
  /** How many positional arguments it takes (0 when absent). */
  readonly maxArgs?: number;
  /** [what it does, the command line]. */
  readonly examples: readonly (readonly [string, string])[];
  /** The exit codes this command ends with, in its own words (the whole table is in `entente --help`). */
  readonly exits?: readonly (readonly [ExitCode, string])[];
}

/** A command with subcommands (`certs init`, `certs export`, …). */
export interface GroupSpec {
  readonly name: string;
  readonly summary: string;
  readonly description?: readonly string[];
  readonly commands: readonly Command[];
}

export interface Command {
  readonly spec: CommandSpec | GroupSpec;
  run(argv: readonly string[]): Promise<ExitCode>;
}

export function isGroup(spec: CommandSpec | GroupSpec): spec is GroupSpec {
  return 'commands' in spec;
}

/**
 * A command from its spec and what it does with the parsed arguments: `-h`/`--help` prints
 * its help, and a usage error it throws leaves with its usage lines.
 */
export function defineCommand<const O extends OptionSpecs>(
  spec: CommandSpec<O>,
  run: (args: Parsed<O>) => Promise<ExitCode> | ExitCode,
): Command {
  return {
    spec,
    async run(argv) {
      try {
        const args = parse(argv, spec.options, spec.maxArgs ?? 0);
        if (args === undefined) {
          process.stdout.write(formatCommandHelp(spec));
          return EXIT.ok;
        }
        return await run(args);
      } catch (err) {
        if (err instanceof UsageError) err.usage ??= usageOf(spec);
        throw err;
      }
    },
  };
}

/** A command whose first argument names one of its subcommands. */
export function defineGroup(spec: Omit<GroupSpec, 'commands'>, commands: readonly Command[]): Command {
  const group: GroupSpec = { ...spec, commands };
  return {
    spec: group,
    async run(argv) {
      const [sub, ...rest] = argv;
      if (sub === '--help' || sub === '-h' || sub === 'help') {
        process.stdout.write(formatGroupHelp(group));
        return EXIT.ok;
      }
      const names = commands.map((c) => subName(c.spec));
      const command = commands.find((c) => subName(c.spec) === sub);
      if (command === undefined) {
        const err = new UsageError(
          sub === undefined
            ? `entente ${spec.name} needs a command: ${names.join(', ')}`
            : `unknown command ${JSON.stringify(`${spec.name} ${sub}`)}: expected ${names.join(', ')}`,
        );
        err.usage = usageOf(group);
        throw err;
      }
      return command.run(rest);
    },
  };
}

/** The subcommand `name` of a group, or undefined. */
export function findSubcommand(group: GroupSpec, name: string): Command | undefined {
  return group.commands.find((c) => subName(c.spec) === name);
}

function subName(spec: CommandSpec | GroupSpec): string {
  return spec.name.split(' ').at(-1) ?? spec.name;
}
