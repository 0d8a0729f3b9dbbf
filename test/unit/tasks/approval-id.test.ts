import { describe, expect, it } from 'vitest';
import { inboundApprovalId, isInboundApprovalId, parseInboundApprovalId } from '../../../gateway/src/tasks/approval-id.js';

describe('inbound approval ids', () => {
  it('name the partner and the task, dots in the task id included, and read back unchanged', () => {
    const id = inboundApprovalId('hospital-a', 'run.7:step.a1');
    expect(id).toBe('inbound:hospital-a.run.7:step.a1');
    expect(isInboundApprovalId(id)).toBe(true);
    expect(parseInboundApprovalId(id)).toEqual({ org: 'hospital-a', taskId: 'run.7:step.a1' });
  });

  it('are told apart from workflow approval ids, even those of a run serving a partner named "inbound"', () => {
    for (const run of ['3f2a9c1e-0b7d-4e5a-8c6f-1d2e3f4a5b6c.step.a1', 'inbound.task-9.step.a1']) expect(isInboundApprovalId(run)).toBe(false);
  });

  it('are refused when they name no partner or no task', () => {
    for (const bad of ['inbound:', 'inbound:hospital-a', 'inbound:hospital-a.', 'inbound:.t1']) expect(parseInboundApprovalId(bad)).toBeUndefined();
  });
});
