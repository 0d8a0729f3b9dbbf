import { readFileSync, statSync } from 'node:fs';
import { compile, runTests, toJS, parseJSON, type RegoValue, type TestResult } from '../policy/rego/index.js';
import { readPolicyDirs } from '../policy/index.js';
import { UsageError } from './args.js';
import { defineCommand, defineGroup } from './command.js';
import { EXIT } from './exit-codes.js';
import { table } from './output.js';
import { replayCommand } from './policy-replay.js';

const FORMATS = ['json', 'pretty'] as const;
type Format = (typeof FORMATS)[number];

const evalCommand = defineCommand(
  {
    name: 'policy eval',
    summary: 'evaluate a Rego query against policy directories and an input, like opa eval',
    usage: ["-d <dir> [-d <dir>…] [-i <input.json>] [--format json|pretty] [--fail | --fail-defined] '<query>'"],
    description: [
      'A query that is a reference (data.entente.inbound.decision) prints its value; any other query',
      'prints one row of variable bindings per solution. An undefined result prints {} (json) or',
      'undefined (pretty). The query sees every .rego file (tests included) and data.json under the -d',
      'directories, as the gateway loads them.',
    ],
    options: {
      data: { type: 'string', short: 'd', multiple: true, arg: '<dir>', help: 'a directory of .rego and data.json files' },
      input: { type: 'string', short: 'i', arg: '<input.json>', help: 'the input document' },
      format: { type: 'string', short: 'f', arg: 'json|pretty', help: 'json: {"result": …} (default); pretty: the value, or a table of bindings' },
      fail: { type: 'boolean', help: 'exit 3 when the result is undefined (no solution)' },
      'fail-defined': { type: 'boolean', help: 'exit 3 when the result is defined (at least one solution)' },
    },
    maxArgs: 1,
    examples: [
      [
        "what hospital-b's inbound policy decides for a request",
        "entente policy eval -d policies/default -d policies/hospital-b -i request.json 'data.entente.inbound.decision'",
      ],
      [
        'in CI: fail when the outbound policy would let the request leave',
        "entente policy eval -d policies -i request.json --fail-defined 'data.entente.outbound.decision.allow == true'",
      ],
    ],
    exits: [
      [EXIT.ok, 'evaluated (and the --fail / --fail-defined condition did not hold)'],
      [EXIT.error, 'the policies do not compile or the query failed to evaluate (the message names the file)'],
      [EXIT.usage, 'a missing or unreadable -d or -i, input that is not JSON, a malformed option'],
      [EXIT.denied, '--fail and the result is undefined, or --fail-defined and it is defined'],
    ],
  },
  ({ values, positionals }) => {
    const query = positionals[0]?.trim();
    if (query === undefined || query === '') throw new UsageError("missing '<query>', e.g. 'data.entente.inbound.decision' (quote it for the shell)");
    const format = formatOf(values.format, 'json');
    if (values.fail && values['fail-defined']) throw new UsageError('--fail and --fail-defined exclude each other: choose one');
    const dirs = values.data ?? [];
    if (dirs.length === 0) throw new UsageError('missing -d <dir>: the directory of .rego files (and data.json) to evaluate, e.g. -d policies');
    for (const dir of dirs) checkDirectory('-d', dir);
    const input = values.input === undefined ? undefined : readInput(values.input);
    const source = readPolicyDirs(dirs, { includeTests: true });
    const compiled = compile({ modules: source.modules, data: source.data });
    const options = input === undefined ? {} : { input };

    let defined: boolean;
    if (/^data(\.[A-Za-z_][A-Za-z0-9_]*|\["[^"]*"\])*$/.test(query)) {
      const { value } = compiled.evaluate(query, options);
      defined = value !== undefined;
      process.stdout.write(format === 'json' ? JSON.stringify(defined ? { result: toJS(value!) } : {}, null, 2) + '\n' : prettyValue(value));
    } else {
      const rows = compiled.query(query, options).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toJS(v)])));
      defined = rows.length > 0;
      process.stdout.write(format === 'json' ? JSON.stringify(defined ? { result: rows } : {}, null, 2) + '\n' : prettyRows(rows));
    }
    if ((values.fail && !defined) || (values['fail-defined'] && defined)) return EXIT.denied;
    return EXIT.ok;
  },
);

