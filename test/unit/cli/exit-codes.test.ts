import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, EXIT_CODE_TABLE, exitCodeOfCall } from '../../../gateway/src/cli/exit-codes.js';
import { REPO } from '../../support/paths.js';

describe('the exit codes of the entente CLI', () => {
  it('give every code one meaning', () => {
    expect(EXIT_CODE_TABLE.map(([code]) => code)).toEqual(Object.values(EXIT));
  });

  it('are documented in the README exactly as the CLI prints them', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const documented = [...readme.matchAll(/^\| (\d+) \| (.+) \|$/gm)].map((m) => [Number(m[1]), m[2]]);
    expect(documented).toEqual(EXIT_CODE_TABLE.map(([code, meaning]) => [code, meaning]));
  });

  describe('exitCodeOfCall', () => {
    it('tells a completed call from a denied one from one that did not complete', () => {
      expect(exitCodeOfCall('completed')).toBe(0);
      expect(exitCodeOfCall('denied')).toBe(3);
      expect((['failed', 'cancelled', 'running', 'awaiting_approval'] as const).map((s) => exitCodeOfCall(s))).toEqual([4, 4, 4, 4]);
    });
  });
});
