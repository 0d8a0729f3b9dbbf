import { describe, expect, it } from 'vitest';
import { AgentError } from '../../../gateway/src/agents/index.js';
import { AuditError, ReceiptError, ReceiptMalformedError } from '../../../gateway/src/audit/index.js';
import { CliError } from '../../../gateway/src/cli/errors.js';
import { UsageError } from '../../../gateway/src/cli/args.js';
import { ConfigError } from '../../../gateway/src/config/index.js';
import { CryptoError } from '../../../gateway/src/crypto/index.js';
import { EntenteError } from '../../../gateway/src/lib/index.js';
import { PeerIdentityError, PkiError } from '../../../gateway/src/pki/index.js';
import { PolicyError } from '../../../gateway/src/policy/index.js';
import { StoreError } from '../../../gateway/src/store/index.js';
import { TaskError } from '../../../gateway/src/tasks/index.js';

describe('EntenteError', () => {
  class ExampleError extends EntenteError<'EXAMPLE_FAILED'> {}

  it('keeps the code, the message and the cause', () => {
    const cause = new RangeError('root');
    const err = new ExampleError('EXAMPLE_FAILED', 'example failed; do this instead', { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('EXAMPLE_FAILED');
    expect(err.message).toBe('example failed; do this instead');
    expect(err.cause).toBe(cause);
  });

  it('takes its name from the subclass, so logs say which condition', () => {
    expect(new ExampleError('EXAMPLE_FAILED', 'm').name).toBe('ExampleError');
    expect(new ReceiptMalformedError('m').name).toBe('ReceiptMalformedError');
    expect(new TaskError('internal').name).toBe('TaskError');
  });

  it('has no cause unless one is given', () => {
    expect(Object.hasOwn(new ExampleError('EXAMPLE_FAILED', 'm'), 'cause')).toBe(false);
  });

  it('is the base of every folder\'s errors', () => {
    const bases = [AgentError, AuditError, ReceiptError, CliError, UsageError, ConfigError, CryptoError, PkiError, PeerIdentityError, PolicyError, StoreError, TaskError];
    expect(bases.filter((B) => !(B.prototype instanceof EntenteError)).map((B) => B.name)).toEqual([]);
  });

  it('gives the subclasses that fix their code a code', () => {
    expect(new ConfigError('entente.yaml', ['org: required'])).toMatchObject({ code: 'CONFIG_INVALID', source: 'entente.yaml' });
    expect(new UsageError('missing --org')).toMatchObject({ code: 'CLI_USAGE', name: 'UsageError' });
    expect(new PeerIdentityError('PEER_REVOKED', 'm')).toBeInstanceOf(PkiError);
  });
});
