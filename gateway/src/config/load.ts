import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CryptoError, SealingKey } from '../crypto/index.js';
import { ConfigError } from './errors.js';
import { configSchema, type ParsedConfig } from './schema.js';
import { checkGatewayTls, checkPartnerCa, type Located } from './tls-check.js';

type Jwk = Record<string, unknown> & { kty: string; kid?: string };

/** A gateway's configuration after compilation: paths resolved, files read, deep-frozen. */
export interface GatewayConfig {
  readonly org: string;
  readonly listen: string;
  readonly advertise: string;
  readonly dataDir: string;
  readonly tls: { readonly caPem: string; readonly certPem: string; readonly keyPem: string };
  readonly receipts: { readonly signingJwk: Jwk & { kid: string }; readonly previousJwks: readonly Jwk[]; readonly batchSignatures: boolean };
  readonly policies:
    | { readonly engine: 'rego'; readonly dirs: readonly string[] }
    | { readonly engine: 'opa-wasm'; readonly bundle: string };
  readonly agents: readonly { readonly module: string; readonly options?: Readonly<Record<string, unknown>> }[];
  /** Capabilities served by a workflow here: the definition's file and its text (checked when the gateway is built). */
  readonly workflows: readonly { readonly capability: string; readonly file: string; readonly text: string; readonly description?: string }[];
  readonly circuits: { readonly failures: number; readonly openForMs: number };
  /** How acks not delivered at once are retried from the outbox. */
  readonly acks: { readonly initialIntervalMs: number; readonly maximumIntervalMs: number; readonly rideWaitMs: number };
  readonly limits: {
    readonly maxPayloadBytes: number;
    readonly callTimeoutMs: number;
    readonly maxInFlightPerPartner: number;
    readonly maxJsonDepth: number;
  };
  readonly partners: readonly {
    readonly org: string;
    readonly address: string;
    readonly caPem: string;
    readonly receiptJwks: { readonly keys: readonly Jwk[] };
    /** The partner's pinned audit log key (C2SP vkey), when its bundle gave one. */
    readonly logKey?: string;
    readonly revoked?: { readonly serials: readonly string[]; readonly fingerprints: readonly string[] };
  }[];
  /**
   * The audit log's key: the JWK given, or the file it lives in (created at first start when
   * absent), and the verifier keys of those rotated from. Decision inputs kept for replay: when
   * enabled, sealed with `key`; deleted after `periodMs` either way. `key` is there whenever the
   * config gives one, so that inputs kept earlier open.
   */
  readonly audit: {
    readonly logKey: { readonly jwk: Jwk } | { readonly file: string };
    readonly previousLogKeys: readonly string[];
    readonly retention: { readonly enabled: boolean; readonly key?: SealingKey; readonly periodMs: number };
  };
  /** The control API: always on a Unix socket (mode 0600); optionally on TCP with mutual TLS. */
  readonly control: {
    readonly socket: string;
    readonly listen?: string;
    readonly revoked: { readonly serials: readonly string[]; readonly fingerprints: readonly string[] };
  };
  readonly log: { readonly level: string; readonly format: 'auto' | 'pretty' | 'json' };
}

