import { evaluateRules, explainMatch, type FactFields, type Rule, type RuleOperator, type RuleValue } from '@dcrm/kit';
import type { ILead } from '../entities/index.js';

/**
 * Lead scoring: a storefront's rules (kit rules.ts, 'points' outcome) evaluated on a lead's facts. The
 * score is the sum of the matching rules' points; the explanation keeps, per matching rule, its points,
 * a sentence and each condition with the value the lead had. Pure.
 */

/** The facts a scoring rule may read, and their types (validateRules refuses anything else). */
export const LEAD_FACT_FIELDS: FactFields = {
  channel: 'string',
  status: 'string',
  source: 'string',
  segment: 'string',
  rating: 'string',
  category: 'string',
  budget: 'number',
  budgetCurrency: 'string',
  productIds: 'stringList',
  interestCount: 'number',
  country: 'string',
  hasEmail: 'boolean',
  hasMobile: 'boolean',
  hasAddress: 'boolean',
  hasCompany: 'boolean',
  hasCampaign: 'boolean',
  hasCustomer: 'boolean',
  hasPartner: 'boolean',
  marketingConsent: 'boolean',
};

export type LeadFacts = Record<keyof typeof LEAD_FACT_FIELDS & string, string | number | boolean | string[] | null>;

type Scored = Pick<
  ILead,
  | 'channel'
  | 'status'
  | 'source'
  | 'segment'
  | 'rating'
  | 'category'
  | 'budgetAmount'
  | 'budgetCurrency'
  | 'productIds'
  | 'address'
  | 'email'
  | 'mobile'
  | 'company'
  | 'campaignId'
  | 'customerId'
  | 'partnerId'
  | 'consent'
>;

const present = (value: string | null | undefined) => value != null && value.trim() !== '';

export function leadFacts(lead: Scored): LeadFacts {
  const productIds = lead.productIds ?? [];
  return {
    channel: lead.channel,
    status: lead.status,
    source: lead.source ?? null,
    segment: lead.segment,
    rating: lead.rating ?? null,
    category: lead.category ?? null,
    budget: lead.budgetAmount != null ? Number(lead.budgetAmount) : null,
    budgetCurrency: lead.budgetCurrency ?? null,
    productIds,
    interestCount: productIds.length,
    country: lead.address?.country ?? null,
    hasEmail: present(lead.email),
    hasMobile: present(lead.mobile),
    hasAddress: Boolean(lead.address && Object.values(lead.address).some((v) => present(v))),
    hasCompany: present(lead.company),
    hasCampaign: lead.campaignId != null,
    hasCustomer: lead.customerId != null,
    hasPartner: lead.partnerId != null,
    marketingConsent: lead.consent?.marketing ?? false,
  };
}

/** A condition of a matching rule, with the lead's actual value. */
export type LeadScoreConditionView = { path: string; operator: RuleOperator; expected: RuleValue | null; actual: unknown };

/** One matching rule in a lead's explanation. */
export type ScoredRule = { rule: string; name: string | null; points: number; reason: string; conditions: LeadScoreConditionView[] };

export type LeadScore = { score: number; explanation: ScoredRule[] };

export function scoreLead(rules: readonly Rule[], lead: Scored): LeadScore {
  const result = evaluateRules(rules, leadFacts(lead));
  return {
    score: result.points,
    explanation: result.matches.map((m) => ({
      rule: m.rule.id,
      name: m.rule.name ?? null,
      points: m.points,
      reason: explainMatch(m),
      conditions: m.conditions.map((c) => ({ path: c.path, operator: c.operator, expected: c.expected ?? null, actual: c.actual ?? null })),
    })),
  };
}
