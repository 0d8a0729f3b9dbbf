import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EntenteClient } from '@entente/sdk';
import { required, UsageError } from './args.js';
import { defineCommand } from './command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { createFederation, pollUntil, ROOT, type LocalFederation, type LocalOrg } from './federation.js';

const EXAMPLES = join(ROOT, 'examples');

/** What an example's `example.mjs` exports. */
interface ExampleModule {
  readonly title: string;
  /** Its organizations, given the work directory; `down: true` ones are set up (their partners know them) but never started. */
  orgs(dir: string): readonly (LocalOrg & { readonly down?: boolean })[];
  run(ctx: ExampleContext): Promise<void>;
}

/** What an example's scenario gets: the federation, its clients, and a way to say and to check. */
export interface ExampleContext {
  readonly fed: LocalFederation;
  /** The org's operator, on its control socket. */
  client(org: string): EntenteClient;
  /** A person or an application with these roles, over mutual TLS (the org needs control.listen). */
  clientAs(org: string, name: string, roles: readonly string[]): EntenteClient;
  say(line?: string): void;
  /** Records a check the example makes; the example passes when every check held. */
  check(holds: boolean, what: string): void;
  /** Polls `probe` until it returns something other than undefined (within `ms`), or fails naming `what`. */
  until<T>(probe: () => Promise<T | undefined>, what: string, ms?: number): Promise<T>;
}

/** Runs one of the federations under examples/: its gateways as separate processes, its scenario, its checks. */
export const example = defineCommand(
  {
    name: 'example',
    summary: 'run one of the example federations in examples/ (cohort-study, order-exception, fraud-consortium, triage)',
    usage: ['<name> [--dir <work dir>]'],
    description: [
      'Sets up the example organizations on loopback (development PKI, configs, partners imported from',
      'bundles), starts each gateway as an entente serve process, plays the scenario through the',
      'control APIs, checks what it should show, and stops the gateways. Exits 0 when every check held.',
    ],
    options: { dir: { type: 'string', arg: '<dir>', help: 'the work directory, kept afterwards (a new temporary one by default)' } },
    maxArgs: 1,
    examples: [
      ['the cohort study across four hospitals, one of them down', 'entente example cohort-study'],
      ['keep configs, stores and logs in ./triage', 'entente example triage --dir triage'],
    ],
    exits: [
      [EXIT.ok, 'the example behaved as described: every check held'],
      [EXIT.error, 'a check failed or a gateway misbehaved: the output says which'],
    ],
  },
  async ({ positionals, values }) => {
    const known = readdirSync(EXAMPLES).filter((d) => existsSync(join(EXAMPLES, d, 'example.mjs')));
    const name = required(positionals[0], '<name>', `one of: ${known.join(', ')}`);
    if (!known.includes(name)) throw new UsageError(`no example ${JSON.stringify(name)}; there are: ${known.join(', ')}`);
    return runExample(name, values.dir);
  },
);

async function runExample(name: string, workDir: string | undefined): Promise<ExitCode> {
  const started = Date.now();
  const mod = (await import(pathToFileURL(join(EXAMPLES, name, 'example.mjs')).href)) as ExampleModule;
  const dir = workDir ?? mkdtempSync(join(tmpdir(), `entente-${name}-`));
  const say = (line = ''): void => void process.stdout.write(line + '\n');
  const failed: string[] = [];
  say(`entente example ${name}: ${mod.title}`);
  say(`  work directory ${dir}`);
  const orgs = mod.orgs(dir);
  const fed = await createFederation(dir, orgs);
  const up = orgs.filter((o) => o.down !== true).map((o) => o.org);
  await Promise.all(up.map((org) => fed.start(org)));
  const down = orgs.filter((o) => o.down === true).map((o) => o.org);
  say(`  gateways serving as separate processes: ${up.map((o) => `${o} (pid ${fed.pid(o)})`).join(', ')}${down.length > 0 ? `; down: ${down.join(', ')}` : ''}`);
  say('');
  try {
    await mod.run({
      fed,
      client: (org) => fed.client(org),
      clientAs: (org, name, roles) => fed.clientAs(org, name, roles),
      say,
      check(holds, what) {
        say(`  ${holds ? 'ok  ' : 'FAIL'} ${what}`);
        if (!holds) failed.push(what);
      },
      until: (probe, what, ms) => pollUntil(probe, what, ms, 100),
    });
  } catch (err) {
    failed.push(`the scenario stopped: ${(err as Error).message}`);
    say(`  FAIL the scenario stopped: ${(err as Error).message}`);
  } finally {
    const codes = await fed.stopAll();
    const unclean = Object.entries(codes).filter(([, c]) => c !== 0);
    if (unclean.length > 0) failed.push(`gateways did not stop cleanly: ${unclean.map(([o, c]) => `${o} (${c})`).join(', ')}`);
    say('');
    say(`gateways stopped after ${((Date.now() - started) / 1000).toFixed(1)} s; logs in ${join(dir, 'logs')}`);
  }
  say(failed.length === 0 ? `example ${name}: behaved as described` : `example ${name}: FAILED: ${failed.join('; ')}`);
  return failed.length === 0 ? EXIT.ok : EXIT.error;
}
