import { pino } from 'pino';
import { createLogger, type Logger } from '../observability/index.js';

/** For commands whose stdout is their result: logs go to stderr, warnings and worse only. */
export function stderrLogger(org: string): Logger {
  return createLogger({ level: 'warn', org, destination: pino.destination(2) });
}

export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')).join('\n') + '\n';
}

/** Writes each line to stdout, ended by a newline. */
export function writeLines(lines: readonly string[]): void {
  process.stdout.write(lines.map((l) => `${l}\n`).join(''));
}
