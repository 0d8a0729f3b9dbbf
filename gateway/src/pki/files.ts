import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { createOrgCa, issueClientCert, issueGatewayCert } from './certs.js';
import { PkiError } from './errors.js';
import { generateReceiptKey } from './receipt-key.js';

/** The files `certsInit` writes under `<certsDir>/<org>/`. */
export const PKI_FILES = {
  ca: 'ca.pem',
  caKey: 'ca.key.pem',
  cert: 'gateway.pem',
  key: 'gateway.key.pem',
  signingKey: 'receipt-signing.jwk.json',
  jwks: 'receipt-jwks.json',
} as const;

const ORG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Development PKI for one organization: an org CA, the gateway certificate it issues, and a
 * receipt signing key. Private keys are written 0600. Existing material is never overwritten
 * unless `force` is set.
 */
export function certsInit(opts: { org: string; certsDir: string; force?: boolean; hosts?: readonly string[] }): void {
  if (!ORG.test(opts.org)) throw new PkiError('PKI_MISSING', `org ${JSON.stringify(opts.org)} must match ${ORG}`);
  const dir = join(opts.certsDir, opts.org);
  if (!opts.force) {
    for (const f of Object.values(PKI_FILES)) {
      if (existsSync(join(dir, f))) {
        throw new PkiError('PKI_EXISTS', `${join(dir, f)} already exists; pass --force to replace ${opts.org}'s PKI`);
      }
    }
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = createOrgCa(opts.org);
  const gateway = issueGatewayCert(ca, opts.org, opts.hosts ? { hosts: opts.hosts } : {});
  const receipt = generateReceiptKey('ES256');
  const secret = { mode: 0o600 } as const;
  writeFileSync(join(dir, PKI_FILES.ca), ca.certPem);
  writeFileSync(join(dir, PKI_FILES.caKey), ca.keyPem, secret);
  writeFileSync(join(dir, PKI_FILES.cert), gateway.certPem);
  writeFileSync(join(dir, PKI_FILES.key), gateway.keyPem, secret);
  writeFileSync(join(dir, PKI_FILES.signingKey), JSON.stringify(receipt.privateJwk, null, 2) + '\n', secret);
  writeFileSync(join(dir, PKI_FILES.jwks), JSON.stringify({ keys: [receipt.publicJwk] }, null, 2) + '\n');
}

const jwk = z.looseObject({ kty: z.string(), kid: z.string().min(1) }).refine((k) => !('d' in k), {
  message: 'a bundle must not contain private key material (d)',
});

export const bundleSchema = z.strictObject({
  format: z.literal('entente.federation-bundle/v1'),
  org: z.string().regex(ORG),
  address: z.string().regex(/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, 'expected host:port'),
  ca: z.string().startsWith('-----BEGIN CERTIFICATE-----'),
  receipt_jwks: z.strictObject({ keys: z.array(jwk).min(1) }),
});

/** What a partner needs to trust this organization: its CA and its receipt keys. Nothing private. */
export type FederationBundle = z.infer<typeof bundleSchema>;

/** One of `org`'s PKI files, or an error that says how to create it. */
function readPki(certsDir: string, org: string, file: string): string {
  const path = join(certsDir, org, file);
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new PkiError('PKI_MISSING', `${path} not found; run entente certs init --org ${org} first`);
  }
}

/** A bundle from the files `certsInit` wrote for `org`. */
export function exportBundle(opts: { org: string; address: string; certsDir: string }): FederationBundle {
  const read = (f: string) => readPki(opts.certsDir, opts.org, f);
  return makeBundle({ org: opts.org, address: opts.address, caPem: read(PKI_FILES.ca), receiptJwks: JSON.parse(read(PKI_FILES.jwks)) as unknown });
}

/** A bundle from what a gateway's config holds: its CA and its public receipt keys (current and previous). */
export function makeBundle(opts: { org: string; address: string; caPem: string; receiptJwks: unknown }): FederationBundle {
  return parseBundle({ format: 'entente.federation-bundle/v1', org: opts.org, address: opts.address, ca: opts.caPem, receipt_jwks: opts.receiptJwks });
}

/** The SHA-256 fingerprint of a bundle's CA, for partners to compare out of band (e.g. over the phone). */
export function caFingerprint(bundle: FederationBundle): string {
  return new X509Certificate(bundle.ca).fingerprint256;
}

export function parseBundle(value: unknown): FederationBundle {
  const parsed = bundleSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(bundle)'}: ${i.message}`);
    throw new PkiError('BUNDLE_INVALID', `not a valid federation bundle: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export function writeBundle(path: string, bundle: FederationBundle): void {
  writeFileSync(path, JSON.stringify(parseBundle(bundle), null, 2) + '\n');
}

/** Where `issueClientFiles` writes a control-API client's certificate and key. */
export function clientCertPaths(certsDir: string, org: string, name: string): { cert: string; key: string } {
  const dir = join(certsDir, org, 'clients');
  return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key.pem`) };
}

const CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Issues a control-API client certificate from the org CA under `<certsDir>/<org>/clients/`
 * (key 0600). Refuses to overwrite unless `force`.
 */
export function issueClientFiles(opts: {
  org: string;
  certsDir: string;
  name: string;
  roles: readonly string[];
  validityDays?: number;
  force?: boolean;
}): { cert: string; key: string; serial: string; notAfter: Date } {
  if (!CLIENT_NAME.test(opts.name)) {
    throw new PkiError('PKI_INVALID_ARGUMENT', `client name ${JSON.stringify(opts.name)} must match ${CLIENT_NAME} (it becomes a file name)`);
  }
  const ca = { certPem: readPki(opts.certsDir, opts.org, PKI_FILES.ca), keyPem: readPki(opts.certsDir, opts.org, PKI_FILES.caKey) };
  const paths = clientCertPaths(opts.certsDir, opts.org, opts.name);
  if (!opts.force && (existsSync(paths.cert) || existsSync(paths.key))) {
    throw new PkiError('PKI_EXISTS', `${paths.cert} already exists; pass --force to replace it, or choose another --name`);
  }
  const issued = issueClientCert(ca, opts.org, opts.name, opts.roles, opts.validityDays !== undefined ? { validityDays: opts.validityDays } : {});
  mkdirSync(join(opts.certsDir, opts.org, 'clients'), { recursive: true, mode: 0o700 });
  writeFileSync(paths.cert, issued.certPem);
  writeFileSync(paths.key, issued.keyPem, { mode: 0o600 });
  return { ...paths, serial: issued.serial, notAfter: new Date(new X509Certificate(issued.certPem).validTo) };
}
