import { fail, fns, str } from './args.js';

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

interface Version {
  readonly core: readonly bigint[];
  readonly pre: readonly string[];
}

function parse(s: string): Version | undefined {
  const m = SEMVER.exec(s);
  if (m === null) return undefined;
  return { core: [BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!)], pre: m[4] ? m[4].split('.') : [] };
}

/** SemVer 2.0.0 precedence; build metadata is ignored. */
function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a.core[i] !== b.core[i]) return a.core[i]! < b.core[i]! ? -1 : 1;
  if (a.pre.length === 0 || b.pre.length === 0) return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i]!;
    const y = b.pre[i]!;
    if (x === y) continue;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) return BigInt(x) < BigInt(y) ? -1 : 1;
    if (xn !== yn) return xn ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.pre.length === b.pre.length ? 0 : a.pre.length < b.pre.length ? -1 : 1;
}

export const SEMVER_BUILTINS = fns({
  'semver.is_valid': [1, ([v]) => typeof v === 'string' && parse(v) !== undefined],
  'semver.compare': [2, ([a, b]) => {
    const x = str('semver.compare', 1, a!);
    const y = str('semver.compare', 2, b!);
    const va = parse(x) ?? fail('semver.compare', `operand 1: string ${JSON.stringify(x)} is not a valid SemVer`);
    const vb = parse(y) ?? fail('semver.compare', `operand 2: string ${JSON.stringify(y)} is not a valid SemVer`);
    return compareVersions(va, vb);
  }],
});
