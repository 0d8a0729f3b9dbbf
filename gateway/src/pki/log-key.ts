import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { PkiError } from './errors.js';
import { jwkThumbprint } from './receipt-key.js';

/** A new audit log key: a private Ed25519 JWK with its RFC 7638 thumbprint as kid. */
export function generateLogKey(): JsonWebKey & { kid: string } {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: jwkThumbprint(jwk), use: 'sig', alg: 'EdDSA' };
}

/**
 * The audit log key kept in `file`, created (mode 0600) when there is none: a gateway signs
 * its checkpoints from its first start, and the key never changes by accident afterwards.
 */
export function loadOrCreateLogKey(file: string): { readonly jwk: JsonWebKey; readonly created: boolean } {
  if (!existsSync(file)) {
    const jwk = generateLogKey();
    try {
      writeFileSync(file, JSON.stringify(jwk, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
      return { jwk, created: true };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new PkiError('PKI_MISSING', `cannot create the audit log key ${file}: ${(err as Error).message}; check that the data directory is writable`, { cause: err });
      }
    }
  }
  try {
    return { jwk: JSON.parse(readFileSync(file, 'utf8')) as JsonWebKey, created: false };
  } catch (err) {
    throw new PkiError('PKI_MISSING', `cannot read the audit log key ${file}: ${(err as Error).message}; restore it from a backup (checkpoints signed by it only verify with it)`, { cause: err });
  }
}
