import { gunzipSync } from 'node:zlib';
import { PolicyError } from './errors.js';

/**
 * Reads the files of an OPA bundle (`opa build` writes a gzipped ustar archive). Only
 * regular files are returned; names lose their leading `/` or `./`.
 */
export function readBundleArchive(archive: Buffer, source: string): Map<string, Buffer> {
  let tar: Buffer;
  try {
    tar = gunzipSync(archive);
  } catch (err) {
    throw new PolicyError('POLICY_LOAD_FAILED', `${source}: not a gzip file (an OPA bundle is a .tar.gz from opa build)`, { cause: err });
  }
  const files = new Map<string, Buffer>();
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const prefix = field(345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = undefined;
    if (!Number.isFinite(size) || size < 0 || offset + 512 + size > tar.length) {
      throw new PolicyError('POLICY_LOAD_FAILED', `${source}: truncated or malformed tar entry ${JSON.stringify(name)}`);
    }
    const body = tar.subarray(offset + 512, offset + 512 + size);
    if (type === 'L') longName = body.toString('utf8').replace(/\0.*$/s, '');
    else if (type === '0' || type === '\0') files.set(name.replace(/^\.?\//, ''), Buffer.from(body));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}
