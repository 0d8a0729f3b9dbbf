import { readFileSync } from 'node:fs';
import { compile, runTests, toJS, parseJSON, type TestResult } from '../policy/rego/index.js';
import { readPolicyDirs } from '../policy/index.js';
import { UsageError } from './args.js';
import { defineCommand, defineGroup } from './command.js';
import { EXIT } from './exit-codes.js';

const evalCommand = defineCommand(
  {
    name: 'policy eval',
    summary: 'evaluate a Rego query against policy directories and an input, like opa eval',
    usage: ["-d <dir> [-d <dir>…] [-i <input.json>] '<query>'"],
    description: [
      'A query that is a reference (data.entente.inbound.decision) prints its value; any other query',
      'prints one row of variable bindings per solution. The query sees every .rego file (tests',
      'included) and data.json under the -d directories, as the gateway loads them.',
    ],
    options: {
      data: { type: 'string', short: 'd', multiple: true, arg: '<dir>', help: 'a directory of .rego and data.json files' },
      input: { type: 'string', short: 'i', arg: '<input.json>', help: 'the input document' },
    },
    maxArgs: 1,
    examples: [
      [
        "what hospital-b's inbound policy decides for a request",
        "entente policy eval -d policies/default -d policies/hospital-b -i request.json 'data.entente.inbound.decision'",
      ],
    ],
  },
  ({ values, positionals }) => {
    const query = positionals[0];
    if (query === undefined) throw new UsageError("missing '<query>', e.g. 'data.entente.inbound.decision' (quote it for the shell)");
    const source = readPolicyDirs(values.data ?? [], { includeTests: true });
    const compiled = compile({ modules: source.modules, data: source.data });
    const input = values.input === undefined ? undefined : parseJSON(readFileSync(values.input, 'utf8'));
    const options = input === undefined ? {} : { input };
    if (/^data(\.[A-Za-z_][A-Za-z0-9_]*|\["[^"]*"\])*$/.test(query.trim())) {
      const { value } = compiled.evaluate(query.trim(), options);
      process.stdout.write(JSON.stringify(value === undefined ? {} : { result: toJS(value) }, null, 2) + '\n');
      return EXIT.ok;
    }
    const rows = compiled.query(query, options);
    process.stdout.write(
      JSON.stringify({ result: rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toJS(v)]))) }, null, 2) + '\n',
    );
    return EXIT.ok;
  },
);

const testCommand = defineCommand(
  {
    name: 'policy test',
    summary: 'run the test_* rules of *_test.rego files, like opa test',
    usage: ['[-v] <dir> [<dir>…]'],
    description: ['Loads each directory as the gateway does (data.json included) and runs every test_* rule.'],
    options: { verbose: { type: 'boolean', short: 'v', help: 'list passing tests too, with their durations' } },
    maxArgs: Number.POSITIVE_INFINITY,
    examples: [['the shipped policies and your agreements', 'entente policy test -v policies']],
    exits: [
      [EXIT.ok, 'every test passed'],
      [EXIT.error, 'a test failed or errored, none were found, or the policies do not compile'],
    ],
  },
  ({ values, positionals }) => {
    if (positionals.length === 0) throw new UsageError('missing <dir>: the directory holding the policies and their *_test.rego files');
    const source = readPolicyDirs(positionals, { includeTests: true });
    const results = runTests(compile({ modules: source.modules, data: source.data }));
    printTests(results, values.verbose ?? false);
    return results.length > 0 && results.every((r) => r.passed) ? EXIT.ok : EXIT.error;
  },
);

export const policy = defineGroup({ name: 'policy', summary: 'evaluate Rego policies, run their *_test.rego tests' }, [evalCommand, testCommand]);

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

function formatMs(ms: number): string {
  return ms < 1 ? `${Math.round(ms * 1000)}µs` : `${ms.toFixed(1)}ms`;
}
