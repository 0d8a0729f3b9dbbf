import type { TaskStatus } from '@entente/sdk';

/**
 * How every `entente` command ends, so that a script can tell a policy's refusal from a call
 * that failed from a mistake in the command line. `entente --help` and the README print this
 * table; commands return these codes and nothing else.
 */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  denied: 3,
  failed: 4,
  unverified: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What each code means, as `entente --help` and the README show it (a test holds the README to it). */
export const EXIT_CODE_TABLE: readonly (readonly [ExitCode, string])[] = [
  [EXIT.ok, 'done: the call completed, the receipts verified, the policy tests passed'],
  [EXIT.error, 'an error: a bad config or file, the gateway not running or refusing the client, failing policy tests, an internal fault'],
  [EXIT.usage, 'a usage mistake: an unknown command or option, a missing or malformed argument (the message says which)'],
  [EXIT.denied, "denied by a policy: ours or the partner's (call); the condition of policy eval --fail or --fail-defined"],
  [EXIT.failed, 'the call did not complete: failed, cancelled, timed out, or the partner unreachable'],
  [EXIT.unverified, 'a receipt statement or an audit bundle did not verify (receipts, audit verify, audit reconcile), a replayed decision came out DIFFERENT (policy replay); status: audit-log alarms'],
];

/**
 * A call's outcome as an exit code: completed 0, denied 3, anything else that ended without a
 * result 4 (also a task the partner still held for a person's approval at the deadline).
 */
export function exitCodeOfCall(status: TaskStatus): ExitCode {
  if (status === 'completed') return EXIT.ok;
  if (status === 'denied') return EXIT.denied;
  return EXIT.failed;
}
