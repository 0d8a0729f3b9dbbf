import { parse } from './args.js';
import { CONNECT_OPTIONS, CONNECT_USAGE, connectControl } from './connect.js';
import { table } from './output.js';

const USAGE = `entente status ${CONNECT_USAGE} [--json]`;

/** What the running gateway reports about itself and its partners. */
export async function status(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...CONNECT_OPTIONS, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, USAGE);
  if (values.help) {
    process.stdout.write(`usage: ${USAGE}\n`);
    return 0;
  }
  const client = connectControl(values);
  try {
    const s = await client.status();
    if (values.json) {
      process.stdout.write(JSON.stringify(s, null, 2) + '\n');
      return 0;
    }
    const day = (d: Date | undefined) => (d === undefined ? '-' : d.toISOString().slice(0, 10));
    process.stdout.write(
      [
        `${s.org}  entente ${s.version}  serving partners on ${s.federationAddress} since ${s.startedAt?.toISOString() ?? '?'}`,
        `policy revision ${s.policyRevision}`,
        `TLS certificate expires ${day(s.certificateExpiresAt)}`,
        '',
        s.capabilities.length === 0
          ? 'capabilities: none (register agents in the config)'
          : table([['CAPABILITY', 'AGENT', 'DESCRIPTION'], ...s.capabilities.map((c) => [c.name, c.agent, c.description])]).trimEnd(),
        '',
        s.partners.length === 0
          ? 'partners: none (entente certs import adds one)'
          : table([
              ['PARTNER', 'ADDRESS', 'REACHABILITY', 'LAST SEEN', 'CA EXPIRES', 'CERT EXPIRES', 'LAST ERROR'],
              ...s.partners.map((p) => [
                p.org,
                p.address,
                p.reachability,
                p.lastSeenAt?.toISOString() ?? '-',
                day(p.caExpiresAt),
                day(p.certificateExpiresAt),
                p.lastError ?? '',
              ]),
            ]).trimEnd(),
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    client.close();
  }
}
