import { describe, expect, it } from 'vitest';
import { authorize, METHOD_ROLES, type Caller, type ControlMethod, type Role } from '../../../gateway/src/control/index.js';

const caller = (...roles: Role[]): Caller => ({ via: 'tls', name: `test-${roles.join('-')}`, roles: new Set(roles) });
const allows = (method: ControlMethod, c: Caller) => {
  try {
    authorize(method, c);
    return true;
  } catch {
    return false;
  }
};

describe('authorize', () => {
  describe('the run and approval methods', () => {
    it.each([
      ['ListRuns', ['app', 'auditor']],
      ['WatchRun', ['app', 'auditor']],
      ['CancelRun', ['app']],
      ['ListApprovals', ['approver', 'auditor']],
      ['DecideApproval', ['approver']],
    ] as const)('let %s be called by %j and the operator, and nobody else', (method, roles) => {
      const held = (['operator', 'app', 'auditor', 'approver'] as const).filter((r) => allows(method, caller(r)));
      expect(held).toEqual(['operator', ...(['app', 'auditor', 'approver'] as const).filter((r) => (roles as readonly Role[]).includes(r))]);
      expect(METHOD_ROLES[method]).toEqual(roles);
    });
  });

  describe('when an auditor decides an approval', () => {
    it('refuses with CONTROL_ROLE_REQUIRED, naming the approver role and how to get it', () => {
      expect(() => authorize('DecideApproval', caller('auditor'))).toThrow(
        expect.objectContaining({
          code: 'CONTROL_ROLE_REQUIRED',
          message:
            'DecideApproval needs the approver role (or operator); this client certificate has auditor: issue one with entente certs issue-client --role approver',
        }),
      );
    });
  });

  it('lets an approver decide, and an approver that is also an app cancel a run', () => {
    expect(() => authorize('DecideApproval', caller('approver'))).not.toThrow();
    expect(() => authorize('CancelRun', caller('approver', 'app'))).not.toThrow();
  });

  it('refuses an approver a run\'s events: deciding is not watching', () => {
    expect(() => authorize('WatchRun', caller('approver'))).toThrow(/^WatchRun needs the app or auditor role \(or operator\); this client certificate has approver/);
  });
});
