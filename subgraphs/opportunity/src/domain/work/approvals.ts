import { userError } from '@dcrm/kit';
import { type IOpportunityTask, isApproval, OpportunityTask } from '../../entities/index.js';
import { registerGuard } from '../pipeline/guards.js';
import { requiredApprovals } from './rule-sets.js';

/**
 * `APPROVALS_DONE`, the pipeline guard of approvals (listed by the default transitions into NEGOTIATION
 * and WON, and by any transition the data names it on). It passes when every approval task of the
 * opportunity — the latest request of each kind that is not CANCELLED — is APPROVED, and each approval kind the storefront's APPROVAL rules
 * require for the target stage has an APPROVED task. Which stages need which approvals is thus data of
 * the storefront (`routingRulesSet(kind: APPROVAL)`, conditions on `toStage`, segment, value…).
 */
export const APPROVALS_GUARD = 'APPROVALS_DONE';

registerGuard(APPROVALS_GUARD, async ({ tx, opportunity, to }) => {
  const tasks = await tx.find(
    OpportunityTask,
    { opportunityId: opportunity.id, status: { $ne: 'CANCELLED' } },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  // Per approval kind, the latest request counts: asking again after a rejection supersedes it.
  const latest = new Map<string, IOpportunityTask>();
  for (const t of tasks) if (isApproval(t.kind)) latest.set(t.kind, t);
  const problems: string[] = [];
  for (const t of latest.values()) {
    if (t.decision === 'REJECTED') problems.push(`${t.title} rejected`);
    else if (!t.decision) problems.push(`${t.title} not decided`);
  }
  for (const kind of await requiredApprovals(tx, opportunity, to.code))
    if (latest.get(kind)?.decision !== 'APPROVED' && !problems.some((p) => p.startsWith(latest.get(kind)?.title ?? '\0')))
      problems.push(`${kind} required`);
  return problems.length ? userError('GUARD_APPROVALS', `Approvals before ${to.name}: ${problems.join('; ')}`, ['input', 'to']) : null;
});
