import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { isMap, isSeq, parseDocument, YAMLMap } from 'yaml';
import type { FederationBundle } from '../pki/index.js';
import { ConfigError } from './errors.js';

/**
 * Adds (or replaces) a partner in a config file from its federation bundle: the CA and the
 * receipt keys are written beside the config (`partners/<org>/`), and the entry is edited in
 * place so that the file's other content and comments survive.
 */
export function importPartner(configPath: string, bundle: FederationBundle, opts: { partnersDir?: string } = {}): void {
  const base = dirname(configPath);
  const dir = join(opts.partnersDir ?? join(base, 'partners'), bundle.org);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ca.pem'), bundle.ca);
  writeFileSync(join(dir, 'receipt-jwks.json'), JSON.stringify(bundle.receipt_jwks, null, 2) + '\n');
  const entry = {
    org: bundle.org,
    address: bundle.address,
    ca: relative(base, join(dir, 'ca.pem')),
    receiptKeys: relative(base, join(dir, 'receipt-jwks.json')),
  };
  const text = readFileSync(configPath, 'utf8');
  if (configPath.endsWith('.json')) {
    const json = JSON.parse(text) as { partners?: { org: string }[] };
    json.partners = [...(json.partners ?? []).filter((p) => p.org !== bundle.org), entry];
    writeFileSync(configPath, JSON.stringify(json, null, 2) + '\n');
    return;
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new ConfigError(configPath, doc.errors.map((e) => e.message));
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

/** Writes a starter config for `entente init`, pointing at the files certsInit wrote. */
export function initConfig(opts: { org: string; listen: string; certsDir: string; configPath: string; policiesDir: string }): void {
  const base = dirname(opts.configPath);
  const rel = (p: string) => relative(base, p) || '.';
  const certs = join(opts.certsDir, opts.org);
  writeFileSync(
    opts.configPath,
    [
      `# Entente gateway configuration for ${opts.org}.`,
      '# Paths are relative to this file. Reload policies and revocations with SIGHUP.',
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
      '# In-process agents: modules whose default export is defineAgent(...) or a function of options returning one.',
      'agents: []',
      'limits:',
      '  maxPayloadBytes: 1048576',
      '  callTimeout: 10s',
      '  maxInFlightPerPartner: 64',
      '# Partners are added with: entente certs import --config <this file> <bundle.json>',
      'partners: []',
      'log:',
      '  level: info',
      '',
    ].join('\n'),
  );
}
