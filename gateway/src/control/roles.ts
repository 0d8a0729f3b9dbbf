import { ControlError } from './errors.js';

/**
 * The roles of the control API. `operator` may do everything; the others are narrow, so an
 * application's certificate cannot read the audit trail, an auditor's cannot make calls, and
 * only an approver (or the operator) decides an approval: an auditor may see what waits.
 */
export const ROLES = ['operator', 'app', 'auditor', 'approver'] as const;
export type Role = (typeof ROLES)[number];

/** Which roles, besides `operator`, may call each method. */
export const METHOD_ROLES = {
  Call: ['app'],
  ListTasks: ['app', 'auditor'],
  GetReceipts: ['auditor'],
  GetStatus: ['auditor'],
  StartRun: ['app'],
  GetRun: ['app', 'auditor'],
  ListRuns: ['app', 'auditor'],
  WatchRun: ['app', 'auditor'],
  CancelRun: ['app'],
  ListApprovals: ['approver', 'auditor'],
  DecideApproval: ['approver'],
  ExportAudit: ['auditor'],
} as const satisfies Record<string, readonly Role[]>;

export type ControlMethod = keyof typeof METHOD_ROLES;

/** Who called, as the listener established it: the socket's owner, or a verified client certificate. */
export interface Caller {
  readonly via: 'socket' | 'tls';
  /** The certificate's common name, or `local` on the socket. */
  readonly name: string;
  readonly roles: ReadonlySet<Role>;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Refuses, naming the role needed, a caller that holds none of the roles `method` accepts. */
export function authorize(method: ControlMethod, caller: Caller): void {
  if (caller.roles.has('operator')) return;
  const allowed: readonly Role[] = METHOD_ROLES[method];
  if (allowed.some((r) => caller.roles.has(r))) return;
  const held = caller.roles.size > 0 ? [...caller.roles].join(', ') : 'no role';
  throw new ControlError(
    'CONTROL_ROLE_REQUIRED',
    `${method} needs the ${allowed.join(' or ')} role (or operator); this client certificate has ${held}: ` +
      `issue one with entente certs issue-client --role ${allowed[0]}`,
  );
}
