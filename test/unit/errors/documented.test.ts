import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENT_ERROR_CODES } from '../../../gateway/src/agents/index.js';
import { AUDIT_ERROR_CODES } from '../../../gateway/src/audit/index.js';
import { CLI_ERROR_CODES } from '../../../gateway/src/cli/errors.js';
import { CONFIG_ERROR_CODES } from '../../../gateway/src/config/index.js';
import { CONTROL_ERROR_CODES } from '../../../gateway/src/control/index.js';
import { LISTEN_ERROR_CODES } from '../../../gateway/src/lib/index.js';
import { WORKFLOW_ERROR_CODES } from '../../../gateway/src/workflows/index.js';
import { CRYPTO_ERROR_CODES } from '../../../gateway/src/crypto/index.js';
import { PKI_ERROR_CODES } from '../../../gateway/src/pki/index.js';
import { POLICY_ERROR_CODES } from '../../../gateway/src/policy/index.js';
import { REGO_ERROR_CODES } from '../../../gateway/src/policy/rego/index.js';
import { STORE_ERROR_CODES } from '../../../gateway/src/store/index.js';
import { REASON_CODES, type ReasonCode } from '../../../gateway/src/tasks/index.js';
import { REPO } from '../../support/paths.js';

/** Every code table, by the folder whose section documents it in docs/errors.md. */
const TABLES: Record<string, { readonly name: string; readonly codes: readonly string[] }> = {
  'tasks/': { name: 'REASON_CODES', codes: Object.keys(REASON_CODES) },
  'agents/': { name: 'AGENT_ERROR_CODES', codes: Object.keys(AGENT_ERROR_CODES) },
  'audit/': { name: 'AUDIT_ERROR_CODES', codes: Object.keys(AUDIT_ERROR_CODES) },
  'cli/': { name: 'CLI_ERROR_CODES', codes: Object.keys(CLI_ERROR_CODES) },
  'config/': { name: 'CONFIG_ERROR_CODES', codes: Object.keys(CONFIG_ERROR_CODES) },
  'control/': { name: 'CONTROL_ERROR_CODES', codes: Object.keys(CONTROL_ERROR_CODES) },
  'lib/': { name: 'LISTEN_ERROR_CODES', codes: Object.keys(LISTEN_ERROR_CODES) },
  'workflows/': { name: 'WORKFLOW_ERROR_CODES', codes: Object.keys(WORKFLOW_ERROR_CODES) },
  'crypto/': { name: 'CRYPTO_ERROR_CODES', codes: Object.keys(CRYPTO_ERROR_CODES) },
  'pki/': { name: 'PKI_ERROR_CODES', codes: Object.keys(PKI_ERROR_CODES) },
  'policy/': { name: 'POLICY_ERROR_CODES', codes: Object.keys(POLICY_ERROR_CODES) },
  'policy/rego/': { name: 'REGO_ERROR_CODES', codes: Object.keys(REGO_ERROR_CODES) },
  'store/': { name: 'STORE_ERROR_CODES', codes: Object.keys(STORE_ERROR_CODES) },
};

interface Row {
  readonly code: string;
  readonly cells: readonly string[];
}

/** The doc's `## ` sections that name a folder in backticks, with their table rows keyed by a backticked code. */
function documented(markdown: string): Map<string, Row[]> {
  const sections = new Map<string, Row[]>();
  let rows: Row[] | undefined;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('## ')) {
      const folder = /`([a-z/]+\/)`/.exec(line)?.[1];
      rows = folder === undefined ? undefined : (sections.get(folder) ?? sections.set(folder, []).get(folder));
      continue;
    }
    const cells = line.startsWith('|') ? line.split('|').slice(1, -1).map((c) => c.trim()) : [];
    const code = /^`([A-Za-z_]+)`$/.exec(cells[0] ?? '')?.[1];
    if (rows !== undefined && code !== undefined) rows.push({ code, cells });
  }
  return sections;
}

const DOC = 'docs/errors.md';
const doc = documented(readFileSync(join(REPO, DOC), 'utf8'));

describe(DOC, () => {
  it('documents every code of every code table, in its folder\'s section', () => {
    const missing = Object.entries(TABLES).flatMap(([folder, { codes }]) => {
      const there = new Set((doc.get(folder) ?? []).map((r) => r.code));
      return codes.filter((c) => !there.has(c)).map((c) => `${folder} ${c}`);
    });
    expect(missing, `codes missing from ${DOC}`).toEqual([]);
  });

  it('names no code that no longer exists, and no folder without a code table', () => {
    const stale = [...doc].flatMap(([folder, rows]) => {
      const codes = new Set(TABLES[folder]?.codes ?? []);
      return rows.filter((r) => !codes.has(r.code)).map((r) => `${folder} ${r.code}`);
    });
    expect(stale, `codes in ${DOC} that no code table has`).toEqual([]);
  });

  it('documents each code once', () => {
    const twice = [...doc].flatMap(([folder, rows]) =>
      rows.filter((r, i) => rows.findIndex((o) => o.code === r.code) !== i).map((r) => `${folder} ${r.code}`),
    );
    expect(twice).toEqual([]);
  });

  it('gives every code a meaning, a status, a retryability and what to do', () => {
    const thin = [...doc].flatMap(([folder, rows]) =>
      rows
        .filter((r) => r.cells.length !== 5 || r.cells.some((c) => c === '') || r.cells[4]!.length < 20)
        .map((r) => `${folder} ${r.code}`),
    );
    expect(thin).toEqual([]);
  });

  it("states each reason code's gRPC status and retryability as the reason table does", () => {
    const drift = (doc.get('tasks/') ?? []).flatMap(({ code, cells }) => {
      const info = REASON_CODES[code as ReasonCode];
      const want = [info.status, info.retryable ? 'yes' : 'no'];
      return cells[1] === want[0] && cells[2] === want[1] ? [] : [`${code}: doc says ${cells[1]}, ${cells[2]}; table says ${want.join(', ')}`];
    });
    expect(drift).toEqual([]);
  });
});

describe('the code tables this test reads', () => {
  it('are every code table in the gateway source', () => {
    const src = join(REPO, 'gateway/src');
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((e) => {
        const p = join(dir, e);
        return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
      });
    const declared = files(src).flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/^export const ([A-Z_]*(?:ERROR_CODES|REASON_CODES)) =/gm)].map((m) => `${m[1]} in ${relative(src, f)}`),
    );
    const read = new Set(Object.values(TABLES).map((t) => t.name));
    expect(declared.filter((d) => !read.has(d.split(' ')[0]!))).toEqual([]);
    expect(declared).toHaveLength(read.size);
  });
});
