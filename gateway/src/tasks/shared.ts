import { sha256Digest } from '../crypto/index.js';
import type { StatementRecord } from '../store/index.js';
import { TaskError } from './errors.js';

/** Parses a UTF-8 JSON payload within the size limit, or refuses it saying which limit. */
export function parseJsonPayload(bytes: Buffer, maxBytes: number, what: 'input' | 'result'): unknown {
  if (bytes.length > maxBytes) {
    throw new TaskError(
      'payload_too_large',
      `the ${what} is ${bytes.length} bytes; the limit is ${maxBytes} bytes (limits.maxPayloadBytes)`,
    );
  }
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    throw new TaskError('request_invalid', `the ${what} is not valid UTF-8 JSON`);
  }
}

/** A statement as the store keeps it; the kid comes from the JWS header. */
export function recordStatement(
  taskId: string,
  kind: StatementRecord['kind'],
  signerOrg: string,
  peerOrg: string,
  jws: string,
): StatementRecord {
  const header = JSON.parse(Buffer.from(jws.slice(0, jws.indexOf('.')), 'base64url').toString('utf8')) as {
    kid?: unknown;
  };
  return {
    taskId,
    kind,
    signerOrg,
    peerOrg,
    kid: typeof header.kid === 'string' ? header.kid : '',
    jws,
    digest: sha256Digest(jws),
    storedAt: Date.now(),
  };
}
