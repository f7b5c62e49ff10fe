import { CustomFieldDefinition } from './custom-field.entity.js';
import { Lead } from './lead.entity.js';
import { LeadScoringRuleSet } from './lead-scoring.entity.js';
import { Opportunity } from './opportunity.entity.js';
import { OpportunityHistory, OpportunityLine } from './opportunity-line.entity.js';
import { Outbox } from './outbox.entity.js';
import { OpportunityReason, PipelineStage, StageTransition } from './pipeline.entity.js';

export * from './custom-field.entity.js';
export * from './lead.entity.js';
export * from './lead.repository.js';
export * from './lead-scoring.entity.js';
export * from './opportunity.entity.js';
export * from './opportunity.repository.js';
export * from './opportunity-line.entity.js';
export * from './outbox.entity.js';
export * from './pipeline.entity.js';

export const entities = [
  Lead,
  Opportunity,
  Outbox,
  PipelineStage,
  StageTransition,
  OpportunityReason,
  CustomFieldDefinition,
  OpportunityLine,
  OpportunityHistory,
  LeadScoringRuleSet,
];
export * from './opportunity-search.js';
