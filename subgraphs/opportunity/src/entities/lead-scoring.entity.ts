import { columns, type Rule } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** A storefront's lead-scoring rules (kit rules.ts, points outcome): one row per storefront. */
export const LeadScoringRuleSet = defineEntity({
  name: 'LeadScoringRuleSet',
  tableName: 'lead_scoring_rule_set',
  properties: {
    storefrontId: p.uuid().primary(),
    rules: p.json<Rule[]>(),
    updatedBy: p.string().nullable(),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
    version: columns.version(),
  },
});
export type ILeadScoringRuleSet = InferEntity<typeof LeadScoringRuleSet>;