/** Reads a YAML or JSON config file and compiles it; relative paths are from the file's directory. */
export function loadConfig(path: string): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [`cannot read the config file: ${(err as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(path, [`not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`]);
  }
  return compileConfig(raw, dirname(resolve(path)), path);
}

/**
 * Validates a config, fills defaults, resolves paths, reads the files it names (certificates,
 * keys), and freezes the result. Collects every problem before failing.
 */
export function compileConfig(raw: unknown, baseDir: string, source = 'config'): GatewayConfig {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      source,
      parsed.error.issues.map((i) => `${formatPath(i.path) || '(root)'}: ${i.message}`),
    );
  }
  const c: ParsedConfig = parsed.data;
  const problems: string[] = [];
  const path = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const readLocated = (where: string, value: string, kind: 'CERTIFICATE' | 'PRIVATE KEY'): Located => {
    const inline = value.startsWith('-----BEGIN');
    const text = inline ? value : readOrProblem(where, path(value));
    if (text !== '' && !new RegExp(`-----BEGIN [A-Z ]*${kind}-----`).test(text)) {
      problems.push(`${where}: expected a PEM ${kind.toLowerCase()}`);
      return { where, pem: '', file: inline ? undefined : path(value) };
    }
    return { where, pem: text, file: inline ? undefined : path(value) };
  };
  const readOrProblem = (where: string, file: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      problems.push(`${where}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message}: ${file}`);
      return '';
    }
  };
  const readJson = (where: string, value: string | Record<string, unknown>): unknown => {
    if (typeof value !== 'string') return value;
    const text = readOrProblem(where, path(value));
    if (text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      problems.push(`${where}: not valid JSON: ${(err as Error).message}`);
      return undefined;
    }
  };
  const asJwk = (where: string, v: unknown, needPrivate: boolean): Jwk => {
    const jwk = v as Jwk | undefined;
    if (jwk === undefined) return { kty: '' };
    if (typeof jwk !== 'object' || typeof jwk.kty !== 'string') problems.push(`${where}: expected a JWK object`);
    else if (typeof jwk.kid !== 'string') problems.push(`${where}: the JWK needs a kid`);
    else if (needPrivate && !('d' in jwk)) problems.push(`${where}: expected a private JWK (with d)`);
    return jwk;
  };
  const asJwks = (where: string, v: unknown): { keys: Jwk[] } => {
    const jwks = v as { keys?: unknown } | undefined;
    if (jwks === undefined) return { keys: [] };
    if (!Array.isArray(jwks.keys)) {
      problems.push(`${where}: expected a JWKS ({"keys": [...]})`);
      return { keys: [] };
    }
    return { keys: jwks.keys.map((k, i) => asJwk(`${where}.keys[${i}]`, k, false)) };
  };

  const checked = (l: Located, check: (l: Located) => string[]): string => {
    problems.push(...check(l));
    return l.pem;
  };

  const seen = new Set<string>();
  const partners = c.partners.map((p, i) => {
    if (p.org === c.org) problems.push(`partners[${i}].org: ${p.org} is this gateway's own org, not a partner`);
    if (seen.has(p.org)) problems.push(`partners[${i}].org: duplicate partner ${JSON.stringify(p.org)}`);
    seen.add(p.org);
    return {
      org: p.org,
      address: p.address,
      caPem: checked(readLocated(`partners[${i}].ca`, p.ca, 'CERTIFICATE'), checkPartnerCa),
      receiptJwks: asJwks(`partners[${i}].receiptKeys`, readJson(`partners[${i}].receiptKeys`, p.receiptKeys)),
      ...(p.logKey !== undefined ? { logKey: p.logKey } : {}),
      ...(p.revoked !== undefined ? { revoked: p.revoked } : {}),
    };
  });
  let policies: GatewayConfig['policies'];
  if (c.policies.engine === 'opa-wasm') {
    if (c.policies.bundle === undefined) problems.push('policies.bundle: required when policies.engine is opa-wasm (a bundle from opa build -t wasm)');
    policies = { engine: 'opa-wasm', bundle: path(c.policies.bundle ?? '') };
  } else {
    if (c.policies.dir === undefined) problems.push('policies.dir: required: the directory (or list of directories) of the Rego policies');
    const dirs = typeof c.policies.dir === 'string' ? [c.policies.dir] : (c.policies.dir ?? []);
    policies = { engine: 'rego', dirs: dirs.map(path) };
  }
  const tls = {
    ca: readLocated('tls.ca', c.tls.ca, 'CERTIFICATE'),
    cert: readLocated('tls.cert', c.tls.cert, 'CERTIFICATE'),
    key: readLocated('tls.key', c.tls.key, 'PRIVATE KEY'),
  };
  problems.push(...checkGatewayTls(c.org, tls));
  if (c.acks.maximumInterval < c.acks.initialInterval) {
    problems.push(`acks.maximumInterval: ${c.acks.maximumInterval} ms cannot be less than acks.initialInterval (${c.acks.initialInterval} ms); raise it or lower the initial interval`);
  }
  const socket = path(c.control.socket ?? join(c.dataDir, 'control.sock'));
  // sun_path holds 108 bytes with its NUL; a longer path fails only at bind, obscurely.
  if (Buffer.byteLength(socket) > 107) {
    problems.push(`control.socket: ${socket} is ${Buffer.byteLength(socket)} bytes; a Unix socket path may have at most 107: set control.socket to a shorter path`);
  }
  // The key is read whenever it is given, also with retention off: inputs kept earlier still open for a replay.
  const retentionKey = (): SealingKey | undefined => {
    const r = c.audit.retention;
    if (r.key !== undefined && r.keyFile !== undefined) {
      problems.push('audit.retention: give key or keyFile, not both');
      return undefined;
    }
    if (r.key === undefined && r.keyFile === undefined) {
      if (r.enabled) problems.push('audit.retention: enabled needs a key: set key (base64 of 32 bytes, from openssl rand -base64 32) or keyFile (a file holding one)');
      return undefined;
    }
    const where = r.key !== undefined ? 'audit.retention.key' : 'audit.retention.keyFile';
    try {
      if (r.key !== undefined) return SealingKey.fromBase64(r.key);
      const file = path(r.keyFile!);
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (err) {
        problems.push(`${where}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message}: ${file}`);
        return undefined;
      }
      return SealingKey.fromFile(bytes);
    } catch (err) {
      if (!(err instanceof CryptoError)) throw err;
      problems.push(`${where}: ${err.message}`);
      return undefined;
    }
  };
  const key = retentionKey();
  const config: GatewayConfig = {
    org: c.org,
    listen: c.listen,
    advertise: c.advertise ?? c.listen,
    dataDir: path(c.dataDir),
    tls: { caPem: tls.ca.pem, certPem: tls.cert.pem, keyPem: tls.key.pem },
    receipts: {
      signingJwk: asJwk('receipts.signingKey', readJson('receipts.signingKey', c.receipts.signingKey), true) as Jwk & { kid: string },
      previousJwks: c.receipts.previousKeys.map((k, i) => asJwk(`receipts.previousKeys[${i}]`, readJson(`receipts.previousKeys[${i}]`, k), false)),
      batchSignatures: c.receipts.batchSignatures,
    },
    policies,
    agents: c.agents.map((a) => ({ module: path(a.module), ...(a.options !== undefined ? { options: a.options } : {}) })),
    workflows: c.workflows.map((w, i) => ({
      capability: w.capability,
      file: path(w.file),
      text: readOrProblem(`workflows[${i}].file`, path(w.file)),
      ...(w.description !== undefined ? { description: w.description } : {}),
    })),
    circuits: { failures: c.circuits.failures, openForMs: c.circuits.openFor },
    acks: { initialIntervalMs: c.acks.initialInterval, maximumIntervalMs: c.acks.maximumInterval, rideWaitMs: c.acks.rideWait },
    limits: {
      maxPayloadBytes: c.limits.maxPayloadBytes,
      callTimeoutMs: c.limits.callTimeout,
      maxInFlightPerPartner: c.limits.maxInFlightPerPartner,
      maxJsonDepth: c.limits.maxJsonDepth,
    },
    partners,
    audit: {
      logKey:
        c.audit.logKey === undefined
          ? { file: join(path(c.dataDir), 'log-key.jwk.json') }
          : typeof c.audit.logKey === 'string'
            ? { file: path(c.audit.logKey) }
            : { jwk: asJwk('audit.logKey', c.audit.logKey, true) },
      previousLogKeys: c.audit.previousLogKeys,
      retention: { enabled: c.audit.retention.enabled, ...(key !== undefined ? { key } : {}), periodMs: c.audit.retention.period },
    },
    control: {
      socket,
      ...(c.control.listen !== undefined ? { listen: c.control.listen } : {}),
      revoked: c.control.revoked ?? { serials: [], fingerprints: [] },
    },
    log: c.log,
  };
  if (problems.length > 0) throw new ConfigError(source, problems);
  return deepFreeze(config);
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
