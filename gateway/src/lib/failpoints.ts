/**
 * Crash points for tests of durability: `ENTENTE_CRASH_AT=<name>[,<name>…]` in a gateway's
 * environment makes it kill itself (SIGKILL: no shutdown, no flush) the first time it passes
 * a point of that name, so a test can stop a gateway exactly between two durable steps (after
 * a workflow step was recorded as started, before its task left). Read once at start; without
 * the variable a point costs one set lookup.
 */
const armed = new Set((process.env['ENTENTE_CRASH_AT'] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''));

export function crashPoint(name: string): void {
  if (armed.size > 0 && armed.has(name)) process.kill(process.pid, 'SIGKILL');
}
