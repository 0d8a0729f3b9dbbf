import { isArray, isObject, isSet, RegoSet, type RegoValue } from '../value.js';
import { fail, fns, str } from './args.js';

/** An address as a number, with its family's width in bits. */
interface Ip {
  readonly value: bigint;
  readonly bits: 32 | 128;
}

interface Net {
  readonly first: bigint;
  readonly prefix: number;
  readonly bits: 32 | 128;
  /** The address as written, when it is not the network address (a bare IP in cidr_merge). */
  readonly shown?: bigint;
}

function parseIPv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    // Go refuses leading zeros (they were ambiguous octal in older parsers).
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    v = (v << 8n) | BigInt(p);
  }
  return v;
}

function parseIPv6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  let tail = 0n;
  let tailGroups = 0;
  let text = s;
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const x = parseIPv4(v4[2]!);
    if (x === undefined) return undefined;
    tail = x;
    tailGroups = 2;
    text = v4[1]!.endsWith('::') ? v4[1]! : v4[1]!.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === undefined || rest === undefined) return undefined;
  const total = head.length + rest.length + tailGroups;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const all = [...head, ...new Array<number>(8 - total).fill(0), ...rest];
  let v = 0n;
  for (const g of all) v = (v << 16n) | BigInt(g);
  return tailGroups ? (v << 32n) | tail : v;
}

/** Go's net.ParseIP; IPv4-mapped IPv6 addresses count as IPv4. */
export function parseIP(s: string): Ip | undefined {
  const v4 = parseIPv4(s);
  if (v4 !== undefined) return { value: v4, bits: 32 };
  const v6 = parseIPv6(s);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { value: v6 & 0xffffffffn, bits: 32 };
  return { value: v6, bits: 128 };
}

function parseCIDR(name: string, s: string): Net {
  const slash = s.indexOf('/');
  const ip = slash < 0 ? undefined : parseIP(s.slice(0, slash));
  const prefixText = s.slice(slash + 1);
  const isV6Text = s.slice(0, slash).includes(':');
  const width = ip ? (isV6Text && ip.bits === 32 ? 128 : ip.bits) : 0;
  if (ip === undefined || !/^(0|[1-9]\d*)$/.test(prefixText) || Number(prefixText) > width) {
    return fail(name, `invalid CIDR address: ${s}`);
  }
  // An IPv4-mapped network written in IPv6 form keeps its IPv6 prefix length, shifted to IPv4.
  const prefix = isV6Text && ip.bits === 32 ? Math.max(0, Number(prefixText) - 96) : Number(prefixText);
  const bits = ip.bits;
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
  return { first: ip.value & mask, prefix, bits };
}

const last = (n: Net): bigint => n.first | ((1n << BigInt(n.bits - n.prefix)) - 1n);
const contains = (n: Net, ip: Ip): boolean => n.bits === ip.bits && ip.value >= n.first && ip.value <= last(n);

export function formatIP(v: bigint, bits: 32 | 128): string {
  if (bits === 32) return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952: compress the longest run (of at least two) of zero groups, the first if tied.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return hex.slice(0, bestStart).join(':') + '::' + hex.slice(bestStart + bestLen).join(':');
}

const netString = (n: Net): string => `${formatIP(n.shown ?? n.first, n.bits)}/${n.prefix}`;

function cidrContains(name: string, a: RegoValue, b: RegoValue): boolean {
  const net = parseCIDR(name, str(name, 1, a));
  const other = str(name, 2, b);
  const ip = parseIP(other);
  if (ip !== undefined) return contains(net, ip);
  let inner: Net;
  try {
    inner = parseCIDR(name, other);
  } catch {
    return fail(name, `not a valid textual representation of an IP address or CIDR: ${other}`);
  }
  return contains(net, { value: inner.first, bits: inner.bits }) && contains(net, { value: last(inner), bits: inner.bits });
}

/** The smallest list of CIDRs covering [first, lastIp]. */
function rangeToCidrs(first: bigint, lastIp: bigint, bits: 32 | 128): Net[] {
  const out: Net[] = [];
  let cur = first;
  while (cur <= lastIp) {
    let size = 0;
    while (size < bits && (cur & ((1n << BigInt(size + 1)) - 1n)) === 0n && cur + (1n << BigInt(size + 1)) - 1n <= lastIp) size++;
    out.push({ first: cur, prefix: bits - size, bits });
    cur += 1n << BigInt(size);
  }
  return out;
}

