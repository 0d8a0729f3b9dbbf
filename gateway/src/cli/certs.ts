import { readFileSync } from 'node:fs';
import { importPartner, loadConfig, rotateKeys, type GatewayConfig } from '../config/index.js';
import { logKeyOf } from '../gateway.js';
import { durationSchema } from '../lib/index.js';
import { ROLES, isRole } from '../control/index.js';
import { caFingerprint, certsInit, exportBundle, generateLogKey, generateReceiptKey, issueClientFiles, makeBundle, parseBundle, writeBundle, type FederationBundle } from '../pki/index.js';
import { SigningKey } from '../crypto/index.js';
import { required, UsageError } from './args.js';
import { defineCommand, defineGroup } from './command.js';
import { CliError } from './errors.js';
import { EXIT } from './exit-codes.js';

const CERTS_DIR = { type: 'string', arg: '<dir>', help: 'where development PKI lives, one folder per org (certs by default)' } as const;
const FORCE = { type: 'boolean', help: 'overwrite files that already exist' } as const;

const init = defineCommand(
  {
    name: 'certs init',
    summary: 'a development org CA, the gateway TLS certificate (urn:entente:org:<id>) and an ES256 receipt signing key',
    usage: ['--org <id> [--certs-dir certs] [--force]'],
    description: [
      'Writes <certs-dir>/<org>/: ca.pem, ca.key.pem, gateway.pem, gateway.key.pem, receipt-signing.jwk.json',
      '(keys mode 0600) and receipt-jwks.json. For development and tests: production CAs are your own.',
    ],
    options: { org: { type: 'string', arg: '<id>', help: 'your organization id' }, 'certs-dir': CERTS_DIR, force: FORCE },
    examples: [['development PKI for bank-a under ./certs/bank-a/', 'entente certs init --org bank-a']],
  },
  ({ values }) => {
    const org = required(values.org, '--org', 'your organization id, e.g. --org bank-a');
    const certsDir = values['certs-dir'] ?? 'certs';
    certsInit({ org, certsDir, force: values.force ?? false });
    process.stdout.write(
      `wrote ${certsDir}/${org}/: ca.pem, ca.key.pem, gateway.pem, gateway.key.pem, receipt-signing.jwk.json (keys 0600), receipt-jwks.json\n` +
        `next: entente certs export --org ${org} --address <host:port> --out ${org}.bundle.json, and send that file to your partners\n`,
    );
    return EXIT.ok;
  },
);

const exportCommand = defineCommand(
  {
    name: 'certs export',
    summary: 'the federation bundle partners import: your org id, address, CA certificate and public receipt keys',
    usage: ['--config <gateway.yaml> [--out <bundle.json>]', '--org <id> --address <host:port> [--certs-dir certs] [--out <bundle.json>]'],
    description: [
      'With --config everything comes from the config (org, advertise or listen address, CA, keys).',
      'The bundle holds no private material. The CA fingerprint it prints is for reading to partners',
      'out of band, so they can check the file they receive.',
    ],
    options: {
      config: { type: 'string', short: 'c', arg: '<gateway.yaml>', help: 'take org, address and keys from this config' },
      org: { type: 'string', arg: '<id>', help: 'without --config: the org whose certs-dir material to export' },
      address: { type: 'string', arg: '<host:port>', help: 'without --config: where partners reach your gateway' },
      'certs-dir': CERTS_DIR,
      out: { type: 'string', short: 'o', arg: '<bundle.json>', help: 'write the bundle to this file (stdout by default)' },
    },
    examples: [['bank-a\'s bundle, to send to its partners', 'entente certs export --config entente.yaml --out bank-a.bundle.json']],
  },
  ({ values }) => {
    // With a config, everything is in it: the org, the address partners dial, the CA, the keys.
    const bundle =
      values.config !== undefined
        ? bundleOfConfig(loadConfig(values.config))
        : exportBundle({
            org: required(values.org, '--org or --config', 'the org to export'),
            address: required(values.address, '--address', 'where partners reach your gateway, e.g. gw.example.org:7443'),
            certsDir: values['certs-dir'] ?? 'certs',
          });
    const fingerprint = `CA fingerprint (SHA-256) ${caFingerprint(bundle)}: read it to ${bundle.org}'s partners out of band, so they can check the file they receive`;
    if (values.out !== undefined) {
      writeBundle(values.out, bundle);
      process.stdout.write(`wrote ${values.out} for ${bundle.org} at ${bundle.address} (CA certificate and public receipt keys only; no private material)\n${fingerprint}\n`);
    } else {
      process.stdout.write(JSON.stringify(bundle, null, 2) + '\n');
      process.stderr.write(fingerprint + '\n');
    }
    return EXIT.ok;
  },
);

