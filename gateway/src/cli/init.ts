import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initConfig } from '../config/index.js';
import { certsInit } from '../pki/index.js';
import { parse, required, UsageError } from './args.js';

const USAGE = 'entente init --org <id> [--dir .] [--listen 127.0.0.1:7443]';
const DEFAULT_POLICIES = fileURLToPath(new URL('../../../policies/default/', import.meta.url));

/** Sets up a gateway in a directory: development certificates, the default policies, a config file. */
export async function init(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    { org: { type: 'string' }, dir: { type: 'string' }, listen: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    USAGE,
  );
  if (values.help) {
    process.stdout.write(`usage: ${USAGE}\n`);
    return 0;
  }
  const org = required(values.org, '--org', USAGE);
  const dir = values.dir ?? '.';
  const configPath = join(dir, 'entente.yaml');
  if (existsSync(configPath)) throw new UsageError(`${configPath} already exists; choose another --dir or remove it`);
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
  return 0;
}
