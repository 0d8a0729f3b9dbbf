/**
 * Writes the protocol test vectors in docs/vectors/ from fixed inputs:
 *
 *   npx tsx test/support/make-vectors.ts
 *
 * Everything is fixed (keys, salt, inputs, times, decision ids) except ES256 signatures, which
 * are randomized by nature. So that re-running the script changes nothing, a statement whose
 * signing input (header and payload) is unchanged keeps the signature already committed, as
 * long as it still verifies; EdDSA signatures are deterministic and always re-made.
 * test/unit/protocol/vectors.test.ts checks our implementation against the files, and that
 * this script still makes exactly them.
 */
import { createHash, createPrivateKey, sign, type JsonWebKey } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  canonicalize,
  KeyRing,
  saltedDigest,
  sha256Digest,
  SigningKey,
  verifyCompactJws,
} from '../../gateway/src/crypto/index.js';
import { BATCH_TYP, signAck, signBatch, signRequest, signResult, STATEMENT_TYP, type SignedStatement, type StatementKind } from '../../gateway/src/audit/index.js';
import { REPO } from './paths.js';

export const VECTORS_DIR = join(REPO, 'docs', 'vectors');

const WARNING = 'TEST KEYS, NEVER USE: the private keys in docs/vectors/keys.json are public. Never configure them in a gateway.';

/**
 * Generated once with node:crypto generateKeyPairSync and fixed here. They are published on
 * purpose, so that anyone can reproduce the signatures in the vectors. Test key, never use.
 */
const TEST_KEYS = {
  hospital: {
    kty: 'EC',
    crv: 'P-256',
    x: 'vthNlhHQlooDojgaZ6tO-BjP7ogYf5k0wIOFiU4Zv7U',
    y: '2JGvL4lA71QYR06xxYo-ykBJRpM9639-TlfMpnrfHQc',
    d: 'vysJI2bbGewyMx3mAxwf0viaRF7dAj_HT_hAthpRjNk',
    kid: 'hospital-test-es256',
  },
  lab: {
    kty: 'OKP',
    crv: 'Ed25519',
    x: '8GYrch2I4jnceOZn6xG5n59mzw_60EaFWJD9h6uVWDY',
    d: '6QluiqHOiqkbPJfp3nQ_7R_jwVFnJPbZDwdGuzaUBnM',
    kid: 'lab-test-ed25519',
  },
} as const;

/** `test-salt-16byte` as ASCII: 16 bytes, like the salts gateways make, readable when decoded. */
const SALT = Buffer.from('test-salt-16byte', 'ascii').toString('base64url');
/** 2026-01-01T00:00:00Z. */
const T0 = 1_767_225_600;
/** limits.callTimeout's default: the requester's deadline is T0 + 10 s, and exp is the deadline + 60 s. */
const EXP = T0 + 10 + 60;
const REVISION_A = 'sha256:hospital-policies-test-revision';
const REVISION_B = 'sha256:lab-policies-test-revision';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Vectors = Map<string, Record<string, unknown>>;

/** The vectors as files: name -> JSON document. `previous` are the files committed so far. */
export function makeVectors(previous: ReadonlyMap<string, unknown> = new Map()): Vectors {
  const ctx = new Context(previous);
  const completed = completedChain(ctx);
  const denied = deniedChain(ctx);
  return new Map<string, Record<string, unknown>>([
    ['keys.json', keysVector(ctx)],
    ['jcs.json', jcsVector()],
    ['digests.json', digestsVector()],
    ['chain-completed.json', completed.vector],
    ['chain-denied.json', denied],
    ['local-denial.json', localDenial(ctx)],
    ['negative.json', negativeVector(ctx, completed)],
    ['batch.json', batchVector(ctx)],
  ]);
}

/** The committed vector files, by name. */
export function readVectors(dir = VECTORS_DIR): Map<string, unknown> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return new Map();
  }
  return new Map(names.sort().map((n) => [n, JSON.parse(readFileSync(join(dir, n), 'utf8')) as unknown]));
}

/** How a vector file is written: two-space JSON, non-ASCII as UTF-8, one final newline. */
export function formatVector(doc: unknown): string {
  return JSON.stringify(doc, null, 2) + '\n';
}

class Context {
  readonly hospital = SigningKey.fromJwk(TEST_KEYS.hospital);
  readonly lab = SigningKey.fromJwk(TEST_KEYS.lab);
  readonly ring = new KeyRing();
  private readonly committed = new Map<string, string>();

  constructor(previous: ReadonlyMap<string, unknown>) {
    this.ring.addJwks('hospital', { keys: [this.hospital.publicJwk] });
    this.ring.addJwks('lab', { keys: [this.lab.publicJwk] });
    for (const doc of previous.values()) collectJws(doc, this.committed);
  }