const importCommand = defineCommand(
  {
    name: 'certs import',
    summary: "add or update a partner from its bundle: its CA pinned to its org id, its receipt keys, its address",
    usage: ['--config <gateway.yaml> <bundle.json>'],
    description: [
      'Edits the config in place; a running gateway applies it on SIGHUP or restart. Compare the CA',
      'fingerprint it prints with the one the partner gave you out of band before trusting it.',
    ],
    options: { config: { type: 'string', short: 'c', arg: '<gateway.yaml>', help: 'the config to add the partner to' } },
    maxArgs: 1,
    examples: [['trust bank-b as a partner of the gateway configured here', 'entente certs import --config entente.yaml bank-b.bundle.json']],
  },
  ({ values, positionals }) => {
    const configPath = required(values.config, '--config', 'the config to add the partner to');
    const file = positionals[0];
    if (file === undefined) throw new UsageError("missing <bundle.json>: the file a partner made with entente certs export");
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new CliError('CLI_INPUT', `${file}: cannot read the bundle: ${(err as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new CliError('CLI_INPUT', `${file}: not a bundle (not valid JSON: ${(err as Error).message}); ask the partner for the file entente certs export wrote`);
    }
    const bundle = parseBundle(json);
    const outcome = importPartner(configPath, bundle);
    const what = { added: 'added to', updated: 'updated in', unchanged: 'already present, unchanged, in' }[outcome];
    process.stdout.write(
      `partner ${bundle.org} at ${bundle.address} ${what} ${configPath}\n` +
        `CA fingerprint (SHA-256) ${caFingerprint(bundle)}: compare it with the one ${bundle.org} gave you out of band before trusting it\n` +
        (outcome === 'unchanged' ? '' : 'a running gateway applies it on SIGHUP (kill -HUP <pid>) or restart\n'),
    );
    return EXIT.ok;
  },
);

const issueClient = defineCommand(
  {
    name: 'certs issue-client',
    summary: 'a control-API client certificate from the org CA, carrying roles (urn:entente:role:<role>)',
    usage: [`--org <id> --role <${ROLES.join('|')}>[,<role>…] --name <client> [--certs-dir certs] [--days 365] [--force]`],
    description: [
      'For tools that reach the gateway over control.listen (mutual TLS) rather than its socket.',
      'Writes <certs-dir>/<org>/clients/<name>.pem and <name>.key.pem (0600). Revoke it with',
      'control.revoked in the config and SIGHUP.',
    ],
    options: {
      org: { type: 'string', arg: '<id>', help: 'your organization id (its CA signs the certificate)' },
      role: { type: 'string', arg: '<role>[,<role>…]', help: `what the client may do: ${ROLES.join(', ')}` },
      name: { type: 'string', arg: '<client>', help: 'who the client is; names the files and shows in the gateway log' },
      days: { type: 'string', arg: '<n>', help: 'how long the certificate is valid (365 by default)' },
      'certs-dir': CERTS_DIR,
      force: FORCE,
    },
    examples: [['a read-only certificate for an auditor\'s tools', 'entente certs issue-client --org bank-a --role auditor --name audit-team --days 90']],
  },
  ({ values }) => {
    const org = required(values.org, '--org', 'your organization id');
    const certsDir = values['certs-dir'] ?? 'certs';
    const roles = required(values.role, '--role', `one or more of ${ROLES.join(', ')}`).split(',').map((r) => r.trim());
    const unknown = roles.filter((r) => !isRole(r));
    if (unknown.length > 0) throw new UsageError(`unknown role ${unknown.join(', ')}: expected ${ROLES.join(', ')}`);
    const days = values.days === undefined ? undefined : Number(values.days);
    if (days !== undefined && !(Number.isSafeInteger(days) && days > 0)) throw new UsageError('--days must be a positive whole number');
    const issued = issueClientFiles({
      org,
      certsDir,
      name: required(values.name, '--name', 'who the client is, e.g. --name ops'),
      roles,
      force: values.force ?? false,
      ...(days !== undefined ? { validityDays: days } : {}),
    });
    process.stdout.write(
      `wrote ${issued.cert} and ${issued.key} (0600): roles ${roles.join(', ')}, serial ${issued.serial}, valid until ${issued.notAfter.toISOString()}\n` +
        `use it against a gateway whose config sets control.listen:\n` +
        `  entente status --address <host:port> --ca ${certsDir}/${org}/ca.pem --cert ${issued.cert} --key ${issued.key}\n`,
    );
    return EXIT.ok;
  },
);

const rotate = defineCommand(
  {
    name: 'certs rotate',
    summary: 'a new receipt signing key (and, with --log, audit log key); the old ones keep verifying',
    usage: ['--config <gateway.yaml> [--overlap <duration>] [--log]'],
    description: [
      'Writes a new key beside the current one and makes it current in the config. The old receipt key',
      'stays, public only, in receipts.previousKeys with exp = now + overlap: statements it signed until',
      'then keep verifying, here, at partners and in audit bundles; a statement it signs later does not.',
      'With --log, the audit log key too: the old one\'s verifier key goes to audit.previousLogKeys, so',
      'checkpoints it signed keep verifying. Restart the gateway to sign with the new keys. Partners learn',
      'them from its card (fetched when they meet a key they do not know); give partners that pin keys',
      'your new bundle (entente certs export).',
    ],
    options: {
      config: { type: 'string', short: 'c', arg: '<gateway.yaml>', help: "the gateway's config (edited in place)" },
      overlap: { type: 'string', arg: '<duration>', help: 'how long the old receipt key may still sign (24h by default: until the restart)' },
      log: { type: 'boolean', help: 'rotate the audit log key as well' },
    },
    examples: [['a new receipt key, the old one valid for an hour more', 'entente certs rotate --config entente.yaml --overlap 1h']],
    exits: [
      [EXIT.ok, 'the new keys were written and the config points at them'],
      [EXIT.error, 'the config or a key file cannot be read or written'],
      [EXIT.usage, 'a missing --config or a malformed --overlap'],
    ],
  },
  ({ values }) => {
    const configPath = required(values.config, '--config', "the gateway's config file");
    const parsed = durationSchema.safeParse(values.overlap ?? '24h');
    if (!parsed.success) throw new UsageError(`--overlap ${values.overlap}: expected a duration like 24h or 30m`);
    const overlapMs = parsed.data;
    const config = loadConfig(configPath);
    const receipt = generateReceiptKey('ES256').privateJwk;
    const fresh = values.log ? { receiptJwk: receipt, logJwk: generateLogKey(), retiredLogVkey: logKeyOf(config).vkey() } : { receiptJwk: receipt };
    const outcome = rotateKeys(configPath, fresh as Parameters<typeof rotateKeys>[1], { now: new Date(), overlapMs });
    const lines = [
      `receipt key ${outcome.receipt!.kid} is current (${outcome.receipt!.newKeyFile}); ${outcome.receipt!.retiredKid} signs until ${outcome.receipt!.validUntil.toISOString()} and verifies for good (${outcome.receipt!.retiredFile})`,
      ...(outcome.log !== undefined ? [`audit log key: ${outcome.log.newKeyFile}; the old one verifies as ${outcome.log.retiredVkey}`] : []),
      `next: restart the gateway (entente serve) before ${outcome.receipt!.validUntil.toISOString()}; partners that pin keys need your new bundle: entente certs export --config ${configPath}`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    return EXIT.ok;
  },
);

/** Development PKI: an org CA, the gateway's TLS certificate, the receipt signing key; bundles for partners. */
export const certs = defineGroup(
  { name: 'certs', summary: 'development PKI, federation bundles, control-API client certificates, key rotation' },
  [init, exportCommand, importCommand, issueClient, rotate],
);

/** The bundle a configured gateway gives its partners: its advertised address, its CA, its public receipt keys. */
function bundleOfConfig(config: GatewayConfig): FederationBundle {
  const current = SigningKey.fromJwk(config.receipts.signingJwk).publicJwk;
  const previous = config.receipts.previousJwks.map((k) => Object.fromEntries(Object.entries(k).filter(([name]) => name !== 'd')));
  return makeBundle({ org: config.org, address: config.advertise, caPem: config.tls.caPem, receiptJwks: { keys: [current, ...previous] } });
}
