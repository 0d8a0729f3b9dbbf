import { defineCommand } from './command.js';
import { CONNECT_OPTIONS, CONNECT_USAGE, withGateway } from './connect.js';
import { EXIT } from './exit-codes.js';
import { table } from './output.js';

/** What the running gateway reports about itself and its partners. */
export const status = defineCommand(
  {
    name: 'status',
    summary: "the running gateway's org, policy revision, capabilities, partners' reachability and certificate expiry",
    usage: [`${CONNECT_USAGE} [--json]`],
    description: [
      "A partner's reachability is what this gateway saw on its last call to it (unknown before the",
      'first); expiry dates are those of the TLS certificates and of the CAs pinned for partners.',
    ],
    options: { json: { type: 'boolean', help: 'print JSON instead of text and tables' }, ...CONNECT_OPTIONS },
    examples: [
      ['the gateway set up in this directory', 'entente status --config entente.yaml'],
      [
        'from another machine, with a client certificate carrying the auditor role',
        'entente status --address gw.example.org:7444 --ca certs/bank-a/ca.pem --cert certs/bank-a/clients/ops.pem --key certs/bank-a/clients/ops.key.pem',
      ],
    ],
    exits: [
      [EXIT.ok, 'the gateway answered'],
      [EXIT.error, 'the gateway is not running, or refused the client'],
      [EXIT.unverified, "the gateway answered and reports audit-log alarms: a partner's log contradicted what it witnessed"],
    ],
  },
  async ({ values }) => {
    const s = await withGateway(values, (client) => client.status());
    const alarmed = (s.auditLog?.alarmCount ?? 0) > 0 ? EXIT.unverified : EXIT.ok;
    if (values.json) {
      process.stdout.write(JSON.stringify(s, null, 2) + '\n');
      return alarmed;
    }
    const log = s.auditLog;
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
                p.reachability + (p.circuitOpenUntil !== undefined ? ` (skipped by workflows until ${p.circuitOpenUntil.toISOString()})` : ''),
                p.lastSeenAt?.toISOString() ?? '-',
                day(p.caExpiresAt),
                day(p.certificateExpiresAt),
                p.lastError ?? '',
              ]),
            ]).trimEnd(),
        '',
        ...(log === undefined
          ? []
          : [
              `audit log ${log.origin}: ${log.size} statements; key ${log.logKey}`,
              `cosigned by: ${Object.entries(log.cosignedBy).map(([p, n]) => `${p} (at ${n})`).join(', ') || 'no partner yet'}`,
              `witnessing: ${log.witnessed.map((w) => `${w.partner} (at ${w.size})`).join(', ') || 'no partner checkpoint yet'}`,
              ...(log.alarmCount === 0
                ? ['alarms: none']
                : [
                    `ALARMS: ${log.alarmCount}: a partner's log contradicted what this gateway witnessed (evidence kept; entente audit export shows it)`,
                    ...log.alarms.map((a) => `  ${a.at?.toISOString() ?? '?'} ${a.partner} ${a.code}: ${a.message}`),
                  ]),
              '',
            ]),
      ].join('\n'),
    );
    return alarmed;
  },
);
