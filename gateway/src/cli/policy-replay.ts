import { readFileSync } from 'node:fs';
import { SealingKey, CryptoError } from '../crypto/index.js';
import type { DecisionOutcome, Replay } from '../policy/index.js';
import { UsageError } from './args.js';
import { defineCommand } from './command.js';
import { CliError } from './errors.js';
import { EXIT } from './exit-codes.js';

const FORMATS = ['pretty', 'json'] as const;

/**
 * `entente policy replay`: a recorded decision, evaluated again under the revision it cites,
 * from the store the config names, read-only: it works beside a running gateway or without
 * one, so an auditor needs nothing of the gateway.
 */
export const replayCommand = defineCommand(
  {
    name: 'policy replay',
    summary: 'evaluate a recorded policy decision again under the revision it cites, and say whether the outcome is the same',
    usage: ['--config <gateway.yaml> [--input <input.json>] [--key-file <file>] [--format pretty|json] <decision-id>'],
    description: [
      'Reads the decision from the store of the gateway the config names (read-only; the gateway may be running',
      'or not), loads the policy revision it cites from the content the store keeps for it (never from the',
      'policy files on disk now), and evaluates it at the time of the decision with the decision\'s input:',
      'the input kept for it when audit.retention was enabled (opened with the config\'s key, or --key-file),',
      'or the input given with --input, which must match the salted digest recorded with the decision.',
      'It compares allow, reasons, require_approval and the digest of the payload that may leave (the card:',
      'the capabilities shown) and prints SAME or DIFFERENT. Receipts cite the decision ids of a task',
      '(entente receipts show: outbound in the request, inbound and disclosure in the result); the log cites the card\'s.',
    ],
    options: {
      config: { type: 'string', short: 'c', arg: '<gateway.yaml>', help: "the gateway's config: its dataDir holds the store, audit.retention the key" },
      input: { type: 'string', short: 'i', arg: '<input.json>', help: "the decision's whole input document, when it was not kept (checked against the recorded digest)" },
      'key-file': { type: 'string', arg: '<file>', help: 'the retention key that sealed the input, when the config does not hold it (base64 or the 32 bytes)' },
      format: { type: 'string', short: 'f', arg: 'pretty|json', help: 'pretty: lines for a person (default); json: one object' },
    },
    maxArgs: 1,
    examples: [
      ['replay the outbound decision a receipt cites, from the retained input', 'entente policy replay --config entente.yaml 3f0c2a9e-1b7d-4c55-9a0e-6f1d2b8c4e71'],
      ['the same, with the input you hold (retention was off), as JSON', 'entente policy replay -c entente.yaml --input request.json --format json 3f0c2a9e-1b7d-4c55-9a0e-6f1d2b8c4e71'],
    ],
    exits: [
      [EXIT.ok, 'SAME: the revision decides as recorded'],
      [EXIT.error, 'no such decision, its revision or input is not at hand, the input does not match the digest, a bad config or file'],
      [EXIT.usage, 'no decision id or --config, an unknown --format'],
      [EXIT.unverified, 'DIFFERENT: the revision does not decide as recorded (each difference is printed)'],
    ],
  },
  async ({ values, positionals }) => {
    const decisionId = positionals[0];
    if (decisionId === undefined) throw new UsageError("missing <decision-id>: the decision_id a receipt cites (entente receipts show <task-id>)");
    if (values.config === undefined) throw new UsageError("missing --config <gateway.yaml>: the config of the gateway that made the decision (its dataDir holds the store)");
    const format = values.format ?? 'pretty';
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format ${format}: expected ${FORMATS.join(' or ')}`);
    const input = values.input === undefined ? undefined : readJsonFile('--input', values.input);
    const key = values['key-file'] === undefined ? undefined : readKeyFile(values['key-file']);
    // Loaded here: `entente policy eval` and `policy test` should not pay for the gateway.
    const [{ loadConfig }, { openOffline }] = await Promise.all([import('../config/index.js'), import('../gateway.js')]);
    const store = openOffline(loadConfig(values.config));
    let replay: Replay;
    try {
      replay = await store.replay(decisionId, { ...(input !== undefined ? { input } : {}), ...(key !== undefined ? { key } : {}) });
    } finally {
      await store.close();
    }
    process.stdout.write(format === 'json' ? JSON.stringify(replayJson(replay, values.input), null, 2) + '\n' : replayText(replay, values.input));
    return replay.same ? EXIT.ok : EXIT.unverified;
  },
);

function readJsonFile(flag: string, file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError('CLI_INPUT', `${flag} ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read it: ${(err as Error).message}`}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliError('CLI_INPUT', `${flag} ${file}: not valid JSON: ${(err as Error).message}`);
  }
}

function readKeyFile(file: string): SealingKey {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError('CLI_INPUT', `--key-file ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read it: ${(err as Error).message}`}`);
  }
  try {
    return SealingKey.fromFile(bytes);
  } catch (err) {
    if (!(err instanceof CryptoError)) throw err;
    throw new CliError('CLI_INPUT', `--key-file ${file}: ${err.message}`, { cause: err });
  }
}

function replayText(r: Replay, inputFile: string | undefined): string {
  const { record } = r;
  const input = r.input.source === 'retained' ? `retained (kept ${new Date(r.input.keptAt).toISOString()}), digest matches` : `given (${inputFile ?? '--input'}), digest matches`;
  const lines = [
    `decision  ${record.decisionId}`,
    `point     ${record.point}`,
    `revision  ${record.revision}`,
    `decided   ${new Date(record.decidedAt).toISOString()}`,
    `input     ${input}`,
    `recorded  ${outcomeText(record.outcome)}`,
    `replayed  ${outcomeText(r.replayed)}`,
    r.same ? 'SAME' : 'DIFFERENT',
    ...r.differences.map((d) => `  ${d}`),
  ];
  return lines.join('\n') + '\n';
}

function outcomeText(o: DecisionOutcome): string {
  if (o.kind === 'card') return `shows ${o.visible.length === 0 ? 'nothing' : o.visible.join(', ')}`;
  const parts = [o.allow ? 'allow' : 'deny', `reasons: ${o.reasons.length === 0 ? 'none' : o.reasons.join(', ')}`, `require_approval: ${o.requireApproval}`];
  if (o.payloadDigest !== undefined) parts.push(`payload: ${o.payloadDigest}`);
  return parts.join('  ');
}

function replayJson(r: Replay, inputFile: string | undefined) {
  const { record } = r;
  return {
    decision_id: record.decisionId,
    point: record.point,
    revision: record.revision,
    decided_at: new Date(record.decidedAt).toISOString(),
    input: r.input.source === 'retained' ? { source: 'retained', kept_at: new Date(r.input.keptAt).toISOString() } : { source: 'given', file: inputFile },
    recorded: outcomeJson(record.outcome),
    replayed: outcomeJson(r.replayed),
    result: r.same ? 'SAME' : 'DIFFERENT',
    differences: r.differences,
  };
}

function outcomeJson(o: DecisionOutcome) {
  if (o.kind === 'card') return { visible: o.visible };
  return { allow: o.allow, reasons: o.reasons, require_approval: o.requireApproval, ...(o.payloadDigest !== undefined ? { payload_digest: o.payloadDigest } : {}) };
}
