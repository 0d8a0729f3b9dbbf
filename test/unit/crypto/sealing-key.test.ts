import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SealingKey } from '../../../gateway/src/crypto/index.js';

describe('SealingKey', () => {
  const bytes = randomBytes(32);
  const key = new SealingKey(bytes);
  const text = Buffer.from('{"patient":"Ada Lovelace","condition":"asthma"}');

  it('seals with AES-256-GCM and opens again for the same record', () => {
    const sealed = key.seal(text, 'decision-1');
    expect(sealed.length).toBe(12 + text.length + 16);
    expect(sealed.includes(Buffer.from('Lovelace'))).toBe(false);
    expect(key.open(sealed, 'decision-1').equals(text)).toBe(true);
  });

  it('uses a fresh IV each time: the same plaintext never seals to the same bytes', () => {
    const [one, two] = [key.seal(text, 'd'), key.seal(text, 'd')];
    expect(one.subarray(0, 12).equals(two.subarray(0, 12))).toBe(false);
    expect(one.equals(two)).toBe(false);
  });

  it('refuses, with SEALED_INVALID, another key, another record, altered or truncated bytes', () => {
    const sealed = key.seal(text, 'decision-1');
    const altered = Buffer.from(sealed);
    altered[20] = altered[20]! ^ 1;
    expect(() => new SealingKey(randomBytes(32)).open(sealed, 'decision-1')).toThrow(expect.objectContaining({ code: 'SEALED_INVALID' }));
    expect(() => key.open(sealed, 'decision-2')).toThrow(expect.objectContaining({ code: 'SEALED_INVALID' }));
    expect(() => key.open(altered, 'decision-1')).toThrow(expect.objectContaining({ code: 'SEALED_INVALID' }));
    expect(() => key.open(sealed.subarray(0, 20), 'decision-1')).toThrow(expect.objectContaining({ code: 'SEALED_INVALID', message: expect.stringContaining('truncated') }));
  });

  it('reads base64 keys as openssl prints them, and refuses any length but 32 bytes, saying how to make one', () => {
    expect(SealingKey.fromBase64(bytes.toString('base64') + '\n').id).toBe(key.id);
    expect(SealingKey.fromBase64(bytes.toString('base64url')).id).toBe(key.id);
    expect(() => SealingKey.fromBase64(randomBytes(16).toString('base64'))).toThrow(
      expect.objectContaining({ code: 'SEALING_KEY_INVALID', message: 'the key is 16 bytes; AES-256-GCM needs exactly 32 (make one with: openssl rand -base64 32)' }),
    );
    expect(() => SealingKey.fromBase64('not base64!')).toThrow(expect.objectContaining({ code: 'SEALING_KEY_INVALID' }));
  });

  it('names itself by an id that does not reveal it, and never shows the key in JSON or inspect', () => {
    expect(key.id).toMatch(/^key:[A-Za-z0-9_-]{16}$/);
    expect(new SealingKey(randomBytes(32)).id).not.toBe(key.id);
    const shown = JSON.stringify({ key }) + inspect(key, { showHidden: true, depth: 5 });
    expect(shown).not.toContain(bytes.toString('base64'));
    expect(shown).not.toContain(bytes.toString('hex'));
  });
});
