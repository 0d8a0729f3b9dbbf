import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { isMap, isSeq, parseDocument, YAMLMap } from 'yaml';
import type { FederationBundle } from '../pki/index.js';
import { ConfigError } from './errors.js';

/** What importing a bundle did to the config. */
export type ImportOutcome = 'added' | 'updated' | 'unchanged';

/**
 * Adds (or updates) a partner in a config file from its federation bundle: the CA and the
 * receipt keys are written beside the config (`partners/<org>/`), and the entry is edited in
 * place so that the file's other content and comments survive. Refuses the gateway's own
 * bundle; importing a bundle already in place changes nothing and says so.
 */
export function importPartner(configPath: string, bundle: FederationBundle, opts: { partnersDir?: string } = {}): ImportOutcome {
  const base = dirname(configPath);
  const dir = join(opts.partnersDir ?? join(base, 'partners'), bundle.org);
  const entry = {
    org: bundle.org,
    address: bundle.address,
    ca: relative(base, join(dir, 'ca.pem')),
    receiptKeys: relative(base, join(dir, 'receipt-jwks.json')),
  };
  const jwksText = JSON.stringify(bundle.receipt_jwks, null, 2) + '\n';
  const text = readFileSync(configPath, 'utf8');
  const json = configPath.endsWith('.json');
  const doc = json ? undefined : parseDocument(text);
  if (doc !== undefined && doc.errors.length > 0) throw new ConfigError(configPath, doc.errors.map((e) => e.message));
  const config = (json ? JSON.parse(text) : doc!.toJS()) as { org?: unknown; partners?: { org?: unknown; address?: unknown; ca?: unknown; receiptKeys?: unknown }[] };
  if (config.org === bundle.org) {
    throw new ConfigError(configPath, [
      `partners: ${bundle.org} is this gateway's own organization: import your partners' bundles here, and send this one to them`,
    ]);
  }
  const existing = (Array.isArray(config.partners) ? config.partners : []).find((p) => p?.org === bundle.org);
  if (existing !== undefined && sameAsBundle(base, existing, bundle, jwksText)) return 'unchanged';

  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ca.pem'), bundle.ca);
  writeFileSync(join(dir, 'receipt-jwks.json'), jwksText);
  if (json || doc === undefined) {
    const parsed = JSON.parse(text) as { partners?: { org: string }[] };
    parsed.partners = [...(parsed.partners ?? []).filter((p) => p.org !== bundle.org), entry];
    writeFileSync(configPath, JSON.stringify(parsed, null, 2) + '\n');
  } else {
    let partners = doc.get('partners');
    if (!isSeq(partners)) {
      doc.set('partners', doc.createNode([]));
      partners = doc.get('partners');
    }
    if (!isSeq(partners)) throw new ConfigError(configPath, ['partners: expected a list']);
    partners.flow = false;
    const index = partners.items.findIndex((p) => isMap(p) && (p as YAMLMap).get('org') === bundle.org);
    const node = doc.createNode(entry);
    if (index >= 0) partners.items[index] = node;
    else partners.items.push(node);
    writeFileSync(configPath, doc.toString());
  }
  return existing === undefined ? 'added' : 'updated';
}

/** Whether the config's entry already says what the bundle says: same address, CA and keys. */
function sameAsBundle(
  base: string,
  entry: { address?: unknown; ca?: unknown; receiptKeys?: unknown },
  bundle: FederationBundle,
  jwksText: string,
): boolean {
  const read = (p: unknown) => {
    if (typeof p !== 'string') return undefined;
    try {
      return readFileSync(isAbsolute(p) ? p : join(base, p), 'utf8');
    } catch {
      return undefined;
    }
  };
  const jwks = read(entry.receiptKeys);
  return (
    entry.address === bundle.address &&
    read(entry.ca)?.trim() === bundle.ca.trim() &&
    jwks !== undefined &&
    JSON.stringify(JSON.parse(jwks)) === JSON.stringify(JSON.parse(jwksText))
  );
}

/** Writes a starter config for `entente init`, pointing at the files certsInit wrote. */
export function initConfig(opts: { org: string; listen: string; certsDir: string; configPath: string; policiesDir: string; agents?: readonly string[] }): void {
  const base = dirname(opts.configPath);
  const rel = (p: string) => relative(base, p) || '.';
  const certs = join(opts.certsDir, opts.org);
  writeFileSync(
    opts.configPath,
    [
      `# Entente gateway configuration for ${opts.org}.`,
      '# Paths are relative to this file. SIGHUP reloads partners, policies and revocations (other changes need a restart).',
      `org: ${opts.org}`,
      `listen: ${opts.listen}`,
      'dataDir: data',
      'tls:',
      `  ca: ${rel(join(certs, 'ca.pem'))}`,
      `  cert: ${rel(join(certs, 'gateway.pem'))}`,
      `  key: ${rel(join(certs, 'gateway.key.pem'))}`,
      'receipts:',
      `  signingKey: ${rel(join(certs, 'receipt-signing.jwk.json'))}`,
      'policies:',
      '  engine: rego',
      `  dir: ${rel(opts.policiesDir)}`,
      '# In-process agents: modules (relative to this file) whose default export is defineAgent(...) or a',
      '# function of the entry\'s options returning one. They may import @entente/sdk and zod without installing them.',
      ...((opts.agents ?? []).length === 0 ? ['agents: []'] : ['agents:', ...(opts.agents ?? []).map((m) => `  - module: ${m}`)]),
      'limits:',
      '  maxPayloadBytes: 1048576',
      '  callTimeout: 10s',
      '  maxInFlightPerPartner: 64',
      '# Partners are added with: entente certs import --config <this file> <bundle.json>',
      'partners: []',
      '# Keep each policy decision\'s input, encrypted (AES-256-GCM), for entente policy replay; off, only digests are kept.',
      '# audit:',
      '#   retention:',
      '#     enabled: true',
      '#     keyFile: retention.key   # openssl rand -base64 32 > retention.key',
      '#     period: 30d              # each input is deleted this long after its decision',
      'log:',
      '  level: info',
      '  format: auto   # pretty on a terminal, json otherwise; or pretty, or json',
      '',
    ].join('\n'),
  );
}
