import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonOption } from '../../../gateway/src/cli/json-option.js';

describe('jsonOption', () => {
  it('takes JSON text, @file.json, or a bare path naming a file; refuses the rest, naming the option and the fix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'entente-json-'));
    try {
      const file = join(dir, 'order.json');
      writeFileSync(file, '{"order": {"id": "O-1"}}');
      expect(jsonOption('--input', '{"a": 1}')).toEqual({ a: 1 });
      expect(jsonOption('--input', `@${file}`)).toEqual({ order: { id: 'O-1' } });
      expect(jsonOption('--input', file)).toEqual({ order: { id: 'O-1' } });
      expect(() => jsonOption('--input', 'order.json')).toThrow(/--input is not valid JSON: .* \(to read a file, write --input @file\.json\)/);
      writeFileSync(file, 'not json');
      expect(() => jsonOption('--input', file)).toThrow(`--input ${file}: ${file} is not valid JSON`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
