import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../support/paths.js';

const SRC = join(REPO, 'gateway/src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports of each source file, resolved to source paths (type-only imports included). */
const graph = new Map<string, { local: string[]; packages: string[] }>();
for (const f of files(SRC)) {
  const text = readFileSync(f, 'utf8');
  const specs = [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]!);
  graph.set(f, {
    local: specs.filter((s) => s.startsWith('.')).map((s) => resolve(dirname(f), s).replace(/\.js$/, '.ts')),
    packages: specs.filter((s) => !s.startsWith('.')),
  });
}
const rel = (p: string) => relative(SRC, p);
const area = (p: string) => rel(p).split('/')[0]!;

describe('the gateway source layout (DESIGN.md)', () => {
  it('has no import cycles between folders', () => {
    const edges = new Map<string, Set<string>>();
    for (const [f, { local }] of graph) {
      for (const t of local) if (area(t) !== area(f)) (edges.get(area(f)) ?? edges.set(area(f), new Set()).get(area(f))!).add(area(t));
    }
    const cycles: string[] = [];
    const visit = (n: string, path: string[]): void => {
      if (path.includes(n)) {
        cycles.push([...path.slice(path.indexOf(n)), n].join(' -> '));
        return;
      }
      for (const m of edges.get(n) ?? []) visit(m, [...path, n]);
    };
    for (const n of edges.keys()) visit(n, []);
    expect(cycles).toEqual([]);
  });

  it('keeps the Rego evaluator self-contained: policy/rego imports nothing else of the gateway', () => {
    const outside = [...graph]
      .filter(([f]) => rel(f).startsWith('policy/rego/'))
      .flatMap(([f, { local }]) => local.filter((t) => !rel(t).startsWith('policy/rego/')).map((t) => `${rel(f)} -> ${rel(t)}`));
    expect(outside).toEqual([]);
  });

  it('keeps domain folders free of transports and database drivers', () => {
    const forbidden = ['@grpc/grpc-js', '@grpc/proto-loader', 'better-sqlite3', 'pg', 'node:http', 'node:http2'];
    const offenders = [...graph]
      .filter(([f]) => ['policy', 'audit', 'tasks', 'workflows', 'crypto'].includes(area(f)))
      .flatMap(([f, { packages }]) => packages.filter((p) => forbidden.includes(p)).map((p) => `${rel(f)} imports ${p}`));
    expect(offenders).toEqual([]);
  });

  it('lets other folders in only through their index.ts', () => {
    const offenders = [...graph].flatMap(([f, { local }]) =>
      local
        .filter((t) => area(t) !== area(f) && rel(t).includes('/') && !rel(t).endsWith('/index.ts') && area(t) !== 'generated')
        .map((t) => `${rel(f)} -> ${rel(t)}`),
    );
    expect(offenders).toEqual([]);
  });
});
