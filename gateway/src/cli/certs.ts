import { readFileSync } from 'node:fs';
import { importPartner, loadConfig, type GatewayConfig } from '../config/index.js';
import { ROLES, isRole } from '../control/index.js';
import { caFingerprint, certsInit, exportBundle, issueClientFiles, makeBundle, parseBundle, writeBundle, type FederationBundle } from '../pki/index.js';
import { SigningKey } from '../crypto/index.js';
import { parse, required, UsageError } from './args.js';

const USAGE = [
  'entente certs init --org <id> [--certs-dir certs] [--force]',
  '       entente certs export --config <gateway.yaml> [--out <bundle.json>]',
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
      // With a config, everything is in it: the org, the address partners dial, the CA, the keys.
      const bundle =
        values.config !== undefined
          ? bundleOfConfig(loadConfig(values.config))
          : exportBundle({ org: required(values.org, '--org or --config', USAGE), address: required(values.address, '--address', USAGE), certsDir });
      const fingerprint = `CA fingerprint (SHA-256) ${caFingerprint(bundle)}: read it to ${bundle.org}'s partners out of band, so they can check the file they receive`;
      if (values.out !== undefined) {
        writeBundle(values.out, bundle);
        process.stdout.write(`wrote ${values.out} for ${bundle.org} at ${bundle.address} (CA certificate and public receipt keys only; no private material)\n${fingerprint}\n`);
      } else {
        process.stdout.write(JSON.stringify(bundle, null, 2) + '\n');
        process.stderr.write(fingerprint + '\n');
      }
      return 0;
    }
    case 'import': {
      const configPath = required(values.config, '--config', USAGE);
      const file = positionals[0];
      if (file === undefined) throw new UsageError(`missing <bundle.json>\nusage: ${USAGE}`);
      const bundle = parseBundle(JSON.parse(readFileSync(file, 'utf8')));
      const outcome = importPartner(configPath, bundle);
      const what = { added: 'added to', updated: 'updated in', unchanged: 'already present, unchanged, in' }[outcome];
      process.stdout.write(
        `partner ${bundle.org} at ${bundle.address} ${what} ${configPath}\n` +
          `CA fingerprint (SHA-256) ${caFingerprint(bundle)}: compare it with the one ${bundle.org} gave you out of band before trusting it\n` +
          (outcome === 'unchanged' ? '' : 'a running gateway applies it on SIGHUP (kill -HUP <pid>) or restart\n'),
      );
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

/** The bundle a configured gateway gives its partners: its advertised address, its CA, its public receipt keys. */
function bundleOfConfig(config: GatewayConfig): FederationBundle {
  const current = SigningKey.fromJwk(config.receipts.signingJwk).publicJwk;
  const previous = config.receipts.previousJwks.map((k) => Object.fromEntries(Object.entries(k).filter(([name]) => name !== 'd')));
  return makeBundle({ org: config.org, address: config.advertise, caPem: config.tls.caPem, receiptJwks: { keys: [current, ...previous] } });
}
