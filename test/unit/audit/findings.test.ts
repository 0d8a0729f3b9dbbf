import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES } from '../../../gateway/src/audit/index.js';
import { REPO } from '../../support/paths.js';

describe('the findings of audit verify and reconcile', () => {
  it('are each documented in docs/audit.md', () => {
    const doc = readFileSync(join(REPO, 'docs/audit.md'), 'utf8');
    const documented = new Set([...doc.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]));
    expect(Object.keys(FINDING_CODES).filter((c) => !documented.has(c))).toEqual([]);
  });
});
