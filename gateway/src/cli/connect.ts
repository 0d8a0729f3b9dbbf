import { readFileSync } from 'node:fs';
import { EntenteClient } from '@entente/sdk';
import { loadConfig } from '../config/index.js';
import { UsageError } from './args.js';

/** The options every command that talks to a running gateway accepts. */
export const CONNECT_OPTIONS = {
  config: { type: 'string', short: 'c' },
  socket: { type: 'string' },
  address: { type: 'string' },
  ca: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
} as const;

export const CONNECT_USAGE =
  '(--config <gateway.yaml> | --socket <path> | --address <host:port> --ca <org-ca.pem> --cert <client.pem> --key <client.key.pem>)';

/**
 * A client of the running gateway's control API: its Unix socket (found from --config, or
 * given with --socket), or a TCP address with a client certificate from `certs issue-client`.
 */
export function connectControl(values: {
  config?: string | undefined;
  socket?: string | undefined;
  address?: string | undefined;
  ca?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
}): EntenteClient {
  if (values.address !== undefined) {
    const missing = (['ca', 'cert', 'key'] as const).filter((k) => values[k] === undefined);
    if (missing.length > 0) throw new UsageError(`--address needs ${missing.map((m) => `--${m}`).join(', ')} (a client certificate from entente certs issue-client)`);
    const read = (flag: 'ca' | 'cert' | 'key'): string => {
      try {
        return readFileSync(values[flag]!, 'utf8');
      } catch (err) {
        throw new UsageError(`--${flag}: cannot read ${values[flag]}: ${(err as Error).message}`);
      }
    };
    return EntenteClient.connect({ address: values.address, ca: read('ca'), cert: read('cert'), key: read('key') });
  }
  if (values.socket !== undefined) return EntenteClient.connect({ socket: values.socket });
  if (values.config !== undefined) return EntenteClient.connect({ socket: loadConfig(values.config).control.socket });
  throw new UsageError(`say which gateway: ${CONNECT_USAGE}`);
}
