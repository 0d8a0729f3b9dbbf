import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initConfig } from '../config/index.js';
import { certsInit } from '../pki/index.js';
import { required } from './args.js';
import { defineCommand } from './command.js';
import { CliError } from './errors.js';
import { EXIT } from './exit-codes.js';

const DEFAULT_POLICIES = fileURLToPath(new URL('../../../policies/default/', import.meta.url));

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
    // Default deny: with no agreements, nothing goes out and nothing comes in.
    writeFileSync(join(policiesDir, 'data.json'), JSON.stringify({ agreements: { outbound: {}, inbound: {} } }, null, 2) + '\n');
    initConfig({ org, listen: values.listen ?? '127.0.0.1:7443', certsDir, configPath, policiesDir });
    process.stdout.write(
      [
        `initialised ${org} in ${dir}:`,
        `  ${configPath}   the gateway's configuration`,
        `  ${certsDir}/${org}/   development CA, TLS certificate, receipt signing key`,
        `  ${policiesDir}/   the default outbound, inbound and disclosure policies, their tests, and`,
        `  ${policiesDir}/data.json   your agreements with partners (empty: everything is denied until you add some)`,
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
