import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { OPPORTUNITY_STATUSES } from './opportunity.entity.js';

/** TMF699 SalesOpportunity status values (SalesOpportunityStateType) a stage maps onto. */
export const TMF_OPPORTUNITY_STATUSES = ['acknowledged', 'inProgress', 'pending', 'accepted', 'rejected', 'cancelled'] as const;
export type TmfOpportunityStatus = (typeof TMF_OPPORTUNITY_STATUSES)[number];

/** One stage of a storefront's pipeline: its order, the status it gives an opportunity, its idle limit. */
export const PipelineStage = defineEntity({
  name: 'PipelineStage',
  tableName: 'pipeline_stage',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    code: p.string(),
    name: p.string(),
    position: p.integer(),
    status: p.enum(OPPORTUNITY_STATUSES),
    tmfStatus: p.enum(TMF_OPPORTUNITY_STATUSES),
    /** Hours an opportunity may stay in this stage before it escalates; null: never. */
    idleLimitHours: p.integer().nullable(),
    probability: p.integer().nullable(),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
    version: columns.version(),
  },
});
export type IPipelineStage = InferEntity<typeof PipelineStage>;

/** Fields a transition may require of its input. */
export const TRANSITION_FIELDS = ['reasonCode', 'competitor', 'note'] as const;
export type TransitionField = (typeof TRANSITION_FIELDS)[number];

/** An allowed move from one stage to another, what it requires and the named guards it runs. */
export const StageTransition = defineEntity({
  name: 'StageTransition',
  tableName: 'stage_transition',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    fromCode: p.string(),
    toCode: p.string(),
    requiredFields: p.json<TransitionField[]>(),
    /** Names of checks in the guard registry (domain/pipeline/guards.ts). */
    guards: p.json<string[]>(),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
  },
});
export type IStageTransition = InferEntity<typeof StageTransition>;

export const REASON_KINDS = ['REJECTION', 'LOSS'] as const;
export type ReasonKind = (typeof REASON_KINDS)[number];

/** A managed reason for rejecting (REJECTED) or losing (LOST) an opportunity. */
export const OpportunityReason = defineEntity({
  name: 'OpportunityReason',
  tableName: 'opportunity_reason',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    code: p.string(),
    label: p.string(),
    kind: p.enum(REASON_KINDS),
    active: p.boolean().default(true),
    position: p.integer().default(0),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
    version: columns.version(),
  },
});
export type IOpportunityReason = InferEntity<typeof OpportunityReason>;
