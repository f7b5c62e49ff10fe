import { evaluateRules, type Rule } from '@dcrm/kit';
import type { ISlaPolicy, TicketCategory, TicketPriority } from '../../entities/index.js';

/**
 * Which SLA policy a ticket gets: the most specific active policy of its storefront whose criteria it
 * meets (a policy's absent criterion matches anything). Specificity weighs priority 4, category 2,
 * segment 1, so a priority-only policy beats a category + segment one; criteria combinations are
 * unique per storefront, so there are no ties. Run as kit rules in first-match mode (the weight is the
 * rule's priority), so the choice can be explained condition by condition. Pure.
 */
export type PolicyFact = { priority: TicketPriority; category: TicketCategory; segment: string };

export const specificity = (p: Pick<ISlaPolicy, 'priority' | 'category' | 'segment'>) =>
  (p.priority ? 4 : 0) + (p.category ? 2 : 0) + (p.segment ? 1 : 0);

export function policyRules(policies: readonly ISlaPolicy[]): Rule[] {
  return policies.map((p) => ({
    id: p.id,
    name: p.name,
    active: p.active,
    priority: specificity(p),
    target: p.id,
    conditions: [
      ...(p.priority ? [{ path: 'priority', operator: 'eq' as const, value: p.priority }] : []),
      ...(p.category ? [{ path: 'category', operator: 'eq' as const, value: p.category }] : []),
      ...(p.segment ? [{ path: 'segment', operator: 'eq' as const, value: p.segment }] : []),
    ],
  }));
}

/** The policy for a ticket's facts, or null when no active policy matches. */
export function selectPolicy<P extends ISlaPolicy>(policies: readonly P[], fact: PolicyFact): P | null {
  const { target } = evaluateRules(policyRules(policies), fact, { mode: 'first' });
  return policies.find((p) => p.id === target) ?? null;
}
