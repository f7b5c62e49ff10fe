import { Outbox } from '@dcrm/kit';
import { CustomFieldDefinition } from './custom-field.entity.js';
import { Lead } from './lead.entity.js';
import { LeadScoringRuleSet } from './lead-scoring.entity.js';
import { Opportunity } from './opportunity.entity.js';
import { OpportunityHistory, OpportunityLine } from './opportunity-line.entity.js';
import { OpportunityReason, PipelineStage, StageTransition } from './pipeline.entity.js';
import { OpportunityNote, OpportunityRouting, OpportunityShare, OpportunityTask, RoutingRuleSet } from './work.entity.js';

// Domain events written in the same transaction as the change, published after commit.
export { type IOutbox, Outbox } from '@dcrm/kit';
export * from './custom-field.entity.js';
export * from './lead.entity.js';
export * from './lead.repository.js';
export * from './lead-scoring.entity.js';
export * from './opportunity.entity.js';
export * from './opportunity.repository.js';
export * from './opportunity-line.entity.js';
export * from './pipeline.entity.js';
export * from './task.repository.js';
export * from './work.entity.js';

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
  // Tasks, approvals, notes, sharing, routing (domain/work).
  OpportunityTask,
  OpportunityNote,
  OpportunityShare,
  OpportunityRouting,
  RoutingRuleSet,
];
export * from './opportunity-search.js';
