#!/usr/bin/env node
import { UsageError } from './args.js';

interface Command {
  readonly summary: string;
  readonly run: (argv: string[]) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  init: { summary: 'set up a gateway: certificates, a config file and starter policies', run: async (a) => (await import('./init.js')).init(a) },
  certs: { summary: 'certs init|export|import|issue-client: development PKI, federation bundles, control-API client certificates', run: async (a) => (await import('./certs.js')).certs(a) },
  serve: { summary: 'run a gateway from its config file', run: async (a) => (await import('./serve.js')).serve(a) },
  call: { summary: "ask the running gateway to call one capability at a partner, through its policies", run: async (a) => (await import('./call.js')).call(a) },
  receipts: { summary: 'receipts list|show: the signed receipts the running gateway holds, verified', run: async (a) => (await import('./receipts.js')).receipts(a) },
  status: { summary: "the running gateway's org, policy revision, capabilities, partners' reachability and certificate expiry", run: async (a) => (await import('./status.js')).status(a) },
  policy: { summary: 'policy eval|test: evaluate Rego policies, run their *_test.rego tests', run: async (a) => (await import('./policy.js')).policy(a) },
  demo: { summary: 'start a three-hospital federation on loopback and run a federated count', run: async (a) => (await import('./demo.js')).demo(a) },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'entente: a federated orchestration gateway',
    '',
    'usage: entente <command> [options]   (entente <command> --help for its options)',
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'call, receipts and status talk to a running gateway through its control API: the Unix socket',
    'in its data directory (--config finds it, or --socket), or control.listen over mutual TLS with a',
    'client certificate from `entente certs issue-client` (--address, --ca, --cert, --key).',
    '',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    process.stdout.write('entente 0.1.0\n');
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`entente: unknown command ${JSON.stringify(name)}\n\n${help()}`);
    return 2;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`entente: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    const code = (err as { code?: unknown }).code;
    process.stderr.write(`entente: ${(err as Error).message ?? String(err)}${typeof code === 'string' ? ` (${code})` : ''}\n`);
    process.exitCode = 1;
  },
);
