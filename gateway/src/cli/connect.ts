import { readFileSync } from 'node:fs';
import { ControlCallError, EntenteClient } from '@entente/sdk';
import { loadConfig } from '../config/index.js';
import { UsageError } from './args.js';

const GROUP = 'connecting to the running gateway (one of --config, --socket, --address)';

/** The options every command that talks to a running gateway accepts. */
export const CONNECT_OPTIONS = {
  config: { type: 'string', short: 'c', arg: '<gateway.yaml>', help: "the gateway's config: its control socket is found from there", group: GROUP },
  socket: { type: 'string', arg: '<path>', help: "the gateway's control socket (<dataDir>/control.sock by default)", group: GROUP },
  address: { type: 'string', arg: '<host:port>', help: "the gateway's control.listen, over mutual TLS with the three below", group: GROUP },
  ca: { type: 'string', arg: '<org-ca.pem>', help: "your organization's CA certificate (certs/<org>/ca.pem)", group: GROUP },
  cert: { type: 'string', arg: '<client.pem>', help: 'a client certificate from entente certs issue-client', group: GROUP },
  key: { type: 'string', arg: '<client.key.pem>', help: "that certificate's key", group: GROUP },
} as const;

export const CONNECT_USAGE = '(--config <gateway.yaml> | --socket <path> | --address <host:port> --ca <pem> --cert <pem> --key <pem>)';

type ConnectValues = { readonly [K in keyof typeof CONNECT_OPTIONS]?: string | undefined };

/**
 * Runs `use` with a client of the running gateway's control API: its Unix socket (found from
 * --config, or given with --socket), or a TCP address with a client certificate from
 * `certs issue-client`. An argument the gateway refuses as malformed is a usage error.
 */
export async function withGateway<T>(values: ConnectValues, use: (client: EntenteClient) => Promise<T>): Promise<T> {
  const client = connect(values);
  try {
    return await use(client);
  } catch (err) {
    if (err instanceof ControlCallError && err.code === 'INVALID_ARGUMENT') throw new UsageError(err.message, { cause: err });
    throw err;
  } finally {
    client.close();
  }
}

function connect(values: ConnectValues): EntenteClient {
  if (values.address !== undefined) {
    const missing = (['ca', 'cert', 'key'] as const).filter((k) => values[k] === undefined);
    if (missing.length > 0) throw new UsageError(`--address needs ${missing.map((m) => `--${m}`).join(', ')} (a client certificate from entente certs issue-client)`);
    const read = (flag: 'ca' | 'cert' | 'key'): string => {
      try {
        return readFileSync(values[flag]!, 'utf8');
      } catch (err) {
        throw new UsageError(`--${flag} ${values[flag]}: cannot read it: ${(err as Error).message}`);
      }
    };
    return EntenteClient.connect({ address: values.address, ca: read('ca'), cert: read('cert'), key: read('key') });
  }
  if (values.socket !== undefined) return EntenteClient.connect({ socket: values.socket });
  if (values.config !== undefined) return EntenteClient.connect({ socket: loadConfig(values.config).control.socket });
  throw new UsageError('say which gateway: --config <gateway.yaml>, --socket <path>, or --address with --ca, --cert and --key');
}
