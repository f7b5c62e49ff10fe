import { fail, hasScope, mayActOn, ok, type Principal, type Rule, type RuleInput, validateRules } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ILead, Lead, LeadScoringRuleSet } from '../entities/index.js';
import { SCOPES } from './access.js';
import { LEAD_FACT_FIELDS, scoreLead } from './lead-scoring.js';
import type { Result } from './opportunity.errors.js';

/**
 * A storefront's lead-scoring rules: read by staff with `opportunity:read`, replaced as a whole by staff
 * with `opportunity:manage` on that brand (validated with kit's validateRules against the lead facts).
 * Replacing them rescores the storefront's leads in batches, after the rules commit; a lead changed
 * meanwhile is scored again by its own flush (lead-derive.ts), so either way it ends on the new rules.
 */
export const RESCORE_BATCH = 1_000;

export type RuleSetView = { storefrontId: string; rules: Rule[]; updatedAt: Date | null; version: number };

const storefrontOf = (principal: Principal, requested: string | null | undefined) => requested ?? principal.storefrontId;

export async function leadScoringRules(em: EntityManager, principal: Principal, storefrontId?: string | null): Promise<RuleSetView | null> {
  const id = storefrontOf(principal, storefrontId);
  if (principal.kind !== 'staff' || !hasScope(principal, SCOPES.read) || !id || !mayActOn(principal, id)) return null;
  const set = await em.findOne(LeadScoringRuleSet, { storefrontId: id });
  return set
    ? { storefrontId: id, rules: set.rules, updatedAt: set.updatedAt, version: set.version }
    : { storefrontId: id, rules: [], updatedAt: null, version: 0 };
}

export async function leadScoringRulesSet(
  em: EntityManager,
  principal: Principal,
  input: { storefrontId?: string | null; rules: RuleInput[] },
): Promise<Result<{ ruleSet: RuleSetView; rescored: number }>> {
  const id = storefrontOf(principal, input.storefrontId);
  if (!hasScope(principal, SCOPES.manage)) return fail('FORBIDDEN', `Scoring rules need the ${SCOPES.manage} scope`, ['input']);
  if (!id || !mayActOn(principal, id)) return fail('NOT_FOUND', 'No such storefront', ['input', 'storefrontId']);
  const checked = validateRules(input.rules, { fields: LEAD_FACT_FIELDS, outcome: 'points', maxRules: 100 });
  if (!checked.ok) return checked;
  await em.transactional(async (tx) => {
    const set = await tx.findOne(LeadScoringRuleSet, { storefrontId: id });
    if (set) Object.assign(set, { rules: checked.value, updatedBy: principal.id });
    else tx.create(LeadScoringRuleSet, { storefrontId: id, rules: checked.value, updatedBy: principal.id });
  });
  const rescored = await rescoreStorefront(em, id, checked.value);
  return ok({ ruleSet: (await leadScoringRules(em.fork(), principal, id)) as RuleSetView, rescored });
}

const FIELDS = [
  'id',
  'channel',
  'status',
  'source',
  'segment',
  'rating',
  'category',
  'budgetAmount',
  'budgetCurrency',
  'productIds',
  'address',
  'email',
  'mobile',
  'company',
  'campaignId',
  'customerId',
  'partnerId',
  'consent',
] as const;

/**
 * Scores every lead of a storefront under `rules`, a batch of RESCORE_BATCH at a time (keyset on id),
 * each batch one `update … from jsonb_to_recordset`: a derived column, so neither the version nor the
 * audit trail moves. Answers how many leads were scored.
 */
export async function rescoreStorefront(em: EntityManager, storefrontId: string, rules: readonly Rule[]): Promise<number> {
  let after: string | null = null;
  let count = 0;
  for (;;) {
    const batch = (await em.fork().find(
      Lead,
      { storefrontId, ...(after ? { id: { $gt: after } } : {}) },
      {
        fields: [...FIELDS],
        orderBy: { id: 'asc' },
        limit: RESCORE_BATCH,
      },
    )) as ILead[];
    if (batch.length === 0) return count;
    const scores = batch.map((lead) => ({ id: lead.id, ...scoreLead(rules, lead) }));
    await em.execute(
      `update "opportunity"."lead" l set score = x.score, score_explanation = x.explanation
       from jsonb_to_recordset(?::jsonb) as x(id uuid, score int, explanation jsonb) where l.id = x.id`,
      [JSON.stringify(scores)],
    );
    count += batch.length;
    after = batch[batch.length - 1].id;
  }
}
