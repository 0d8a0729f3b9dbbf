import { describe, expect, it } from 'vitest';
import { errorCode, queryValue } from './helpers.js';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const token = (header: object, payload: unknown, sig = 'c2ln') => `${b64(header)}.${b64(payload)}.${sig}`;
const decode = (t: string) => `x := io.jwt.decode(${JSON.stringify(t)})`;

describe('io.jwt.decode', () => {
  it('decodes a token whose payload is another token (cty JWT)', () => {
    const inner = token({ alg: 'HS256', typ: 'JWT' }, { sub: '0' }, 'AQID');
    const outer = token({ alg: 'HS256', cty: 'JWT' }, JSON.stringify(inner), 'BAUG');
    expect(queryValue(decode(outer))).toEqual([{ alg: 'HS256', typ: 'JWT' }, { sub: '0' }, '010203']);
  });

  it('refuses an encrypted token (a header with enc) with a builtin error', () => {
    expect(errorCode(decode(token({ alg: 'RSA-OAEP', enc: 'A256GCM' }, { sub: '0' })))).toBe('eval_builtin_error');
  });

  it('refuses a signature that is not base64url with a builtin error', () => {
    expect(errorCode(decode(token({ alg: 'HS256' }, { sub: '0' }, 'ab(c')))).toBe('eval_builtin_error');
  });
});