  /** A committed JWS with the same signing input, if it verifies as `org`'s; else `fresh`. */
  stable<K extends StatementKind>(org: string, fresh: SignedStatement<K>): SignedStatement<K> {
    const signingInput = fresh.jws.slice(0, fresh.jws.lastIndexOf('.'));
    const old = this.committed.get(signingInput);
    if (old === undefined || old === fresh.jws) return fresh;
    try {
      verifyCompactJws(old, this.ring, org);
    } catch {
      return fresh;
    }
    return { ...fresh, jws: old, digest: sha256Digest(old) };
  }
}

function collectJws(value: unknown, into: Map<string, string>): void {
  if (typeof value === 'string') {
    if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value)) into.set(value.slice(0, value.lastIndexOf('.')), value);
  } else if (Array.isArray(value)) {
    for (const v of value) collectJws(v, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) collectJws(v, into);
  }
}

function keysVector(ctx: Context): Record<string, unknown> {
  return {
    type: 'keys',
    WARNING,
    description:
      'The receipt signing keys of two test organizations: hospital signs with ES256 (P-256), lab with EdDSA (Ed25519). ' +
      'private_jwk is the key as a gateway holds it (RFC 7517); public_jwk is what the gateway publishes in its card and federation bundle. ' +
      'Every other vector file names its signers by these org ids.',
    orgs: {
      hospital: { WARNING: 'test key, never use', alg: 'ES256', kid: ctx.hospital.kid, private_jwk: TEST_KEYS.hospital, public_jwk: ctx.hospital.publicJwk },
      lab: { WARNING: 'test key, never use', alg: 'EdDSA', kid: ctx.lab.kid, private_jwk: TEST_KEYS.lab, public_jwk: ctx.lab.publicJwk },
    },
  };
}

/** RFC 8785 cases: each input is JSON text, parsed with an ordinary JSON parser, then canonicalized. */
function jcsVector(): Record<string, unknown> {
  const cases: [string, string, string][] = [
    [
      'rfc8785-3.2.2',
      'The example of RFC 8785 section 3.2.2: whitespace removed, members sorted, numbers and strings re-serialized.',
      '{\n  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n  "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n  "literals": [null, true, false]\n}',
    ],
    [
      'numbers',
      'Numbers take ECMAScript Number::toString form: exponent from 1e21 up and below 1e-6, lowercase e with explicit sign, no trailing zeros, -0 as 0; the parser rounds to IEEE 754 double first.',
      '[1e21, 1E21, 1e20, 999999999999999999999, 1E-7, 1e-6, 0.000001, -0, -0.0, 0.1, 1.0, 100, 1e2, -1.5e-10, 123456789012345678, 9007199254740993, 5e-324, 1.7976931348623157e308, 4.35, 0.1e1]',
    ],
    [
      'member-order',
      'Members are sorted by their names as arrays of UTF-16 code units, not by code points or UTF-8 bytes: U+1F600 (D83D DE00) sorts before U+FB33, and U+00E9 after "z".',
      '{"\\ufb33":1,"\\ud83d\\ude00":2,"z":3,"\\u00e9":4,"aa":5,"a":6,"B":7,"":8,"\\u0080":9,"\\r":10,"10":11,"9":12}',
    ],
    [
      'nested-order',
      'Sorting applies at every depth; array order is kept.',
      '{"b":[{"z":1,"y":2},{"b":null,"a":[]}],"a":{"d":{},"c":[3,2,1]}}',
    ],
    [
      'strings',
      'Strings are escaped as ECMAScript JSON.stringify does: only " and \\ and U+0000-U+001F, with \\b \\t \\n \\f \\r short forms and lowercase \\u00xx otherwise; everything else (/, DEL, U+2028, non-ASCII, astral characters) is written as raw UTF-8.',
      '["\\/","\\u0000\\u0008\\u0009\\u000a\\u000c\\u000d\\u001f","\\u007f","\\u2028\\u2029","caf\\u00e9","café","\\ud83d\\ude00","😀","\\"\\\\"]',
    ],
    ['literals', 'Literals and empty containers.', '[true, false, null, {}, [], ""]'],
  ];
  const unsupported: [string, string, string][] = [
    ['lone-surrogate', 'A string with an unpaired UTF-16 surrogate is not Unicode text; it has no UTF-8 form and no canonical form.', '["\\ud800"]'],
    ['number-overflow', 'A number beyond the IEEE 754 double range parses as Infinity, which JSON cannot carry.', '{"n":1e400}'],
  ];
  const tooDeep = 1001;
  return {
    type: 'jcs',
    description:
      'RFC 8785 JSON Canonicalization Scheme. For each case: parse `input` (JSON text) with an ordinary JSON parser into IEEE 754 doubles and UTF-16 strings, ' +
      'then serialize canonically. `canonical` is the expected text; `canonical_utf8_hex` its exact bytes. Cases under `unsupported` have no canonical form (error JCS_UNSUPPORTED).',
    cases: cases.map(([name, why, input]) => {
      const canonical = canonicalize(JSON.parse(input));
      return { name, why, input, canonical, canonical_utf8_hex: Buffer.from(canonical, 'utf8').toString('hex') };
    }),
    unsupported: [
      ...unsupported.map(([name, why, input]) => ({ name, why, input, error: 'JCS_UNSUPPORTED' })),
      {
        name: 'too-deep',
        why: 'Nesting deeper than 1000 levels is refused (a bound against stack exhaustion on hostile input). The input is `depth` times "[" followed by `depth` times "]".',
        depth: tooDeep,
        error: 'JCS_UNSUPPORTED',
      },
    ],
  };
}

