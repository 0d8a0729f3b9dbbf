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

/** What a key rotation wrote: the new key's file, the retired key's public file, its overlap's end. */
export interface RotationOutcome {
  readonly receipt?: { readonly newKeyFile: string; readonly retiredFile: string; readonly kid: string; readonly retiredKid: string; readonly validUntil: Date };
  readonly log?: { readonly newKeyFile: string; readonly retiredVkey: string };
}

/**
 * Rotates a gateway's keys in its config file (comments and layout kept): a new receipt
 * signing key becomes current, the old one is kept public-only in receipts.previousKeys with
 * `exp` = now + overlap (statements it signed until then keep verifying, later ones do not);
 * with `log`, a new audit log key too, the old one's verifier key kept in
 * audit.previousLogKeys. The running gateway takes them at its next restart.
 */
export function rotateKeys(
  configPath: string,
  fresh: { readonly receiptJwk?: Record<string, unknown> & { kid: string }; readonly logJwk?: Record<string, unknown> & { kid: string }; readonly retiredLogVkey?: string },
  opts: { readonly now: Date; readonly overlapMs: number },
): RotationOutcome {
  const base = dirname(configPath);
  const text = readFileSync(configPath, 'utf8');
  if (configPath.endsWith('.json')) throw new ConfigError(configPath, ['rotation edits YAML configs; edit this JSON config by hand (receipts.signingKey, receipts.previousKeys)']);
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new ConfigError(configPath, doc.errors.map((e) => e.message));
  const at = (p: string) => (isAbsolute(p) ? p : join(base, p));
  const outcome: { -readonly [K in keyof RotationOutcome]: RotationOutcome[K] } = {};
  if (fresh.receiptJwk !== undefined) {
    const current = doc.getIn(['receipts', 'signingKey']);
    if (typeof current !== 'string') throw new ConfigError(configPath, ['receipts.signingKey: rotation needs a key file here, not an inline key']);
    const old = JSON.parse(readFileSync(at(current), 'utf8')) as Record<string, unknown> & { kid: string };
    const validUntil = new Date(opts.now.getTime() + opts.overlapMs);
    const { d: _d, ...oldPublic } = old;
    const dir = dirname(at(current));
    const newKeyFile = join(dir, `receipt-signing-${fresh.receiptJwk.kid.slice(0, 12)}.jwk.json`);
    const retiredFile = join(dir, `receipt-retired-${old.kid.slice(0, 12)}.jwk.json`);
    writeFileSync(newKeyFile, JSON.stringify(fresh.receiptJwk, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    writeFileSync(retiredFile, JSON.stringify({ ...oldPublic, exp: Math.floor(validUntil.getTime() / 1000) }, null, 2) + '\n');
    doc.setIn(['receipts', 'signingKey'], relative(base, newKeyFile));
    const previous = doc.getIn(['receipts', 'previousKeys']);
    if (!isSeq(previous)) doc.setIn(['receipts', 'previousKeys'], doc.createNode([]));
    (doc.getIn(['receipts', 'previousKeys']) as { items: unknown[]; flow?: boolean }).flow = false;
    (doc.getIn(['receipts', 'previousKeys']) as { items: unknown[] }).items.push(doc.createNode(relative(base, retiredFile)));
    outcome.receipt = { newKeyFile, retiredFile, kid: fresh.receiptJwk.kid, retiredKid: old.kid, validUntil };
  }
  if (fresh.logJwk !== undefined && fresh.retiredLogVkey !== undefined) {
    const dataDir = doc.get('dataDir');
    const dir = typeof doc.getIn(['audit', 'logKey']) === 'string' ? dirname(at(doc.getIn(['audit', 'logKey']) as string)) : at(typeof dataDir === 'string' ? dataDir : '.');
    mkdirSync(dir, { recursive: true });
    const newKeyFile = join(dir, `log-key-${fresh.logJwk.kid.slice(0, 12)}.jwk.json`);
    writeFileSync(newKeyFile, JSON.stringify(fresh.logJwk, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    if (!isMap(doc.get('audit'))) doc.set('audit', doc.createNode({}));
    doc.setIn(['audit', 'logKey'], relative(base, newKeyFile));
    const previous = doc.getIn(['audit', 'previousLogKeys']);
    if (!isSeq(previous)) doc.setIn(['audit', 'previousLogKeys'], doc.createNode([]));
    (doc.getIn(['audit', 'previousLogKeys']) as { items: unknown[]; flow?: boolean }).flow = false;
    (doc.getIn(['audit', 'previousLogKeys']) as { items: unknown[] }).items.push(doc.createNode(fresh.retiredLogVkey));
    outcome.log = { newKeyFile, retiredVkey: fresh.retiredLogVkey };
  }
  writeFileSync(configPath, doc.toString());
  return outcome;
}
