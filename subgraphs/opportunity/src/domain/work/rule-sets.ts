import {
  actingStorefront,
  evaluateRules,
  type FactFields,
  fail,
  ok,
  type Principal,
  type Rule,
  type RuleInput,
  validateRules,
} from '@dcrm/kit';
import { OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IOpportunity, type IRoutingRuleSet, OpportunityLine, RoutingRuleSet, type RuleSetKind } from '../../entities/index.js';
import type { Result } from '../opportunity.errors.js';

/**
 * The storefront's routing rules as data (kit rules.ts), one set per kind:
 * - ASSIGNMENT (first match): conditions on the opportunity → `team:<team id>` or `partner:<partner id>` (a partner queue);
 * - APPROVAL (every match): conditions on the opportunity and the stage it moves to (`toStage`) →
 *   the approval kind that must be APPROVED first (MANAGER_APPROVAL, BUDGET_APPROVAL); `APPROVALS_DONE` checks them.
 */
const COMMON: FactFields = {
  segment: 'string',
  region: 'string',
  category: 'string',
  type: 'string',
  partnerId: 'string',
  customerId: 'string',
  productIds: 'stringList',
  value: 'number',
};
export const RULE_FIELDS: Record<RuleSetKind, FactFields> = {
  ASSIGNMENT: COMMON,
  APPROVAL: { ...COMMON, toStage: 'string' },
};
const TARGET = /^(team|partner):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const APPROVAL_TARGETS = ['MANAGER_APPROVAL', 'BUDGET_APPROVAL'] as const;

/** What rules read of an opportunity (and the stage it is moving to, for approvals). */
export async function factOf(em: EntityManager, o: IOpportunity, toStage?: string): Promise<Record<string, unknown>> {
  const lines = await em.find(OpportunityLine, { opportunityId: o.id }, { fields: ['productId'] });
  return {
    segment: o.segment,
    region: o.address?.region ?? null,
    category: o.category ?? null,
    type: o.type,
    partnerId: o.partnerId ?? null,
    customerId: o.customerId ?? null,
    productIds: lines.map((l) => l.productId),
    value: Number(o.estimatedFirstYear ?? 0),
    ...(toStage ? { toStage } : {}),
  };
}

export async function rulesOf(em: EntityManager, storefrontId: string, kind: RuleSetKind): Promise<Rule[]> {
  return (await em.findOne(RoutingRuleSet, { storefrontId, kind }))?.rules ?? [];
}

/** The first ASSIGNMENT rule's target for the opportunity, split: a team, a partner queue, or none. */
export async function assignmentTarget(em: EntityManager, o: IOpportunity) {
  const rules = await rulesOf(em, o.storefrontId, 'ASSIGNMENT');
  const evaluation = evaluateRules(rules, await factOf(em, o), { mode: 'first' });
  const [kind, id] = evaluation.target?.split(':') ?? [];
  return { teamId: kind === 'team' ? id : null, partnerId: kind === 'partner' ? id : null, ruleId: evaluation.matches[0]?.rule.id ?? null };
}

/** Approval kinds the APPROVAL rules require before `o` enters `toStage`. */
export async function requiredApprovals(em: EntityManager, o: IOpportunity, toStage: string): Promise<string[]> {
  const rules = await rulesOf(em, o.storefrontId, 'APPROVAL');
  if (!rules.length) return [];
  const evaluation = evaluateRules(rules, await factOf(em, o, toStage));
  return [...new Set(evaluation.matches.map((m) => m.target).filter((t): t is string => !!t))];
}

export type RuleSetInput = { kind: RuleSetKind; rules: RuleInput[]; version?: number | null };

/** Replaces the acting storefront's rules of a kind (managers, `opportunity:manage` by @access), validated; CONFLICT on a stale version. */
export async function routingRulesSet(em: EntityManager, principal: Principal, input: RuleSetInput): Promise<Result<IRoutingRuleSet>> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) return fail('FORBIDDEN', 'No storefront');
  const valid = validateRules(input.rules, {
    fields: RULE_FIELDS[input.kind],
    outcome: 'target',
    ...(input.kind === 'APPROVAL' ? { targets: APPROVAL_TARGETS } : {}),
    maxRules: 100,
  });
  if (!valid.ok) return valid;
  if (input.kind === 'ASSIGNMENT') {
    const bad = valid.value.findIndex((r) => !TARGET.test(r.target ?? ''));
    if (bad >= 0) return fail('INVALID', 'A target is team:<team id> or partner:<partner id>', ['input', 'rules', String(bad), 'target']);
  }
  return em.transactional(async (tx) => {
    const existing = await tx.findOne(RoutingRuleSet, { storefrontId, kind: input.kind });
    if (existing && input.version != null && existing.version !== input.version)
      return fail('CONFLICT', `The rules changed since version ${input.version}; reload them`, ['input', 'version']);
    const set = existing ?? tx.create(RoutingRuleSet, { storefrontId, kind: input.kind, rules: [] });
    set.rules = valid.value;
    set.updatedAt = new Date();
    try {
      await tx.flush();
    } catch (error) {
      if (error instanceof OptimisticLockError) return fail('CONFLICT', 'The rules changed meanwhile; reload them', ['input', 'version']);
      throw error;
    }
    return ok(set);
  });
}
