import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { PolicyFile, RegoContent } from './engine.js';
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
  /**
   * The files the revision is computed over, so that the revision can be stored and loaded
   * again (policy replay); absent for a source built in code.
   */
  readonly content?: RegoContent;
}

/**
 * Reads policy directories recursively, each as the root of a bundle (a `data.json` at a
 * directory's top is mounted at `data`). `includeTests` adds `*_test.rego` modules.
 */
export function readPolicyDirs(dirs: string | readonly string[], opts: { includeTests?: boolean } = {}): PolicySource {
  const roots = typeof dirs === 'string' ? [dirs] : dirs;
  const files: PolicyFile[] = [];
  // Modules are named by their path from here, so that compile errors point at the file;
  // data files by their path as found.
  const names = new Map<PolicyFile, string>();
  for (const [root, dir] of roots.entries()) {
    for (const file of listPolicyFiles(dir)) {
      const path = relative(dir, file).split(sep).join('/');
      if (path.endsWith('_test.rego') && opts.includeTests !== true) continue;
      const read: PolicyFile = { root, path, text: readFileSync(file, 'utf8') };
      files.push(read);
      names.set(read, path.endsWith('.rego') ? relative(process.cwd(), file) || file : file);
    }
  }
  if (!files.some((f) => f.path.endsWith('.rego'))) {
    throw new PolicyError('POLICY_LOAD_FAILED', `no .rego files in ${roots.join(', ')}`);
  }
  return sourceOf({ engine: 'rego', roots: roots.length, files }, roots, (f) => names.get(f)!);
}

/**
 * The source that policy files make (as read, or as stored for a revision): modules, the
 * merged data, the revision. Modules are named by `nameOf`; by default `<root>:<path>` when
 * there are several directories, else the path.
 */
export function sourceOf(content: RegoContent, dirs: readonly string[], nameOf: (f: PolicyFile) => string = (f) => hashedPath(content, f)): PolicySource {
  const modules: Record<string, string> = {};
  const data: Record<string, unknown> = {};
  for (const file of content.files) {
    if (file.path.endsWith('.rego')) {
      modules[nameOf(file)] = file.text;
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(file.text);
    } catch (err) {
      throw new PolicyError('POLICY_LOAD_FAILED', `${nameOf(file)}: not valid JSON: ${(err as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new PolicyError('POLICY_LOAD_FAILED', `${nameOf(file)}: a data.json file must hold a JSON object`);
    }
    mount(data, file.path.split('/').slice(0, -1), parsed as Record<string, unknown>, nameOf(file));
  }
  return { dirs, modules, data, revision: filesRevision(content), content };
}

/**
 * `sha256:` over each file's position-and-path and text, in order. Hashed by directory
 * position and bundle-relative path, so that the revision does not depend on the working
 * directory or on where the directories are.
 */
export function filesRevision(content: RegoContent): string {
  const hash = createHash('sha256');
  for (const file of content.files) hash.update(hashedPath(content, file)).update('\0').update(file.text).update('\0');
  return 'sha256:' + hash.digest('base64url');
}

function hashedPath(content: RegoContent, file: PolicyFile): string {
  return content.roots > 1 ? `${file.root}:${file.path}` : file.path;
}

/** The .rego and data.json files under `dir`, sorted, hidden entries skipped. */
function listPolicyFiles(dir: string): string[] {
  let files: string[];
  try {
    files = listFiles(dir);
  } catch (err) {
    throw new PolicyError('POLICY_LOAD_FAILED', `cannot read policy directory ${dir}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return files.sort().filter((file) => {
    const local = relative(dir, file).split(sep).join('/');
    return local.endsWith('.rego') || local === 'data.json' || local.endsWith('/data.json');
  });
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