/** Salted digests of values, and plain digests of text. */
function digestsVector(): Record<string, unknown> {
  const salted: [string, string][] = [
    ['small-object', '{"count":3}'],
    ['input-with-spacing', '{ "since": "2026-01-01", "condition": "E11.9", "max_age": 65.0, "site": "Zürich" }'],
    ['string', '"hello"'],
    ['null', 'null'],
    ['number', '1E-7'],
  ];
  const plain: [string, string][] = [
    ['empty', ''],
    ['abc', 'abc'],
    ['utf-8', 'Zürich'],
  ];
  return {
    type: 'digests',
    description:
      'salted_digest = "sha256:" + base64url(SHA-256(salt_bytes || UTF-8(JCS(parse(input))))), unpadded base64url (RFC 4648 section 5). ' +
      'The salt travels as base64url text; salt_bytes are its decoded bytes. The digest depends on the parsed value, not on the spelling of the JSON text. ' +
      'plain: sha256_digest = "sha256:" + base64url(SHA-256(UTF-8(text))), as used for statement digests over compact JWS text.',
    salt: SALT,
    salt_bytes_hex: Buffer.from(SALT, 'base64url').toString('hex'),
    salted: salted.map(([name, input]) => {
      const value: unknown = JSON.parse(input);
      const canonical = canonicalize(value);
      return { name, input, canonical, salted_digest: saltedDigest(SALT, value) };
    }),
    plain: plain.map(([name, text]) => ({ name, text, sha256_digest: sha256Digest(text) })),
  };
}

/** One statement as the vectors show it. */
function statementEntry(signer: string, key: SigningKey, s: SignedStatement<StatementKind>): Record<string, unknown> {
  const [header, payload] = s.jws.split('.') as [string, string, string];
  return {
    signer,
    alg: key.alg,
    kid: key.kid,
    deterministic: key.alg === 'EdDSA',
    protected_header: Buffer.from(header, 'base64url').toString('utf8'),
    payload: s.payload,
    payload_canonical: Buffer.from(payload, 'base64url').toString('utf8'),
    jws: s.jws,
    digest: s.digest,
  };
}

const COMPLETED_TASK = '7d1e4c2a-9b3f-4e8d-a6c5-0f2b8e9d1a47';
const INPUT_WIRE = '{ "since": "2026-01-01", "condition": "E11.9", "max_age": 65.0, "site": "Zürich" }';

function completedChain(ctx: Context) {
  const input: unknown = JSON.parse(INPUT_WIRE);
  const result = { count: 3 };
  const resultWire = JSON.stringify(result);
  const request = ctx.stable(
    'hospital',
    signRequest(ctx.hospital, {
      task_id: COMPLETED_TASK,
      from: 'hospital',
      to: 'lab',
      capability: 'patients.count',
      purpose: 'research',
      input_digest: saltedDigest(SALT, input),
      iat: T0,
      exp: EXP,
      outbound: { decision_id: '0b9f6a52-4c1d-4e7a-8f3b-2d6c9e1a5b70', policy_revision: REVISION_A },
    }),
  );
  const resultStatement = signResult(ctx.lab, {
    task_id: COMPLETED_TASK,
    from: 'lab',
    to: 'hospital',
    request_digest: request.digest,
    status: 'completed',
    result_digest: saltedDigest(SALT, result),
    inbound: { decision_id: '5a3e8c1f-7b2d-4f6a-9e0c-8d4b1a6f2c93', policy_revision: REVISION_B },
    disclosure: { decision_id: 'c4f1a9e7-2d6b-4a3c-8e5f-1b7d0a9c3e26', policy_revision: REVISION_B },
    iat: T0 + 1,
  });
  const ack = ctx.stable(
    'hospital',
    signAck(ctx.hospital, {
      task_id: COMPLETED_TASK,
      from: 'hospital',
      to: 'lab',
      result_statement_digest: resultStatement.digest,
      iat: T0 + 2,
    }),
  );
  const vector = {
    type: 'chain',
    WARNING,
    description:
      'One completed task: hospital (requester, ES256) asks lab (responder, EdDSA) for patients.count. ' +
      'The request and ack are ES256: their signatures are randomized, so a fresh signature differs; check that the committed one verifies. ' +
      'The result is EdDSA: re-signing its payload with lab\'s key must give the same JWS byte for byte.',
    requester: 'hospital',
    responder: 'lab',
    task_id: COMPLETED_TASK,
    capability: 'patients.count',
    purpose: 'research',
    salt: SALT,
    salt_bytes_hex: Buffer.from(SALT, 'base64url').toString('hex'),
    input_wire: INPUT_WIRE,
    input_canonical: canonicalize(input),
    input_digest: saltedDigest(SALT, input),
    result_wire: resultWire,
    result_canonical: canonicalize(result),
    result_digest: saltedDigest(SALT, result),
    submit_task_request: {
      task_id: COMPLETED_TASK,
      capability: 'patients.count',
      purpose: 'research',
      input: INPUT_WIRE,
      salt: SALT,
      request_statement: request.jws,
    },
    submit_task_response: {
      grpc_status: 'OK',
      task: { task_id: COMPLETED_TASK, status: 'TASK_STATUS_COMPLETED', result: resultWire, reason: '', result_statement: resultStatement.jws },
    },
    acknowledge_request: { task_id: COMPLETED_TASK, ack_statement: ack.jws },
    statements: {
      request: statementEntry('hospital', ctx.hospital, request),
      result: statementEntry('lab', ctx.lab, resultStatement),
      ack: statementEntry('hospital', ctx.hospital, ack),
    },
  };
  return { vector, request, resultStatement, ack };
}

