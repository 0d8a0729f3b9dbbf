import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicyEngine } from '../../../gateway/src/policy/index.js';
import { REPO } from '../../support/paths.js';

const DEFAULT = join(REPO, 'policies/default');
const agreement = { purposes: ['research'], until: '2099-01-01T00:00:00Z', disclose: ['count'] };

/** The shipped policies plus an organization folder holding `data` as its data.json. */
function withData(data: unknown, extraRego?: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'entente-policy-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'data.json'), JSON.stringify(data));
  for (const [file, text] of Object.entries(extraRego ?? {})) writeFileSync(join(dir, file), text);
  return [DEFAULT, dir];
}

const load = (dirs: string[]) => loadPolicyEngine({ engine: 'rego', dirs });

describe('loadPolicyEngine', () => {
  it('loads the shipped policies with valid agreements', () => {
    const engine = load(withData({ agreements: { inbound: { 'hospital-a': { 'patients.count': { ...agreement, require_approval: true } } } } }));
    expect(engine.revision).toMatch(/^sha256:/);
  });

  describe('refuses agreements the policies would silently misread, naming the JSON path', () => {
    it('a misspelt key', () => {
      const typo = { purposes: ['research'], until: '2099-01-01T00:00:00Z', diclose: ['count'] };
      expect(() => load(withData({ agreements: { inbound: { 'hospital-a': { 'patients.count': typo } } } }))).toThrow(
        expect.objectContaining({
          code: 'POLICY_LOAD_FAILED',
          message: expect.stringContaining('data.agreements.inbound["hospital-a"]["patients.count"]: unknown key "diclose" (a typo, or a setting in the wrong place?)'),
        }),
      );
    });

    it('require_approval where the policies do not read it', () => {
      const misplaced = { outbound: { 'hospital-a': { 'patients.count': { purposes: ['research'], until: '2099-01-01T00:00:00Z', fields: [], require_approval: true } } } };
      expect(() => load(withData({ agreements: misplaced }))).toThrow(
        expect.objectContaining({ message: expect.stringContaining('data.agreements.outbound["hospital-a"]["patients.count"]: unknown key "require_approval"') }),
      );
    });

    it('an end date that is not an RFC 3339 time, and an empty purpose list, together', () => {
      const bad = { inbound: { 'hospital-a': { 'patients.count': { ...agreement, until: 'next year', purposes: [] } } } };
      let message = '';
      try {
        load(withData({ agreements: bad }));
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toContain('data.agreements.inbound["hospital-a"]["patients.count"].purposes: list at least one purpose');
      expect(message).toContain('data.agreements.inbound["hospital-a"]["patients.count"].until: expected an RFC 3339 time');
    });
  });

  it('refuses policies that lack a decision point rule, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'entente-policy-'));
    writeFileSync(join(dir, 'partial.rego'), 'package entente.outbound\ndecision := {"allow": false}\n');
    expect(() => load([dir])).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/no rule data\.entente\.inbound\.decision \(the inbound decision point\)[\s\S]*no rule data\.entente\.disclosure\.decision[\s\S]*no rule data\.entente\.inbound\.card/),
      }),
    );
    expect(() => load([dir])).not.toThrow(/no rule data\.entente\.outbound\.decision/);
  });
});
