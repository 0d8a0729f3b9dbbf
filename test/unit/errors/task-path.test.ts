import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as agents from '../../../gateway/src/agents/index.js';
import * as audit from '../../../gateway/src/audit/index.js';
import * as crypto from '../../../gateway/src/crypto/index.js';
import { EntenteError } from '../../../gateway/src/lib/index.js';
import * as pki from '../../../gateway/src/pki/index.js';
import * as policy from '../../../gateway/src/policy/index.js';
import * as store from '../../../gateway/src/store/index.js';
import * as tasks from '../../../gateway/src/tasks/index.js';
import { REPO } from '../../support/paths.js';

const SRC = join(REPO, 'gateway/src');

/** The task path: everything a task passes through between two gateways. */
const TASK_PATH = [
  ...['tasks', 'agents', 'federation'].flatMap((dir) =>
    readdirSync(join(SRC, dir))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(SRC, dir, f)),
  ),
];

/** Every error class the task path may construct: the coded errors of the folders it uses. */
const CODED = new Set(
  [agents, audit, crypto, pki, policy, store, tasks]
    .flatMap((m) => Object.entries(m as Record<string, unknown>))
    .filter(([, v]) => typeof v === 'function' && (v as { prototype: unknown }).prototype instanceof EntenteError)
    .map(([name]) => name),
);

/** `new XError(` and `new Error(` constructions, with where they are. */
function constructions(file: string): { where: string; name: string }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, i) =>
      [...line.matchAll(/\bnew\s+((?:[A-Za-z_$][\w$]*)?Error)\s*\(/g)].map((m) => ({ where: `${relative(SRC, file)}:${i + 1}`, name: m[1]! })),
    );
}

describe('errors on the task path', () => {
  it('looks at the task path sources', () => {
    expect(TASK_PATH.map((f) => relative(SRC, f))).toEqual(
      expect.arrayContaining(['tasks/requester.ts', 'tasks/responder.ts', 'agents/registry.ts', 'federation/server.ts', 'tasks/receipts.ts']),
    );
    expect([...CODED]).toEqual(expect.arrayContaining(['TaskError', 'AgentError', 'PeerIdentityError', 'ReceiptMalformedError']));
  });

  it('constructs no plain Error (or TypeError, RangeError ...): every error carries a code', () => {
    const plain = TASK_PATH.flatMap(constructions)
      .filter((c) => !CODED.has(c.name))
      .map((c) => `${c.where}: new ${c.name}(`);
    expect(plain).toEqual([]);
  });
});