const DENIED_TASK = 'e2b7c9d4-1a5f-4c3e-b8d6-7f0a2e9c4b15';

function deniedChain(ctx: Context): Record<string, unknown> {
  const inputWire = '{"condition":"F20","since":"2025-06-01"}';
  const input: unknown = JSON.parse(inputWire);
  const request = ctx.stable(
    'hospital',
    signRequest(ctx.hospital, {
      task_id: DENIED_TASK,
      from: 'hospital',
      to: 'lab',
      capability: 'patients.count',
      purpose: 'marketing',
      input_digest: saltedDigest(SALT, input),
      iat: T0 + 100,
      exp: EXP + 100,
      outbound: { decision_id: '6e2a0d8b-3f9c-4b1e-a7d5-9c4f2b8e0a61', policy_revision: REVISION_A },
    }),
  );
  const resultStatement = signResult(ctx.lab, {
    task_id: DENIED_TASK,
    from: 'lab',
    to: 'hospital',
    request_digest: request.digest,
    status: 'denied',
    reason: 'inbound_denied',
    inbound: { decision_id: '9d5b3f7a-0c2e-4a8d-b6f1-3e7c9a1d5b28', policy_revision: REVISION_B },
    disclosure: null,
    iat: T0 + 101,
  });
  const ack = ctx.stable(
    'hospital',
    signAck(ctx.hospital, { task_id: DENIED_TASK, from: 'hospital', to: 'lab', result_statement_digest: resultStatement.digest, iat: T0 + 102 }),
  );
  return {
    type: 'chain',
    WARNING,
    description:
      "A task refused by the responder's inbound policy: the result statement has status denied, a reason code, no result_digest, and disclosure null (the disclosure point was never reached). " +
      'SubmitTask fails with PERMISSION_DENIED and the result statement in trailing metadata; the requester still acknowledges it.',
    requester: 'hospital',
    responder: 'lab',
    task_id: DENIED_TASK,
    capability: 'patients.count',
    purpose: 'marketing',
    salt: SALT,
    salt_bytes_hex: Buffer.from(SALT, 'base64url').toString('hex'),
    input_wire: inputWire,
    input_canonical: canonicalize(input),
    input_digest: saltedDigest(SALT, input),
    submit_task_request: {
      task_id: DENIED_TASK,
      capability: 'patients.count',
      purpose: 'marketing',
      input: inputWire,
      salt: SALT,
      request_statement: request.jws,
    },
    submit_task_response: {
      grpc_status: 'PERMISSION_DENIED',
      grpc_message: "inbound_denied: the partner's inbound policy did not allow this request",
      trailing_metadata: { 'entente-reason': 'inbound_denied', 'entente-result-statement': resultStatement.jws },
    },
    acknowledge_request: { task_id: DENIED_TASK, ack_statement: ack.jws },
    statements: {
      request: statementEntry('hospital', ctx.hospital, request),
      result: statementEntry('lab', ctx.lab, resultStatement),
      ack: statementEntry('hospital', ctx.hospital, ack),
    },
  };
}

const LOCAL_DENIAL_TASK = '3c8f1b6e-5d2a-4e9b-9c7f-4a1e8d3b6f02';

