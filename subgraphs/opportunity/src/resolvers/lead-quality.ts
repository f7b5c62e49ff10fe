import {
  type DuplicateMatch,
  type DuplicateReason,
  isUuid,
  pageList,
  parsePage,
  payload,
  type RuleOperator,
  type RuleValue,
} from '@dcrm/kit';
import { leadMerge } from '../domain/lead-merge.js';
import { LEAD_FACT_FIELDS } from '../domain/lead-scoring.js';
import { leadScoringRules, leadScoringRulesSet } from '../domain/lead-scoring-rules.js';
import type { ILead } from '../entities/index.js';
import type { OpportunityContext, OpportunityResolvers } from './context.js';

/** `notIn` → `NOT_IN`: kit's operator names in the GraphQL enum spelling. */
const operatorEnum = (op: RuleOperator) => op.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase() as 'EQ';
const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

/** A lead's possible duplicates that the caller may see (the lead loader keeps to its rows). */
async function visibleDuplicates(lead: ILead, ctx: OpportunityContext): Promise<DuplicateMatch[]> {
  if (lead.status === 'MERGED') return [];
  const matches = await ctx.loaders.leadDuplicates.load(lead);
  const visible = await Promise.all(matches.map((m) => (isUuid(m.id) ? ctx.loaders.lead.load(m.id) : null)));
  return matches.filter((_, i) => visible[i]);
}

/** Scoring rules, duplicates and merges: Query.leadScoringRules, Mutation.leadScoringRulesSet/leadMerge, Lead's quality fields. */
export const leadQualityResolvers: OpportunityResolvers = {
  Query: {
    leadScoringRules: (_, { storefrontId }, ctx) => leadScoringRules(ctx.em, ctx.principal, storefrontId),
  },
  Mutation: {
    leadScoringRulesSet: async (_, { input }, ctx) => {
      const rules = input.rules.map((r) => ({
        ...r,
        conditions: r.conditions.map((c) => ({ path: c.field, operator: c.operator, value: c.value, values: c.values })),
      }));
      const result = await leadScoringRulesSet(ctx.em, ctx.principal, { storefrontId: input.storefrontId, rules });
      return result.ok
        ? { ruleSet: result.value.ruleSet, rescored: result.value.rescored, userErrors: [] }
        : { ruleSet: null, rescored: null, userErrors: result.errors };
    },
    leadMerge: async (_, { input }, ctx) => payload('lead', await leadMerge(ctx.em, ctx.principal, input)),
  },
  Lead: {
    scoreExplanation: (l) => (l.scoreExplanation ?? []).map((r) => ({ name: null, conditions: [], ...r })),
    mergedInto: (l, _, ctx) => (l.mergedInto ? ctx.loaders.lead.load(l.mergedInto) : null),
    // Held on the lead (append-only, a few per merge): paged in memory, a record's cursor is its position.
    mergeHistory: (l, args) =>
      pageList(
        (l.mergeHistory ?? []).map((record, position) => ({ ...record, position })),
        parsePage(args, 'MERGES', 1),
        'MERGES',
        (r) => [r.position],
      ),
    duplicates: (l, _, ctx) => visibleDuplicates(l, ctx),
  },
  LeadPayload: {
    duplicates: (p, _, ctx) => (p.lead ? visibleDuplicates(p.lead, ctx) : []),
  },
  LeadDuplicate: {
    lead: async (m, _, ctx) => (await ctx.loaders.lead.load(m.id)) as ILead,
    reasons: (m) => m.reasons as DuplicateReason[],
  },
  LeadScoreCondition: {
    field: (c) => c.path,
    operator: (c) => operatorEnum(c.operator),
    expected: (c) => json(c.expected),
    actual: (c) => json(c.actual),
  },
  LeadScoringRuleSet: {
    facts: () => Object.entries(LEAD_FACT_FIELDS).map(([field, type]) => ({ field, type })),
  },
  LeadScoringRule: {
    name: (r) => r.name ?? null,
    match: (r) => (r.match === 'any' ? 'ANY' : 'ALL'),
    priority: (r) => r.priority ?? 0,
    active: (r) => r.active !== false,
    points: (r) => r.points ?? 0,
  },
  LeadScoringCondition: {
    field: (c) => c.path,
    operator: (c) => operatorEnum(c.operator),
    value: (c) => json(c.value as RuleValue | undefined),
  },
};