function matchElements(name: string, operand: number, v: RegoValue): [string, RegoValue][] {
  const pick = (x: RegoValue): string => {
    if (typeof x === 'string') return x;
    if (isArray(x) && x.length > 0 && typeof x[0] === 'string') return x[0];
    return fail(name, `operand ${operand}: element must be string or non-empty array`);
  };
  if (typeof v === 'string') return [[v, v]];
  if (isArray(v)) return v.map((x, i) => [pick(x), i]);
  if (isSet(v)) return v.sortedValues().map((x) => [pick(x), x]);
  if (isObject(v)) return v.sortedEntries().map(([k, x]) => [pick(x), k]);
  return [];
}

export const NET_BUILTINS = fns({
  'net.cidr_contains': [2, ([a, b]) => cidrContains('net.cidr_contains', a!, b!)],
  'net.cidr_intersects': [2, ([a, b]) => {
    const x = parseCIDR('net.cidr_intersects', str('net.cidr_intersects', 1, a!));
    const y = parseCIDR('net.cidr_intersects', str('net.cidr_intersects', 2, b!));
    return contains(x, { value: y.first, bits: y.bits }) || contains(y, { value: x.first, bits: x.bits });
  }],
  'net.cidr_is_valid': [1, ([a]) => {
    if (typeof a !== 'string') return false;
    try {
      parseCIDR('net.cidr_is_valid', a);
      return true;
    } catch {
      return false;
    }
  }],
  'net.cidr_expand': [1, ([a]) => {
    const n = parseCIDR('net.cidr_expand', str('net.cidr_expand', 1, a!));
    const count = last(n) - n.first + 1n;
    if (count > 1_000_000n) fail('net.cidr_expand', 'too many addresses to expand');
    const out = new RegoSet();
    for (let v = n.first; v <= last(n); v++) out.add(formatIP(v, n.bits));
    return out;
  }],
  'net.cidr_contains_matches': [2, ([a, b]) => {
    const out = new RegoSet();
    for (const [cidr, k1] of matchElements('net.cidr_contains_matches', 1, a!)) {
      for (const [other, k2] of matchElements('net.cidr_contains_matches', 2, b!)) {
        if (cidrContains('net.cidr_contains_matches', cidr, other)) out.add(Object.freeze([k1, k2]));
      }
    }
    return out;
  }],
  'net.cidr_merge': [1, ([a]) => {
    const items = isArray(a) ? a : isSet(a) ? a.sortedValues() : fail('net.cidr_merge', 'operand must be an array');
    const nets = (items as readonly RegoValue[]).map((x) => {
      if (typeof x !== 'string') return fail('net.cidr_merge', 'element must be string');
      const ip = parseIP(x);
      if (ip === undefined) return parseCIDR('net.cidr_merge', x);
      if (ip.bits === 128) return fail('net.cidr_merge', 'IPv6 invalid: needs prefix length');
      // A bare IPv4 address takes its classful default mask, as Go's IP.DefaultMask gives.
      const octet = Number(ip.value >> 24n);
      const prefix = octet < 128 ? 8 : octet < 192 ? 16 : octet < 224 ? 24 : 32;
      const mask = 0xffffffffn ^ ((1n << BigInt(32 - prefix)) - 1n);
      return { first: ip.value & mask, prefix, bits: 32 as const, shown: ip.value };
    });
    const out = new RegoSet();
    for (const bits of [32, 128] as const) {
      const ranges = nets
        .filter((n) => n.bits === bits)
        .map((n) => ({ first: n.first, last: last(n), net: n as Net | undefined }))
        .sort((x, y) => (x.last < y.last ? -1 : x.last > y.last ? 1 : x.first < y.first ? -1 : x.first > y.first ? 1 : 0));
      for (let i = ranges.length - 1; i > 0; i--) {
        const cur = ranges[i]!;
        const prev = ranges[i - 1]!;
        if (cur.first - 1n <= prev.last) {
          ranges[i - 1] = { first: prev.first < cur.first ? prev.first : cur.first, last: cur.last, net: undefined };
          ranges.splice(i, 1);
        }
      }
      for (const r of ranges) {
        for (const n of r.net ? [r.net] : rangeToCidrs(r.first, r.last, bits)) out.add(netString(n));
      }
    }
    return out;
  }],
});