function localDenial(ctx: Context): Record<string, unknown> {
  const inputWire = '{"patient":"P-1042","condition":"E11.9"}';
  const input: unknown = JSON.parse(inputWire);
  const request = ctx.stable(
    'hospital',
    signRequest(ctx.hospital, {
      task_id: LOCAL_DENIAL_TASK,
      from: 'hospital',
      to: 'lab',
      capability: 'patients.count',
      purpose: 'research',
      input_digest: saltedDigest(SALT, input),
      iat: T0 + 200,
      exp: EXP + 200,
      outbound: { decision_id: '2f7c4a9e-8b1d-4e6a-b3c0-5d9e1f7a2c84', policy_revision: REVISION_A },
    }),
  );
  const resultStatement = ctx.stable(
    'hospital',
    signResult(ctx.hospital, {
      task_id: LOCAL_DENIAL_TASK,
      from: 'hospital',
      to: 'lab',
      request_digest: request.digest,
      status: 'denied',
      reason: 'outbound_denied',
      inbound: null,
      disclosure: null,
      iat: T0 + 200,
    }),
  );
  return {
    type: 'local-denial',
    WARNING,
    description:
      "A request that the requester's own outbound policy refused. Nothing is sent to the partner. The requester keeps its request statement " +
      '(input_digest over the input the caller asked to send) and a result statement signed by ITSELF: from the requester, to the partner, status denied, reason outbound_denied, inbound and disclosure null. There is no ack.',
    requester: 'hospital',
    responder: 'lab',
    task_id: LOCAL_DENIAL_TASK,
    salt: SALT,
    input_wire: inputWire,
    input_digest: saltedDigest(SALT, input),
    statements: {
      request: statementEntry('hospital', ctx.hospital, request),
      result: statementEntry('hospital', ctx.hospital, resultStatement),
    },
  };
}

/** A compact JWS over exactly this header and payload text, signed with the lab's EdDSA key. */
function rawLabJws(header: Json | string, payloadText: string): string {
  const h = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header), 'utf8').toString('base64url');
  const p = Buffer.from(payloadText, 'utf8').toString('base64url');
  return rawSign(h, p);
}

function rawSign(headerB64: string, payloadB64: string): string {
  const key = createPrivateKey({ key: TEST_KEYS.lab as JsonWebKey, format: 'jwk' });
  return `${headerB64}.${payloadB64}.${sign(null, Buffer.from(`${headerB64}.${payloadB64}`, 'ascii'), key).toString('base64url')}`;
}

