import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decide, loadPolicyEngine, loadRevision, readPolicyDirs, revisionOf, type PolicyContent } from '../../../gateway/src/policy/index.js';
import { REPO } from '../../support/paths.js';

/** Two policy directories with fixed content: a module and data (one nested) in the first, a module in the second. */
function fixture(): [string, string] {
  const root = mkdtempSync(join(tmpdir(), 'entente-revision-'));
  const [a, b] = [join(root, 'a'), join(root, 'b')];
  mkdirSync(join(a, 'sub'), { recursive: true });
  mkdirSync(b);
  writeFileSync(join(a, 't.rego'), 'package t\n\nallow if input.x == data.limit\n');
  writeFileSync(join(a, 'data.json'), '{"limit": 3}');
  writeFileSync(join(a, 'sub', 'data.json'), '{"v": 1}');
  writeFileSync(join(b, 'u.rego'), 'package u\n\ny := 2\n');
  return [a, b];
}

describe('policy revisions', () => {
  it('hash the files as they always have: receipts already cite these revisions', () => {
    // Computed by the revision code before revisions could be stored; a change here breaks every stored citation.
    const [a, b] = fixture();
    expect(readPolicyDirs([a, b]).revision).toBe('sha256:qc-1Q5E79wmvlb1X5VJRsSTwTvYpVd-7jPgIgtiOU2M');
    expect(readPolicyDirs(a).revision).toBe('sha256:tUh_chZjUzi5BL41rDdyV1sBqDn4w3kXEiraZRzv9og');
  });

  it('carry the content they are computed over, which hashes to them wherever the directories are', () => {
    const [a, b] = fixture();
    const engine = loadPolicyEngine({ engine: 'rego', dirs: [join(REPO, 'policies/default'), join(REPO, 'policies/hospital-a')] });
    expect(engine.content).toBeDefined();
    expect(revisionOf(engine.content!)).toBe(engine.revision);
    const elsewhere = mkdtempSync(join(tmpdir(), 'entente-revision-moved-'));
    cpSync(a, join(elsewhere, 'x'), { recursive: true });
    cpSync(b, join(elsewhere, 'y'), { recursive: true });
    expect(readPolicyDirs([join(elsewhere, 'x'), join(elsewhere, 'y')]).revision).toBe(readPolicyDirs([a, b]).revision);
  });

  describe('loadRevision', () => {
    it('loads an engine from stored content alone, which decides as the original did', () => {
      const [a, b] = fixture();
      const original = readPolicyDirs([a, b]);
      const content: PolicyContent = JSON.parse(JSON.stringify(original.content)) as PolicyContent;
      const engine = loadRevision(original.revision, content);
      expect(engine.revision).toBe(original.revision);
      expect(engine.evaluate('data.t.allow', { x: 3 })).toBe(true);
      expect(engine.evaluate('data.t.allow', { x: 4 })).toBeUndefined();
      expect(engine.evaluate('data.sub.v', {})).toBe(1);
      expect(engine.evaluate('data.u.y', {})).toBe(2);
    });

    it('evaluates the shipped policies from stored content like the live engine', () => {
      const live = loadPolicyEngine({ engine: 'rego', dirs: [join(REPO, 'policies/default'), join(REPO, 'policies/hospital-b')] });
      const stored = loadRevision(live.revision, live.content!);
      const input = { requester: { org: 'hospital-a' }, capability: 'patients.count', purpose: 'research', input: { condition: 'asthma' } };
      const now = Date.parse('2026-01-01T00:00:00Z');
      const { id: _a, durationUs: _b, ...fromLive } = decide(live, 'inbound', input, { now });
      const { id: _c, durationUs: _d, ...fromStored } = decide(stored, 'inbound', input, { now });
      expect(fromStored).toEqual(fromLive);
    });

    it('refuses content that does not hash to the revision, with POLICY_REVISION_CORRUPT', () => {
      const [a] = fixture();
      const source = readPolicyDirs(a);
      const altered: PolicyContent = { ...source.content!, files: source.content!.files.map((f) => (f.path === 'data.json' ? { ...f, text: '{"limit": 4}' } : f)) };
      expect(() => loadRevision(source.revision, altered)).toThrow(
        expect.objectContaining({ code: 'POLICY_REVISION_CORRUPT', message: expect.stringContaining(`policy revision ${source.revision} hashes to sha256:`) }),
      );
    });

    it('hashes an OPA Wasm bundle as its archive bytes', () => {
      const archive = new Uint8Array([1, 2, 3]);
      expect(revisionOf({ engine: 'opa-wasm', archive })).toMatch(/^sha256:[A-Za-z0-9_-]{43}$/);
      expect(() => loadRevision('sha256:other', { engine: 'opa-wasm', archive })).toThrow(expect.objectContaining({ code: 'POLICY_REVISION_CORRUPT' }));
    });
  });
});
