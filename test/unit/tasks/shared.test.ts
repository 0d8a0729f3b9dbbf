import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../../gateway/src/crypto/index.js';
import { parseJsonPayload, recordStatement } from '../../../gateway/src/tasks/shared.js';
import { completedTask, federation } from '../audit/fixtures.js';
import { TaskError } from '../../../gateway/src/tasks/errors.js';

const LIMITS = { maxBytes: 4096, maxDepth: 8 };
const parse = (text: string) => parseJsonPayload(Buffer.from(text, 'utf8'), LIMITS, 'input');

describe('parseJsonPayload', () => {
  it('gives the value and its canonical form, whether the text came canonical or not', () => {
    const value = { name: 'Ada', visits: [1, 2.5, 1e21], notes: { b: 'é', a: null } };
    for (const text of [canonicalize(value), JSON.stringify(value), JSON.stringify(value, null, 2), '{"visits":[1,2.50,1E21],"notes":{"a":null,"b":"\\u00e9"},"name":"Ada"}']) {
      const parsed = parse(text);
      expect(parsed.value, text).toEqual(value);
      expect(parsed.canonical.text, text).toBe(canonicalize(value));
    }
  });

  it('refuses a text without a canonical form, naming why', () => {
    const refused = (() => {
      try {
        parse('{"a":"\\ud800"}');
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(refused).toBeInstanceOf(TaskError);
    expect((refused as TaskError).reason).toBe('request_invalid');
    expect((refused as TaskError).message).toMatch(/^the input has no canonical JSON form \(RFC 8785\): .*lone/);
  });
});

describe('recordStatement', () => {
  it('records a statement as it was signed or verified exactly as it records its JWS text', () => {
    const t = completedTask(federation());
    for (const [kind, signed, signer] of [['request', t.request, 'hospital'], ['result', t.resultStatement, 'lab'], ['ack', t.ack, 'hospital']] as const) {
      const fromText = recordStatement('task-1', kind, signer, 'lab', signed.jws, 1000);
      expect(recordStatement('task-1', kind, signer, 'lab', signed, 1000), kind).toEqual(fromText);
      expect(fromText.kid).not.toBe('');
    }
  });
});
