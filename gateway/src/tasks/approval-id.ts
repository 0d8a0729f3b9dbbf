/**
 * The id a person uses to decide on a partner's held request: `inbound:<org>.<task id>`. Org
 * ids have neither `:` nor `.` (`[a-z0-9][a-z0-9-]{0,62}`), so no workflow approval id (it
 * starts with its run id: a UUID, or `<org>.<task id>` for a run serving a partner's task) can
 * start with the prefix, and the first dot after it ends the org: the rest, dots included, is
 * the task id.
 */
const PREFIX = 'inbound:';

export function inboundApprovalId(org: string, taskId: string): string {
  return `${PREFIX}${org}.${taskId}`;
}

/** Whether `approvalId` names a partner's held request (rather than a workflow's approval). */
export function isInboundApprovalId(approvalId: string): boolean {
  return approvalId.startsWith(PREFIX);
}

/** The partner and task an inbound approval id names; undefined if it is not one. */
export function parseInboundApprovalId(approvalId: string): { readonly org: string; readonly taskId: string } | undefined {
  if (!isInboundApprovalId(approvalId)) return undefined;
  const rest = approvalId.slice(PREFIX.length);
  const dot = rest.indexOf('.');
  if (dot <= 0 || dot === rest.length - 1) return undefined;
  return { org: rest.slice(0, dot), taskId: rest.slice(dot + 1) };
}
