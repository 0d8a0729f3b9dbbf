import { readFileSync } from 'node:fs';
import { importPartner } from '../config/index.js';
import { ROLES, isRole } from '../control/index.js';
import { certsInit, exportBundle, issueClientFiles, parseBundle, writeBundle } from '../pki/index.js';
import { parse, required, UsageError } from './args.js';

const USAGE = [
  'entente certs init --org <id> [--certs-dir certs] [--force]',
  '       entente certs export --org <id> --address <host:port> [--certs-dir certs] [--out <bundle.json>]',
  '       entente certs import --config <gateway.yaml> <bundle.json>',
  '       entente certs issue-client --org <id> --role <operator|app|auditor|approver>[,<role>...] --name <client> [--certs-dir certs] [--days 365] [--force]',
].join('\n');

/** Development PKI: an org CA, the gateway's TLS certificate, the receipt signing key; bundles for partners. */
export async function certs(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(
    rest,
    {
      org: { type: 'string' },
      'certs-dir': { type: 'string' },
      address: { type: 'string' },
      out: { type: 'string', short: 'o' },
      config: { type: 'string', short: 'c' },
      force: { type: 'boolean' },
      role: { type: 'string' },
      name: { type: 'string' },
      days: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help || sub === '--help' || sub === '-h') {
    process.stdout.write(`usage: ${USAGE}\n`);
    return 0;
  }
  const certsDir = values['certs-dir'] ?? 'certs';
  switch (sub) {
    case 'init': {
      const org = required(values.org, '--org', USAGE);
      certsInit({ org, certsDir, force: values.force ?? false });
      process.stdout.write(
        `wrote ${certsDir}/${org}/: ca.pem, ca.key.pem, gateway.pem, gateway.key.pem, receipt-signing.jwk.json (keys 0600), receipt-jwks.json\n` +
          `next: entente certs export --org ${org} --address <host:port> --out ${org}.bundle.json, and send that file to your partners\n`,
      );
      return 0;
    }
    case 'export': {
      const bundle = exportBundle({
        org: required(values.org, '--org', USAGE),
        address: required(values.address, '--address', USAGE),
        certsDir,
      });
      if (values.out !== undefined) {
        writeBundle(values.out, bundle);
        process.stdout.write(`wrote ${values.out} (CA certificate and public receipt keys only; no private material)\n`);
      } else {
        process.stdout.write(JSON.stringify(bundle, null, 2) + '\n');
      }
      return 0;
    }
    case 'import': {
      const configPath = required(values.config, '--config', USAGE);
      const file = positionals[0];
      if (file === undefined) throw new UsageError(`missing <bundle.json>\nusage: ${USAGE}`);
      const bundle = parseBundle(JSON.parse(readFileSync(file, 'utf8')));
      importPartner(configPath, bundle);
      process.stdout.write(`partner ${bundle.org} at ${bundle.address} added to ${configPath}; restart or SIGHUP the gateway to use it\n`);
      return 0;
    }
    case 'issue-client': {
      const org = required(values.org, '--org', USAGE);
      const roles = required(values.role, '--role', USAGE).split(',').map((r) => r.trim());
      const unknown = roles.filter((r) => !isRole(r));
      if (unknown.length > 0) throw new UsageError(`unknown role ${unknown.join(', ')}: expected ${ROLES.join(', ')}`);
      const days = values.days === undefined ? undefined : Number(values.days);
      if (days !== undefined && !(Number.isSafeInteger(days) && days > 0)) throw new UsageError('--days must be a positive whole number');
      const issued = issueClientFiles({
        org,
        certsDir,
        name: required(values.name, '--name', USAGE),
        roles,
        force: values.force ?? false,
        ...(days !== undefined ? { validityDays: days } : {}),
      });
      process.stdout.write(
        `wrote ${issued.cert} and ${issued.key} (0600): roles ${roles.join(', ')}, serial ${issued.serial}, valid until ${issued.notAfter.toISOString()}\n` +
          `use it against a gateway whose config sets control.listen:\n` +
          `  entente status --address <host:port> --ca ${certsDir}/${org}/ca.pem --cert ${issued.cert} --key ${issued.key}\n`,
      );
      return 0;
    }
    default:
      throw new UsageError(`expected init, export, import or issue-client\nusage: ${USAGE}`);
  }
}