function negativeVector(ctx: Context, chain: ReturnType<typeof completedChain>): Record<string, unknown> {
  const labKid = ctx.lab.kid;
  const resultTyp = STATEMENT_TYP.result;
  const good = chain.resultStatement;
  const goodPayload = good.payload as unknown as Record<string, Json>;
  const expectResult = { kind: 'result', signer_org: 'lab', recipient_org: 'hospital', task_id: COMPLETED_TASK };
  const withPayload = (payload: Record<string, Json>, header: Json = { alg: 'EdDSA', kid: labKid, typ: resultTyp }) =>
    rawLabJws(header, canonicalize(payload));
  const [gh, gp, gs] = good.jws.split('.') as [string, string, string];

  const tampered = `${gh}.${Buffer.from(canonicalize({ ...goodPayload, result_digest: saltedDigest(SALT, { count: 30 }) }), 'utf8').toString('base64url')}.${gs}`;
  // The signature's last base64url character carries 4 unused bits; flipping them keeps the bytes.
  const lastChar = gs.at(-1)!;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const sibling = alphabet[alphabet.indexOf(lastChar) ^ 0x01]!;
  const nonCanonicalSig = `${gh}.${gp}.${gs.slice(0, -1)}${sibling}`;
  const paddedPayload = rawSign(gh, gp + '='.repeat((4 - (gp.length % 4)) % 4 || 4));

  const batch = batchStatements(ctx).jws.map((j) => j.split('.'));
  const expectBatched = (i: number) => ({ kind: 'result', signer_org: 'lab', recipient_org: 'hospital', task_id: BATCH_TASKS[i] });
  const batchPayload = (payload: Json) => rawLabJws({ alg: 'EdDSA', kid: labKid, typ: BATCH_TYP }, canonicalize(payload));
  const leaf0 = createHash('sha256').update(Buffer.from([0])).update(`${batch[0]![0]}.${batch[0]![1]}`, 'ascii').digest();

  const statements = [
    {
      name: 'batch-other-leaf',
      why: "A batched statement with the proof of another statement of its batch: the path does not lead from its leaf to the root.",
      jws: [...batch[0]!.slice(0, 2), batch[1]![2], ...batch[0]!.slice(3)].join('.'),
      expect: expectBatched(0),
      error: { code: 'RECEIPT_BAD_SIGNATURE', cause: 'JWS_BAD_SIGNATURE' },
    },
    {
      name: 'batch-proof-short',
      why: 'A batched statement whose proof lost its last hash: shorter than the path to the root.',
      jws: [...batch[0]!.slice(0, 2), Buffer.from(batch[0]![2]!, 'base64url').subarray(0, -32).toString('base64url'), ...batch[0]!.slice(3)].join('.'),
      expect: expectBatched(0),
      error: { code: 'RECEIPT_BAD_SIGNATURE', cause: 'JWS_BAD_SIGNATURE' },
    },
    {
      name: 'batch-not-a-batch',
      why: "A batched statement whose batch JWS is a statement of lab's (typ entente-result+jws), not a batch.",
      jws: [...batch[0]!.slice(0, 3), good.jws].join('.'),
      expect: expectBatched(0),
      error: { code: 'RECEIPT_MALFORMED', cause: 'JWS_MALFORMED' },
    },
    {
      name: 'batch-of-one',
      why: 'A batch of size 1 (its root the leaf itself, an empty path): a statement signed alone must be in the single form.',
      jws: [...batch[0]!.slice(0, 2), Buffer.alloc(4).toString('base64url'), batchPayload({ root: leaf0.toString('base64url'), size: 1 })].join('.'),
      expect: expectBatched(0),
      error: { code: 'RECEIPT_MALFORMED', cause: 'JWS_MALFORMED' },
    },
    {
      name: 'batch-five-parts',
      why: 'Neither form: five dot-separated parts.',
      jws: batch[0]!.slice(0, 5).join('.'),
      expect: expectBatched(0),
      error: { code: 'RECEIPT_MALFORMED', cause: 'JWS_MALFORMED' },
    },
    {
      name: 'tampered-payload',
      why: 'The payload was changed after signing (another result_digest); the signature no longer covers it.',
      jws: tampered,
      expect: expectResult,
      error: { code: 'RECEIPT_BAD_SIGNATURE', cause: 'JWS_BAD_SIGNATURE' },
    },
    {
      name: 'non-canonical-member-order',
      why: 'Validly signed, but the payload members are not in RFC 8785 order.',
      jws: rawLabJws({ alg: 'EdDSA', kid: labKid, typ: resultTyp }, JSON.stringify({ v: 1, kind: 'result', ...goodPayload })),
      expect: expectResult,
      error: { code: 'RECEIPT_MALFORMED', cause: 'JWS_NOT_CANONICAL' },
    },
    {
      name: 'non-canonical-whitespace',
      why: 'Validly signed, but the payload has insignificant whitespace.',
      jws: rawLabJws({ alg: 'EdDSA', kid: labKid, typ: resultTyp }, canonicalize(goodPayload).replace(/,"/g, ', "')),
      expect: expectResult,
      error: { code: 'RECEIPT_MALFORMED', cause: 'JWS_NOT_CANONICAL' },
    },
    {
      name: 'non-canonical-escape',
      why: 'Validly signed, but a string is escaped where JCS writes the character itself ("\\u006c" for "l").',
      jws: rawLabJws({ alg: 'EdDSA', kid: labKid, typ: resultTyp }, canonicalize(goodPayload).replace('"lab"', '"\\u006cab"')),
      expect: expectResult,
      error: { code: 'RECEIPT_MALFORMED', cause: 'JWS_NOT_CANONICAL' },
    },
    {
      name: 'non-canonical-number',
      why: 'Validly signed, but iat is written 1767225601.0, which JCS writes 1767225601.',
      jws: rawLabJws({ alg: 'EdDSA', kid: labKid, typ: resultTyp }, canonicalize(goodPayload).replace(`"iat":${T0 + 1}`, `"iat":${T0 + 1}.0`)),
      expect: expectResult,
      error: { code: 'RECEIPT_MALFORMED', cause: 'JWS_NOT_CANONICAL' },
    },
    {
      name: 'wrong-typ-not-a-receipt',
      why: 'The header typ is "JWT", not a receipt typ.',
      jws: withPayload(goodPayload, { alg: 'EdDSA', kid: labKid, typ: 'JWT' }),
      expect: expectResult,
      error: { code: 'RECEIPT_MALFORMED' },
    },
    {
      name: 'missing-typ',
      why: 'The header has no typ.',
      jws: withPayload(goodPayload, { alg: 'EdDSA', kid: labKid }),
      expect: expectResult,
      error: { code: 'RECEIPT_MALFORMED' },
    },
    {
      name: 'wrong-typ-other-kind',
      why: 'A result payload under the request typ: typ and kind must both name the expected kind.',
      jws: withPayload(goodPayload, { alg: 'EdDSA', kid: labKid, typ: STATEMENT_TYP.request }),
      expect: expectResult,
      error: { code: 'RECEIPT_WRONG_KIND' },
    },
    {
      name: 'wrong-kind-expected',
      why: 'A valid result statement presented where an ack was expected.',
      jws: good.jws,
      expect: { kind: 'ack', signer_org: 'lab' },
      error: { code: 'RECEIPT_WRONG_KIND' },
    },
    {
      name: 'alg-none',
      why: 'alg "none" (an unsigned JWS) is never accepted.',
      jws: `${Buffer.from(JSON.stringify({ alg: 'none', kid: labKid, typ: resultTyp })).toString('base64url')}.${gp}.`,
      expect: expectResult,
      error: { code: 'RECEIPT_BAD_SIGNATURE', cause: 'JWS_ALG_NOT_ALLOWED' },
    },
    {
      name: 'alg-mismatch',
      why: "The header says ES256 but lab's key under this kid is Ed25519: the key decides the algorithm, not the header.",
      jws: withPayload(goodPayload, { alg: 'ES256', kid: labKid, typ: resultTyp }),
      expect: expectResult,
      error: { code: 'RECEIPT_BAD_SIGNATURE', cause: 'JWS_ALG_MISMATCH' },
    },
    {
      name: 'unknown-kid',
      why: 'The kid is not a receipt key of any known organization.',
      jws: withPayload(goodPayload, { alg: 'EdDSA', kid: 'nobody-test-ed25519', typ: resultTyp }),
      expect: expectResult,
      error: { code: 'RECEIPT_UNKNOWN_KEY', cause: 'JWS_UNKNOWN_KEY' },
    },
    {
      name: 'crit-header',
      why: 'A crit header parameter: receipts define none, so any crit must fail (RFC 7515 section 4.1.11).',
      jws: withPayload(goodPayload, { alg: 'EdDSA', crit: ['exp'], exp: 1, kid: labKid, typ: resultTyp }),
      expect: expectResult,
      error: { code: 'RECEIPT_MALFORMED', cause: 'JWS_MALFORMED' },
    },
    {
      name: 'non-canonical-base64url-signature',
      why: 'The last signature character differs only in its unused low bits: same bytes, but not the canonical encoding, so it is refused (otherwise one statement would have several texts and digests).',
      jws: nonCanonicalSig,
      expect: expectResult,
      error: { code: 'RECEIPT_BAD_SIGNATURE', cause: 'JWS_BAD_SIGNATURE' },
    },
    {
      name: 'padded-base64url-payload',
      why: 'The payload part carries "=" padding (signed that way): JWS uses unpadded base64url only.',
      jws: paddedPayload,
      expect: expectResult,
      error: { code: 'RECEIPT_MALFORMED', cause: 'JWS_MALFORMED' },
    },
    {
      name: 'signed-by-another-org',
      why: "A valid statement of lab's presented as hospital's: the kid belongs to another known organization.",
      jws: good.jws,
      expect: { kind: 'result', signer_org: 'hospital' },
      error: { code: 'RECEIPT_WRONG_SIGNER', cause: 'JWS_UNKNOWN_KEY' },
    },
    {
      name: 'from-is-not-the-signer',
      why: "Signed with lab's key but claims to be from hospital.",
      jws: withPayload({ ...goodPayload, from: 'hospital', to: 'lab' }),
      expect: { kind: 'result', signer_org: 'lab' },
      error: { code: 'RECEIPT_WRONG_SIGNER' },
    },
    {
      name: 'wrong-recipient',
      why: 'Addressed to another organization than the verifier expects.',
      jws: good.jws,
      expect: { ...expectResult, recipient_org: 'clinic' },
      error: { code: 'RECEIPT_WRONG_RECIPIENT' },
    },
    {
      name: 'other-task',
      why: 'About another task than the verifier expects.',
      jws: good.jws,
      expect: { ...expectResult, task_id: DENIED_TASK },
      error: { code: 'RECEIPT_TASK_MISMATCH' },
    },
    {
      name: 'unknown-member',
      why: 'v1 payloads are closed: a member the schema does not define is refused.',
      jws: withPayload({ ...goodPayload, note: 'extra' }),
      expect: expectResult,
      error: { code: 'RECEIPT_MALFORMED' },
    },
    {
      name: 'unknown-version',
      why: 'v must be 1.',
      jws: withPayload({ ...goodPayload, v: 2 }),
      expect: expectResult,
      error: { code: 'RECEIPT_MALFORMED' },
    },
    {
      name: 'completed-without-result-digest',
      why: 'A completed result must carry result_digest.',
      jws: withPayload(Object.fromEntries(Object.entries(goodPayload).filter(([k]) => k !== 'result_digest'))),
      expect: expectResult,
      error: { code: 'RECEIPT_MALFORMED' },
    },
    {
      name: 'denied-with-result-digest',
      why: 'Only a completed result may carry result_digest.',
      jws: withPayload({ ...goodPayload, status: 'denied', reason: 'disclosure_denied' }),
      expect: expectResult,
      error: { code: 'RECEIPT_MALFORMED' },
    },
  ];

  const otherRequestDigest = sha256Digest('not the request statement');
  const brokenResult = signResult(ctx.lab, { ...good.payload, request_digest: otherRequestDigest });
  const brokenAck = ctx.stable(
    'hospital',
    signAck(ctx.hospital, { ...chain.ack.payload, result_statement_digest: brokenResult.digest }),
  );
  const triples = [
    {
      name: 'result-cites-another-request',
      why: "The result's request_digest is not the digest of this request statement.",
      request: chain.request.jws,
      result: brokenResult.jws,
      ack: chain.ack.jws,
      parties: { requester: 'hospital', responder: 'lab' },
      error: { code: 'RECEIPT_CHAIN_BROKEN' },
    },
    {
      name: 'ack-cites-another-result',
      why: "The ack's result_statement_digest is not the digest of this result statement.",
      request: chain.request.jws,
      result: good.jws,
      ack: brokenAck.jws,
      parties: { requester: 'hospital', responder: 'lab' },
      error: { code: 'RECEIPT_CHAIN_BROKEN' },
    },
    {
      name: 'parties-swapped',
      why: 'Checked as if lab had been the requester: the request is not signed by lab.',
      request: chain.request.jws,
      result: good.jws,
      ack: chain.ack.jws,
      parties: { requester: 'lab', responder: 'hospital' },
      error: { code: 'RECEIPT_WRONG_SIGNER' },
    },
  ];

  const digests = [
    {
      name: 'other-input',
      why: 'A disclosed input that is not the one digested.',
      salt: SALT,
      input: '{"condition":"E11.9","max_age":64,"since":"2026-01-01","site":"Zürich"}',
      input_digest: chain.request.payload.input_digest,
      error: { code: 'RECEIPT_DIGEST_MISMATCH' },
    },
    {
      name: 'other-salt',
      why: 'The right input with another salt.',
      salt: Buffer.from('another-salt-16b', 'ascii').toString('base64url'),
      input: INPUT_WIRE,
      input_digest: chain.request.payload.input_digest,
      error: { code: 'RECEIPT_DIGEST_MISMATCH' },
    },
    {
      name: 'salt-too-short',
      why: 'A salt must be 16-128 base64url characters.',
      salt: 'c2hvcnQ',
      input: INPUT_WIRE,
      input_digest: chain.request.payload.input_digest,
      error: { code: 'RECEIPT_DIGEST_MISMATCH', cause: 'SALT_INVALID' },
    },
  ];

  return {
    type: 'negative',
    WARNING,
    description:
      'Statements, triples and disclosed inputs that must fail, each with the error code our verifier reports (and, where the cause is a JWS check, the underlying code). ' +
      '`expect` says what the verifier is told: the kind expected, whose keys must have signed it (signer_org), and optionally the recipient and task id. ' +
      'Signed ones are signed with the test keys of keys.json, so only the named defect is wrong.',
    statements,
    triples,
    digests,
  };
}

const BATCH_TASKS = ['3f9a1c7e-5b2d-4e8f-a1c6-9d0b7e4f2a18', '8c2e6b4a-1f7d-4a9c-b3e5-6a0d2f8c1e97', 'a5d0f3b9-7c1e-4b6a-8e2f-4c9b1d7a3f60'];

/** Three result statements lab signed with one signature (protocol.md §5.9); EdDSA, so reproducible. */
export function batchStatements(ctx: { readonly lab: SigningKey }): { payloads: Record<string, unknown>[]; inputs: string[]; jws: string[] } {
  const payloads = BATCH_TASKS.map(
    (taskId, i) =>
      signResult(ctx.lab, {
        task_id: taskId,
        from: 'lab',
        to: 'hospital',
        request_digest: sha256Digest(`request ${i}`),
        status: 'completed',
        result_digest: saltedDigest(SALT, { count: i + 1 }),
        inbound: { decision_id: `inbound-${i}`, policy_revision: REVISION_B },
        disclosure: { decision_id: `disclosure-${i}`, policy_revision: REVISION_B },
        iat: T0 + 5,
      }).payload as unknown as Record<string, unknown>,
  );
  const inputs = payloads.map((p) => ctx.lab.signingInput(p, STATEMENT_TYP.result));
  return { payloads, inputs, jws: signBatch(ctx.lab, inputs) };
}

function batchVector(ctx: Context): Record<string, unknown> {
  const { payloads, inputs, jws } = batchStatements(ctx);
  const [bh, bp] = jws[0]!.split('.').slice(3) as [string, string, string];
  const hex = (b: Buffer) => b.toString('hex');
  return {
    type: 'batch',
    WARNING,
    description:
      'Three result statements lab (EdDSA) signed as one batch (protocol.md §5.9): one signature over the RFC 9162 Merkle root of their signing inputs. ' +
      'Each statement is header.payload.proof.batch-JWS; its leaf hash is SHA-256(0x00 || signing input); the proof is a 4-byte big-endian index and the audit path. ' +
      'Ed25519 is deterministic: signing the same three inputs as a batch with lab\'s key gives these statements byte for byte.',
    signer: 'lab',
    kid: ctx.lab.kid,
    batch: {
      typ: BATCH_TYP,
      protected_header: Buffer.from(bh, 'base64url').toString('utf8'),
      payload_canonical: Buffer.from(bp, 'base64url').toString('utf8'),
      jws: jws[0]!.split('.').slice(3).join('.'),
    },
    statements: jws.map((text, i) => {
      const proof = Buffer.from(text.split('.')[2]!, 'base64url');
      return {
        task_id: BATCH_TASKS[i],
        payload: payloads[i],
        signing_input: inputs[i],
        leaf_hash_hex: hex(createHash('sha256').update(Buffer.from([0])).update(inputs[i]!, 'ascii').digest()),
        proof_index: proof.readUInt32BE(0),
        proof_path_hex: Array.from({ length: (proof.length - 4) / 32 }, (_, k) => hex(proof.subarray(4 + 32 * k, 36 + 32 * k))),
        jws: text,
        digest: sha256Digest(text),
      };
    }),
  };
}

function main(): void {
  const vectors = makeVectors(readVectors());
  mkdirSync(VECTORS_DIR, { recursive: true });
  for (const [name, doc] of vectors) writeFileSync(join(VECTORS_DIR, name), formatVector(doc));
  process.stdout.write(`wrote ${vectors.size} files to ${VECTORS_DIR}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
