import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, type LoggerOptions } from '../../../gateway/src/observability/index.js';

/** A destination that keeps what was written, optionally claiming to be a terminal. */
function capture(isTTY = false): { lines: string[]; destination: NonNullable<LoggerOptions['destination']> } {
  const lines: string[] = [];
  return { lines, destination: { isTTY, write: (chunk: string) => void lines.push(...chunk.split('\n').filter((l) => l !== '')) } };
}

const SECRET = 'patient 4711, born 1961-02-03';

function logEverything(opts: LoggerOptions): void {
  const log = createLogger({ org: 'bank-a', level: 'info', ...opts });
  log.info({ listen: '127.0.0.1:7443', control: { socket: '/srv/entente/control.sock' }, partners: ['bank-b', 'bank-c'], agents: [] }, 'gateway serving');
  log.warn(
    {
      task_id: 't-1',
      input: { who: SECRET },
      result: SECRET,
      outcome: { payload: SECRET, key: SECRET },
      err: Object.assign(new Error('the partner refused', { cause: new Error('deep detail') }), { code: 'inbound_denied' }),
    },
    'task failed',
  );
}

describe('createLogger', () => {
  const noColor = process.env['NO_COLOR'];
  afterEach(() => {
    if (noColor === undefined) delete process.env['NO_COLOR'];
    else process.env['NO_COLOR'] = noColor;
  });

  describe('with format pretty', () => {
    it('writes one readable line per event: time, level, org, message, then key=value with nested keys dotted', () => {
      const { lines, destination } = capture();
      logEverything({ format: 'pretty', destination });
      expect(lines[0]).toMatch(
        /^\d\d:\d\d:\d\d\.\d{3} INFO {2}\[bank-a\] gateway serving listen=127\.0\.0\.1:7443 control\.socket=\/srv\/entente\/control\.sock partners=\[bank-b,bank-c\] agents=\[\]$/,
      );
      expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}\[bank-a\] task failed task_id=t-1 /);
      expect(lines[1]).toContain('err.message="the partner refused" err.code=inbound_denied err.cause.type=Error err.cause.message="deep detail"');
    });

    it('keeps the redaction and the error serializer of the JSON format: no payload, secret or stack reaches the line', () => {
      const { lines, destination } = capture();
      logEverything({ format: 'pretty', destination });
      expect(lines[1]).toContain('input="[redacted]" result="[redacted]" outcome.payload="[redacted]" outcome.key="[redacted]"');
      expect(lines.join('\n')).not.toContain('4711');
      expect(lines.join('\n')).not.toMatch(/\bat .*\.ts:\d+/);
    });

    it('colours the level only on a terminal, and not when NO_COLOR is set', () => {
      const tty = capture(true);
      logEverything({ format: 'pretty', destination: tty.destination });
      expect(tty.lines[0]).toContain('\u001b[32mINFO \u001b[0m');
      process.env['NO_COLOR'] = '1';
      const plain = capture(true);
      logEverything({ format: 'pretty', destination: plain.destination });
      expect(plain.lines[0]).not.toContain('\u001b[');
    });
  });

  describe('with format auto', () => {
    it('is pretty on a terminal', () => {
      const { lines, destination } = capture(true);
      logEverything({ format: 'auto', destination });
      expect(lines[0]).toMatch(/gateway serving/);
      expect(() => JSON.parse(lines[0]!)).toThrow();
    });

    it('is JSON anywhere else (a pipe, a file, a collector)', () => {
      const { lines, destination } = capture(false);
      logEverything({ format: 'auto', destination });
      expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, org: 'bank-a', msg: 'gateway serving', partners: ['bank-b', 'bank-c'] });
      expect(JSON.parse(lines[1]!)).toMatchObject({ input: '[redacted]', outcome: { payload: '[redacted]' } });
    });
  });

  it('censors payloads and secrets at the top and one level down, in child bindings too, without touching what the caller logged', () => {
    const { lines, destination } = capture();
    const log = createLogger({ org: 'bank-a', destination });
    const fields = { task_id: 't-1', jws: SECRET, outcome: { status: 'completed', salt: SECRET, privateKey: SECRET }, partners: [{ key: 'k' }], deep: { a: { input: 'kept: two levels down' } } };
    log.info(fields, 'task');
    log.child({ input: SECRET, run: { payload: SECRET, step: 2 } }).info('step');
    log.child({ task_id: 't-2' }).child({ salt: SECRET }).info({ result: SECRET }, 'nested');
    expect(JSON.parse(lines[0]!)).toEqual(
      expect.objectContaining({ task_id: 't-1', jws: '[redacted]', outcome: { status: 'completed', salt: '[redacted]', privateKey: '[redacted]' }, deep: { a: { input: 'kept: two levels down' } } }),
    );
    expect(JSON.parse(lines[1]!)).toMatchObject({ input: '[redacted]', run: { payload: '[redacted]', step: 2 }, msg: 'step' });
    expect(JSON.parse(lines[2]!)).toMatchObject({ task_id: 't-2', salt: '[redacted]', result: '[redacted]' });
    expect(lines.join('\n')).not.toContain('4711');
    expect(fields.jws).toBe(SECRET);
    expect(fields.outcome.salt).toBe(SECRET);
  });

  it('censors them wherever else a line can carry them: a message object, printf arguments, errors under any key, bindings set later, what toJSON shows', () => {
    const { lines, destination } = capture();
    const log = createLogger({ org: 'bank-a', destination });
    log.info({ a: 1 }, { payload: SECRET } as never);
    log.info('got %j', { payload: SECRET });
    log.info('got %o', { jws: SECRET });
    log.info({ error: Object.assign(new Error('boom'), { payload: SECRET, key: SECRET }) }, 'failed');
    const child = log.child({ task_id: 't-3' });
    child.setBindings({ payload: SECRET });
    child.info('later');
    class Signer {
      readonly key = SECRET;
      toJSON(): unknown {
        return { id: 1 };
      }
    }
    log.info({ signer: new Signer() }, 'shown by toJSON');
    expect(lines).toHaveLength(6);
    expect(lines.join('\n')).not.toContain('4711');
    expect(JSON.parse(lines[5]!)).toMatchObject({ signer: { id: 1 } });
  });

  it('writes JSON when no format is given, as a library user expects', () => {
    const { lines, destination } = capture(true);
    logEverything({ destination });
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'gateway serving' });
  });
});
