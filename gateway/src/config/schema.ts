import { z } from 'zod';
import { durationSchema } from '../lib/index.js';

const ORG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const org = z.string().regex(ORG, 'expected an org id: lowercase letters, digits and -');
const address = z.string().regex(/^(\[[0-9a-fA-F:]+\]|[^\s:[\]]+):\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:7443');
const duration = durationSchema;
/** A file path, or the PEM text itself (for configs built in code). */
const pemOrPath = z.string().min(1);
const jwkOrPath = z.union([z.string().min(1), z.looseObject({ kty: z.string() })]);

export const configSchema = z.strictObject({
  org,
  listen: address,
  advertise: address.optional(),
  dataDir: z.string().min(1),
  tls: z.strictObject({ ca: pemOrPath, cert: pemOrPath, key: pemOrPath }),
  receipts: z.strictObject({
    signingKey: jwkOrPath,
    previousKeys: z.array(jwkOrPath).default([]),
    /**
     * Sign statements to partners that verify them in batches under load (one signature per
     * batch, docs/protocol.md §5.9). false: every statement is an ordinary JWS.
     */
    batchSignatures: z.boolean().default(true),
  }),
  policies: z.strictObject({
    engine: z.enum(['rego', 'opa-wasm']).default('rego'),
    dir: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    bundle: z.string().min(1).optional(),
  }),
  agents: z
    .array(z.strictObject({ module: z.string().min(1), options: z.record(z.string(), z.unknown()).optional() }))
    .default([]),
  /**
   * Capabilities this gateway offers that are workflows here: a partner asks for the
   * capability like any other, and the request starts a run of the workflow (nested,
   * hierarchical orchestration).
   */
  workflows: z
    .array(
      z.strictObject({
        capability: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,127}$/, 'expected a capability name: [a-z0-9][a-z0-9._-]*'),
        file: z.string().min(1),
        description: z.string().max(500).optional(),
      }),
    )
    .default([]),
  /**
   * Workflow steps skip a partner that keeps failing to answer (`at: any`, fallbacks): after
   * `failures` consecutive failures to reach it, for `openFor`; then one attempt probes it.
   */
  circuits: z
    .strictObject({ failures: z.number().int().min(1).max(1000).default(3), openFor: duration.default(30_000) })
    .default({ failures: 3, openFor: 30_000 }),
  /**
   * Acks not delivered at once are retried from the outbox until the partner has them, after
   * `initialInterval`, doubling (with jitter) up to every `maximumInterval`. An ack first waits
   * up to `rideWait` for a task to the same partner to carry it (protocol §3.2a), then leaves
   * alone.
   */
  acks: z
    .strictObject({
      initialInterval: duration.default(1000),
      maximumInterval: duration.default(300_000),
      rideWait: duration.default(10).refine((ms) => ms <= 1000, 'at most 1s: an ack waits that long for a task to ride on, and the partner lacks it meanwhile'),
    })
    .default({ initialInterval: 1000, maximumInterval: 300_000, rideWait: 10 }),
  limits: z
    .strictObject({
      maxPayloadBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
      callTimeout: duration.default(10_000),
      maxInFlightPerPartner: z.number().int().min(1).max(10_000).default(64),
      /** How deep JSON inputs and results may nest; deeper ones are refused before anything walks them. */
      maxJsonDepth: z.number().int().min(1).max(512).default(64),
    })
    .default({ maxPayloadBytes: 1024 * 1024, callTimeout: 10_000, maxInFlightPerPartner: 64, maxJsonDepth: 64 }),
  partners: z
    .array(
      z.strictObject({
        org,
        address,
        ca: pemOrPath,
        receiptKeys: jwkOrPath,
        /**
         * The partner's audit log key (C2SP vkey, from its federation bundle). Without it, the key
         * the partner's card shows (over the pinned mutual TLS) is used and remembered.
         */
        logKey: z.string().regex(/^[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+={0,2}$/, 'expected a verifier key <name>+<8 hex>+<base64>, as entente certs export writes it').optional(),
        revoked: z
          .strictObject({ serials: z.array(z.string()).default([]), fingerprints: z.array(z.string()).default([]) })
          .optional(),
      }),
    )
    .default([]),
  /** The audit log (this gateway's Merkle log of statements, the checkpoints it signs) and decision retention. */
  audit: z
    .strictObject({
      /**
       * Decision inputs kept for replay (`entente policy replay`): when enabled, each policy
       * decision's input is kept encrypted (AES-256-GCM) with `key` (base64 of 32 bytes) or the key
       * in `keyFile`, and deleted `period` after the decision. Off by default: then only digests are
       * kept, and a replay needs the input from the caller.
       */
      retention: z
        .strictObject({
          enabled: z.boolean().default(false),
          key: z.string().min(1).optional(),
          keyFile: z.string().min(1).optional(),
          period: duration.default(30 * 86_400_000),
        })
        .default({ enabled: false, period: 30 * 86_400_000 }),
      /** The log's private Ed25519 JWK (a file or the JWK); `<dataDir>/log-key.jwk.json` by default, created at first start. */
      logKey: jwkOrPath.optional(),
      /** Public verifier keys (C2SP vkeys) of log keys rotated from: published, so older checkpoints keep verifying. */
      previousLogKeys: z.array(z.string().regex(/^[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+={0,2}$/, 'expected a verifier key <name>+<8 hex>+<base64>')).default([]),
    })
    .default({ previousLogKeys: [], retention: { enabled: false, period: 30 * 86_400_000 } }),
  control: z
    .strictObject({
      /** The control API's Unix socket; `<dataDir>/control.sock` by default. */
      socket: z.string().min(1).optional(),
      /** Optional TCP address for the control API, mutual TLS with role certificates from the org CA. */
      listen: address.optional(),
      /** Control-API client certificates refused although our CA issued them (a lost key, a departed user). */
      revoked: z
        .strictObject({ serials: z.array(z.string()).default([]), fingerprints: z.array(z.string()).default([]) })
        .optional(),
    })
    .default({}),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      /** pretty: lines for a person; json: one object a line, for a collector; auto: pretty on a terminal, json otherwise. */
      format: z
        .enum(['auto', 'pretty', 'json'], { error: 'expected auto (pretty on a terminal, json otherwise), pretty or json' })
        .default('auto'),
    })
    .default({ level: 'info', format: 'auto' }),
});

export type RawConfig = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