const testCommand = defineCommand(
  {
    name: 'policy test',
    summary: 'run the test_* rules of *_test.rego files, like opa test',
    usage: ['[-v] [--format pretty|json] <dir> [<dir>…]'],
    description: ['Loads each directory as the gateway does (data.json included) and runs every test_* rule.'],
    options: {
      verbose: { type: 'boolean', short: 'v', help: 'list passing tests too, with their durations' },
      format: { type: 'string', short: 'f', arg: 'pretty|json', help: 'pretty: a line per test (default); json: an array, one object per test' },
    },
    maxArgs: Number.POSITIVE_INFINITY,
    examples: [['the shipped policies and your agreements', 'entente policy test -v policies']],
    exits: [
      [EXIT.ok, 'every test passed'],
      [EXIT.error, 'a test failed or errored, none were found, or the policies do not compile'],
      [EXIT.usage, 'no directory given, or one that does not exist'],
    ],
  },
  ({ values, positionals }) => {
    if (positionals.length === 0) throw new UsageError('missing <dir>: the directory holding the policies and their *_test.rego files');
    const format = formatOf(values.format, 'pretty');
    for (const dir of positionals) checkDirectory(undefined, dir);
    const source = readPolicyDirs(positionals, { includeTests: true });
    const results = runTests(compile({ modules: source.modules, data: source.data }));
    const failed = results.filter((r) => !r.passed).length;
    if (format === 'json') process.stdout.write(JSON.stringify(results.map(testJson), null, 2) + '\n');
    else printTests(results, values.verbose ?? false);
    return failed === 0 && results.length > 0 ? EXIT.ok : EXIT.error;
  },
);

export const policy = defineGroup(
  { name: 'policy', summary: 'evaluate Rego policies, run their *_test.rego tests, replay a recorded decision' },
  [evalCommand, testCommand, replayCommand],
);

function formatOf(value: string | undefined, fallback: Format): Format {
  if (value === undefined) return fallback;
  if (!(FORMATS as readonly string[]).includes(value)) throw new UsageError(`--format ${value}: expected ${FORMATS.join(' or ')}`);
  return value as Format;
}

/** A -d that is not there is the most common slip; name it instead of failing on a scandir. */
function checkDirectory(flag: '-d' | undefined, dir: string): void {
  const named = flag === undefined ? dir : `${flag} ${dir}`;
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${named}: ${code === 'ENOENT' ? 'no such directory' : `cannot read it: ${(err as Error).message}`}`);
  }
  if (!isDir) throw new UsageError(`${named}: not a directory; name the directory that holds the .rego files`);
}

function readInput(file: string): RegoValue {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`-i ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read it: ${(err as Error).message}`}`);
  }
  try {
    return parseJSON(text);
  } catch (err) {
    throw new UsageError(`-i ${file}: not valid JSON: ${(err as Error).message}`);
  }
}

function prettyValue(value: RegoValue | undefined): string {
  return value === undefined ? 'undefined\n' : JSON.stringify(toJS(value), null, 2) + '\n';
}

/** Like opa eval --format pretty: `undefined`, `true` for a solution without variables, else a table. */
function prettyRows(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return 'undefined\n';
  const vars = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (vars.length === 0) return 'true\n';
  return table([vars, ...rows.map((r) => vars.map((v) => JSON.stringify(r[v]) ?? ''))]);
}

function printTests(results: readonly TestResult[], verbose: boolean): void {
  let lastPackage = '';
  for (const r of results) {
    if (!verbose && r.passed) continue;
    if (r.package !== lastPackage) {
      process.stdout.write(`${r.package}:\n`);
      lastPackage = r.package;
    }
    const status = r.passed ? 'PASS' : r.error !== undefined ? 'ERROR' : 'FAIL';
    process.stdout.write(`  ${r.name}: ${status} (${formatMs(r.durationMs)})${r.error !== undefined ? `\n    ${r.error}` : ''}\n`);
  }
  process.stdout.write(`${'-'.repeat(80)}\n`);
  if (results.length === 0) {
    process.stdout.write('no tests found (test rules are test_* rules in *_test.rego files)\n');
    return;
  }
  const failed = results.filter((r) => !r.passed).length;
  process.stdout.write(failed === 0 ? `PASS: ${results.length}/${results.length}\n` : `FAIL: ${failed}/${results.length}\n`);
}

/** One test as `opa test --format json` reports it: duration in nanoseconds, `fail` or `error` when it did not pass. */
function testJson(r: TestResult): Record<string, unknown> {
  return {
    package: r.package,
    name: r.name,
    duration: Math.round(r.durationMs * 1e6),
    ...(r.passed ? {} : r.error !== undefined ? { error: { message: r.error } } : { fail: true }),
  };
}

function formatMs(ms: number): string {
  return ms < 1 ? `${Math.round(ms * 1000)}µs` : `${ms.toFixed(1)}ms`;
}
