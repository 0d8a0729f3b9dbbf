#!/usr/bin/env node
import { UsageError } from './args.js';
import { findSubcommand, isGroup, type Command } from './command.js';
import { CliError } from './errors.js';
import { EXIT, EXIT_CODE_TABLE, type ExitCode } from './exit-codes.js';
import { formatCommandHelp, formatGroupHelp } from './help.js';

// Loaded on demand: `entente policy eval` should not pay for gRPC, and `serve` not for PKI tools.
const COMMANDS: Record<string, () => Promise<Command>> = {
  init: async () => (await import('./init.js')).init,
  certs: async () => (await import('./certs.js')).certs,
  serve: async () => (await import('./serve.js')).serve,
  call: async () => (await import('./call.js')).call,
  receipts: async () => (await import('./receipts.js')).receipts,
  audit: async () => (await import('./audit.js')).audit,
  status: async () => (await import('./status.js')).status,
  policy: async () => (await import('./policy.js')).policy,
  run: async () => (await import('./run.js')).run,
  runs: async () => (await import('./runs.js')).runs,
  approvals: async () => (await import('./approvals.js')).approvals,
  workflows: async () => (await import('./workflows.js')).workflows,
  demo: async () => (await import('./demo.js')).demo,
  example: async () => (await import('./example.js')).example,
};

const VERSION = '0.1.0';

async function help(): Promise<string> {
  const commands = await Promise.all(
    Object.entries(COMMANDS).map(async ([name, load]) => {
      const { spec } = await load();
      const subcommands = isGroup(spec) ? `${spec.commands.map((c) => c.spec.name.split(' ').at(-1)).join('|')}: ` : '';
      return [name, subcommands + spec.summary] as const;
    }),
  );
  const width = Math.max(...commands.map(([name]) => name.length));
  return [
    'entente: a federated orchestration gateway',
    '',
    'usage: entente <command> [options]',
    '       entente help <command> [<subcommand>]   a command\'s options and examples (or: entente <command> --help)',
    '',
    'commands:',
    ...commands.map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`),
    '',
    'call, receipts, status, run, runs and approvals talk to a running gateway through its control',
    'API: the Unix socket in its data directory (--config finds it, or --socket), or control.listen',
    'over mutual TLS with a client certificate from `entente certs issue-client` (--address, --ca,',
    '--cert, --key).',
    '',
    'exit codes:',
    ...EXIT_CODE_TABLE.map(([code, meaning]) => `  ${code}  ${meaning}`),
    '',
  ].join('\n');
}

/** `entente help <command> [<subcommand>]`: the same text as `--help` on that command. */
async function helpFor(path: readonly string[]): Promise<string> {
  const [name, sub] = path;
  const load = name === undefined ? undefined : COMMANDS[name];
  if (load === undefined) throw unknownCommand(name ?? '');
  const { spec } = await load();
  if (!isGroup(spec)) {
    if (sub !== undefined) throw new UsageError(`entente ${name} has no subcommands; entente help ${name} shows its options`);
    return formatCommandHelp(spec);
  }
  if (sub === undefined) return formatGroupHelp(spec);
  const command = findSubcommand(spec, sub);
  if (command === undefined) throw new UsageError(`unknown command "${name} ${sub}": entente help ${name} lists its commands`);
  return isGroup(command.spec) ? formatGroupHelp(command.spec) : formatCommandHelp(command.spec);
}

function unknownCommand(name: string): UsageError {
  const err = new UsageError(`unknown command ${JSON.stringify(name)}: expected ${Object.keys(COMMANDS).join(', ')}`);
  err.usage = 'usage: entente <command> [options]\n(entente --help lists the commands)';
  return err;
}

async function main(argv: readonly string[]): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    process.stdout.write(await help());
    return EXIT.ok;
  }
  if (name === undefined) {
    process.stderr.write(await help());
    return EXIT.usage;
  }
  if (name === 'help') {
    process.stdout.write(await helpFor(rest));
    return EXIT.ok;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`entente ${VERSION}\n`);
    return EXIT.ok;
  }
  const load = COMMANDS[name];
  if (load === undefined) throw unknownCommand(name);
  return (await load()).run(rest);
}

// `entente receipts list | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`entente: ${err.message}\n${err.usage !== undefined ? `${err.usage}\n` : ''}`);
      process.exitCode = EXIT.usage;
      return;
    }
    const code = (err as { code?: unknown }).code;
    process.stderr.write(`entente: ${(err as Error).message ?? String(err)}${typeof code === 'string' ? ` (${code})` : ''}\n`);
    process.exitCode = err instanceof CliError ? err.exitCode : EXIT.error;
  },
);
