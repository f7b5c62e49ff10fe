import { userError } from '@dcrm/kit';
import { isApproval, OpportunityTask } from '../../entities/index.js';
import { registerGuard } from '../pipeline/guards.js';
import { requiredApprovals } from './rule-sets.js';

/**
 * `APPROVALS_DONE`, the pipeline guard of approvals (listed by the default transitions into NEGOTIATION
 * and WON, and by any transition the data names it on). It passes when every approval task of the
 * opportunity that is not CANCELLED is APPROVED, and each approval kind the storefront's APPROVAL rules
 * require for the target stage has an APPROVED task. Which stages need which approvals is thus data of
 * the storefront (`routingRulesSet(kind: APPROVAL)`, conditions on `toStage`, segment, value…).
 */
export const APPROVALS_GUARD = 'APPROVALS_DONE';

registerGuard(APPROVALS_GUARD, async ({ tx, opportunity, to }) => {
  const tasks = (await tx.find(OpportunityTask, { opportunityId: opportunity.id, status: { $ne: 'CANCELLED' } })).filter((t) =>
    isApproval(t.kind),
  );
  const problems: string[] = [];
  const rejected = tasks.filter((t) => t.decision === 'REJECTED');
  const pending = tasks.filter((t) => !t.decision);
  if (rejected.length) problems.push(`${rejected.map((t) => t.title).join(', ')} rejected`);
  if (pending.length) problems.push(`${pending.map((t) => t.title).join(', ')} not decided`);
  for (const kind of await requiredApprovals(tx, opportunity, to.code))
    if (!tasks.some((t) => t.kind === kind && t.decision === 'APPROVED')) problems.push(`${kind} required`);
  return problems.length ? userError('GUARD_APPROVALS', `Approvals before ${to.name}: ${problems.join('; ')}`, ['input', 'to']) : null;
});
