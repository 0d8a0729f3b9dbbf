import { readFileSync } from 'node:fs';
import { compile, runTests, toJS, parseJSON } from '../policy/rego/index.js';
import { readPolicyDirs } from '../policy/index.js';
import { parse, UsageError } from './args.js';

const USAGE =
  "entente policy eval -d <dir> [-d <dir>…] [-i input.json] '<query>'\n       entente policy test [-v] <dir> [<dir>…]";

export async function policy(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'eval') return evalCommand(rest);
  if (sub === 'test') return testCommand(rest);
  if (sub === '--help' || sub === '-h') {
    process.stdout.write(`usage: ${USAGE}\n`);
    return 0;
  }
  throw new UsageError(`expected eval or test\nusage: ${USAGE}`);
}

/** Prints the query's result like `opa eval`: the value for a ref, or binding rows otherwise. */
function evalCommand(argv: string[]): number {
  const { values, positionals } = parse(
    argv,
    { data: { type: 'string', short: 'd', multiple: true }, input: { type: 'string', short: 'i' } },
    USAGE,
  );
  const query = positionals[0];
  if (query === undefined) throw new UsageError(`missing <query>\nusage: ${USAGE}`);
  const source = readPolicyDirs(values.data ?? [], { includeTests: true });
  const compiled = compile({ modules: source.modules, data: source.data });
  const input = values.input === undefined ? undefined : parseJSON(readFileSync(values.input, 'utf8'));
  const options = input === undefined ? {} : { input };
  if (/^data(\.[A-Za-z_][A-Za-z0-9_]*|\["[^"]*"\])*$/.test(query.trim())) {
    const { value } = compiled.evaluate(query.trim(), options);
    process.stdout.write(JSON.stringify(value === undefined ? {} : { result: toJS(value) }, null, 2) + '\n');
    return 0;
  }
  const rows = compiled.query(query, options);
  process.stdout.write(
    JSON.stringify({ result: rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toJS(v)]))) }, null, 2) +
      '\n',
  );
  return 0;
}

/** Runs every `test_*` rule of the `*_test.rego` files, printing results like `opa test -v`. */
function testCommand(argv: string[]): number {
  const { values, positionals } = parse(argv, { verbose: { type: 'boolean', short: 'v' } }, USAGE);
  if (positionals.length === 0) throw new UsageError(`missing <dir>\nusage: ${USAGE}`);
  const source = readPolicyDirs(positionals, { includeTests: true });
  const compiled = compile({ modules: source.modules, data: source.data });
  const results = runTests(compiled);
  let failed = 0;
  let lastPackage = '';
  for (const r of results) {
    if (!r.passed) failed++;
    if (values.verbose || !r.passed) {
      if (r.package !== lastPackage) {
        process.stdout.write(`${r.package}:\n`);
        lastPackage = r.package;
      }
      const status = r.passed ? 'PASS' : r.error !== undefined ? 'ERROR' : 'FAIL';
      process.stdout.write(`  ${r.name}: ${status} (${formatMs(r.durationMs)})${r.error !== undefined ? `\n    ${r.error}` : ''}\n`);
    }
  }
  process.stdout.write(`${'-'.repeat(80)}\n`);
  if (results.length === 0) {
    process.stdout.write('no tests found (test rules are test_* rules in *_test.rego files)\n');
    return 1;
  }
  process.stdout.write(failed === 0 ? `PASS: ${results.length}/${results.length}\n` : `FAIL: ${failed}/${results.length}\n`);
  return failed === 0 ? 0 : 1;
}

function formatMs(ms: number): string {
  return ms < 1 ? `${Math.round(ms * 1000)}µs` : `${ms.toFixed(1)}ms`;
}
