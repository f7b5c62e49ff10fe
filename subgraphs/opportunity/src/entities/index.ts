import { Lead } from './lead.entity.js';
import { LeadScoringRuleSet } from './lead-scoring.entity.js';
import { Opportunity } from './opportunity.entity.js';
import { Outbox } from './outbox.entity.js';

export * from './lead.entity.js';
export * from './lead.repository.js';
export * from './lead-scoring.entity.js';
export * from './opportunity.entity.js';
export * from './opportunity.repository.js';
export * from './outbox.entity.js';

export const entities = [Lead, Opportunity, Outbox, LeadScoringRuleSet];
