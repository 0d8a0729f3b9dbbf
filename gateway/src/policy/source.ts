import { createHash, type Hash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { PolicyError } from './errors.js';

/** The Rego modules and JSON data of policy directories, as OPA bundles lay them out. */
export interface PolicySource {
  readonly dirs: readonly string[];
  /** Relative path → Rego source. */
  readonly modules: Readonly<Record<string, string>>;
  /** The merged `data` document: each `data.json` is mounted at its directory's path. */
  readonly data: Record<string, unknown>;
  /** `sha256:` over every file's path and bytes, in a fixed order. */
  readonly revision: string;
}

/**
 * Reads policy directories recursively, each as the root of a bundle (a `data.json` at a
 * directory's top is mounted at `data`). `includeTests` adds `*_test.rego` modules.
 */
export function readPolicyDirs(dirs: string | readonly string[], opts: { includeTests?: boolean } = {}): PolicySource {
  const roots = typeof dirs === 'string' ? [dirs] : dirs;
  const modules: Record<string, string> = {};
  const data: Record<string, unknown> = {};
  const hash = createHash('sha256');
  for (const [index, dir] of roots.entries()) {
    readOne(dir, index, roots.length > 1, opts, modules, data, hash);
  }
  if (Object.keys(modules).length === 0) {
    throw new PolicyError('POLICY_LOAD_FAILED', `no .rego files in ${roots.join(', ')}`);
  }
  return { dirs: roots, modules, data, revision: 'sha256:' + hash.digest('base64url') };
}

function readOne(
  dir: string,
  index: number,
  prefixed: boolean,
  opts: { includeTests?: boolean },
  modules: Record<string, string>,
  data: Record<string, unknown>,
  hash: Hash,
): void {
  let files: string[];
  try {
    files = listFiles(dir);
  } catch (err) {
    throw new PolicyError('POLICY_LOAD_FAILED', `cannot read policy directory ${dir}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  for (const file of files.sort()) {
    const local = relative(dir, file).split(sep).join('/');
    // Hash by position and bundle-relative path so the revision does not depend on the
    // working directory; name modules by their path so compile errors point at the file.
    const rel = prefixed ? `${index}:${local}` : local;
    const name = relative(process.cwd(), file) || file;
    const isRego = local.endsWith('.rego');
    const isData = local === 'data.json' || local.endsWith('/data.json');
    if (!isRego && !isData) continue;
    const text = readFileSync(file, 'utf8');
    if (isRego && local.endsWith('_test.rego') && opts.includeTests !== true) continue;
    hash.update(rel).update('\0').update(text).update('\0');
    if (isRego) {
      modules[name] = text;
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new PolicyError('POLICY_LOAD_FAILED', `${file}: not valid JSON: ${(err as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new PolicyError('POLICY_LOAD_FAILED', `${file}: a data.json file must hold a JSON object`);
    }
    mount(data, local.split('/').slice(0, -1), parsed as Record<string, unknown>, file);
  }
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...listFiles(path));
    else out.push(path);
  }
  return out;
}

function mount(root: Record<string, unknown>, path: string[], value: Record<string, unknown>, file: string): void {
  let node = root;
  for (const seg of path) {
    const next = node[seg];
    if (next === undefined) node = node[seg] = {};
    else if (next !== null && typeof next === 'object' && !Array.isArray(next)) node = next as Record<string, unknown>;
    else throw new PolicyError('POLICY_LOAD_FAILED', `${file}: data path ${path.join('.')} collides with a value`);
  }
  for (const [k, v] of Object.entries(value)) {
    if (k in node) throw new PolicyError('POLICY_LOAD_FAILED', `${file}: data key ${[...path, k].join('.')} is defined twice`);
    node[k] = v;
  }
}
