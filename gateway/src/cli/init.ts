import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initConfig } from '../config/index.js';
import { certsInit } from '../pki/index.js';
import { required } from './args.js';
import { defineCommand } from './command.js';
import { CliError } from './errors.js';
import { EXIT } from './exit-codes.js';

const DEFAULT_POLICIES = fileURLToPath(new URL('../../../policies/default/', import.meta.url));

/** What `init` writes as the agreements: inert examples of each kind, for a partner that does not exist. */
const EXAMPLE_AGREEMENTS = {
  agreements: {
    outbound: {
      'example-partner': { 'example.word-count': { purposes: ['example'], until: '2099-01-01T00:00:00Z', fields: ['text'] } },
    },
    inbound: {
      'example-partner': { 'example.word-count': { purposes: ['example'], until: '2099-01-01T00:00:00Z', disclose: ['words'] } },
    },
  },
};

/** The example agent `init` writes: an ES module whose default export returns defineAgent(...). */
const EXAMPLE_AGENT = `// An example agent, registered in entente.yaml under agents. The gateway validates every input
// against \`input\` before the handler runs, and every output against \`output\` before the
// disclosure policy decides what of it may leave. @entente/sdk and zod resolve from the
// gateway's own installation: nothing to install here.
import { defineAgent } from '@entente/sdk';
import { z } from 'zod';

/** @param {{ minLength?: number }} options  the entry's options in entente.yaml */
export default function wordCount(options = {}) {
  const minLength = options.minLength ?? 1;
  return defineAgent({
    name: 'word-count',
    description: 'Counts the words of a text',
    capabilities: ['example.word-count'],
    input: z.strictObject({ text: z.string().max(100_000) }),
    output: z.strictObject({ words: z.number().int().min(0) }),
    handler: ({ text }, ctx) => {
      ctx.log.info({ length: text.length }, 'counting words'); // never log the text itself
      return { words: text.split(/\\s+/).filter((w) => w.length >= minLength).length };
    },
  });
}
`;

/** Sets up a gateway in a directory: development certificates, the default policies, a config file. */
export const init = defineCommand(
  {
    name: 'init',
    summary: 'set up a gateway: certificates, a config file and starter policies',
    usage: ['--org <id> [--dir .] [--listen 127.0.0.1:7443]'],
    description: [
      'Writes <dir>/entente.yaml, a development CA, TLS certificate and receipt signing key under',
      '<dir>/certs/<org>/, and the default policies under <dir>/policies/ with an empty agreements file:',
      'until you add agreements, nothing leaves and nothing is let in. Refuses to overwrite a config.',
    ],
    options: {
      org: { type: 'string', arg: '<id>', help: 'your organization id: lowercase letters, digits and -' },
      dir: { type: 'string', arg: '<dir>', help: 'where to set it up (the current directory by default)' },
      listen: { type: 'string', arg: '<host:port>', help: 'where the gateway serves partners (127.0.0.1:7443 by default)' },
    },
    examples: [['set up bank-a in ./bank-a, serving partners on all interfaces', 'entente init --org bank-a --dir bank-a --listen 0.0.0.0:7443']],
  },
  async ({ values }) => {
    const org = required(values.org, '--org', 'your organization id, e.g. --org bank-a');
    const dir = values.dir ?? '.';
    const configPath = join(dir, 'entente.yaml');
    if (existsSync(configPath)) throw new CliError('CLI_INPUT', `${configPath} already exists; choose another --dir or remove it`);
    const certsDir = join(dir, 'certs');
    const policiesDir = join(dir, 'policies');
    certsInit({ org, certsDir });
    cpSync(DEFAULT_POLICIES, policiesDir, { recursive: true, errorOnExist: true, force: false });
    // Default deny: the only agreements name a partner that does not exist (example-partner),
    // so nothing goes out and nothing comes in until the operator puts a real partner there.
    writeFileSync(join(policiesDir, 'data.json'), JSON.stringify(EXAMPLE_AGREEMENTS, null, 2) + '\n');
    mkdirSync(join(dir, 'agents'), { recursive: true });
    writeFileSync(join(dir, 'agents', 'word-count.mjs'), EXAMPLE_AGENT);
    initConfig({ org, listen: values.listen ?? '127.0.0.1:7443', certsDir, configPath, policiesDir, agents: ['agents/word-count.mjs'] });
    process.stdout.write(
      [
        `initialised ${org} in ${dir}:`,
        `  ${configPath}   the gateway's configuration`,
        `  ${certsDir}/${org}/   development CA, TLS certificate, receipt signing key`,
        `  ${policiesDir}/   the default outbound, inbound and disclosure policies, their tests, and`,
        `  ${policiesDir}/data.json   your agreements with partners: one example for "example-partner", which matches no`,
        '      partner, so everything is denied until you put a partner\'s org id in its place',
        `  ${join(dir, 'agents', 'word-count.mjs')}   an example agent serving example.word-count (registered in the config)`,
        'next:',
        `  entente certs export --org ${org} --address <host:port> --out ${org}.bundle.json   (send it to partners)`,
        `  entente certs import --config ${configPath} <partner.bundle.json>`,
        `  entente policy test ${policiesDir}`,
        `  entente serve --config ${configPath}`,
        '',
      ].join('\n'),
    );
    return EXIT.ok;
  },
);
