import { type AccountRowFilter, cursorId, groupedBy, parentPages, windowByParent } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  CustomFieldDefinition,
  type ICustomFieldDefinition,
  type IOpportunity,
  type IOpportunityHistory,
  type IOpportunityLine,
  type IPipelineStage,
  type IStageTransition,
  Opportunity,
  OpportunityHistory,
  OpportunityLine,
  PipelineStage,
  StageTransition,
} from './entities/index.js';

/**
 * Per-request loaders of the pipeline's child lists: one statement per list (per page request for
 * `history`) however many opportunities a page holds. Children of a visible opportunity are visible; `leadOpportunity` keeps
 * to the caller's rows itself.
 */
export function createPipelineLoaders(em: EntityManager, scope: AccountRowFilter | null) {
  const ids = (keys: readonly string[]) => ({ $in: [...keys] });
  return {
    lines: groupedBy<IOpportunityLine>(
      (keys) => em.find(OpportunityLine, { opportunityId: ids(keys) }, { orderBy: { opportunityId: 'asc', position: 'asc' } }),
      (l) => l.opportunityId,
    ),
    // Pages of stage changes, oldest first (v7 ids are time-ordered): one statement per page request.
    history: parentPages<IOpportunityHistory>(
      (parents, page) =>
        windowByParent(em, OpportunityHistory, 'opportunityId', parents, {}, [{ field: 'id', dir: 'asc', parse: cursorId }], page),
      { sort: 'OLDEST', arity: 1, keyOf: (h) => [h.id], parentOf: (h) => h.opportunityId },
    ),
    stages: groupedBy<IPipelineStage>(
      (keys) => em.find(PipelineStage, { storefrontId: ids(keys) }, { orderBy: { position: 'asc' } }),
      (s) => s.storefrontId,
    ),
    transitions: groupedBy<IStageTransition>(
      (keys) => em.find(StageTransition, { storefrontId: ids(keys) }, { orderBy: { fromCode: 'asc', toCode: 'asc' } }),
      (t) => t.storefrontId,
    ),
    customFieldDefinitions: groupedBy<ICustomFieldDefinition>(
      (keys) => em.find(CustomFieldDefinition, { storefrontId: ids(keys) }, { orderBy: { position: 'asc', key: 'asc' } }),
      (c) => c.storefrontId,
    ),
    leadOpportunity: groupedBy<IOpportunity>(
      (keys) => (scope ? em.find(Opportunity, { $and: [scope, { leadId: ids(keys) }] }) : Promise.resolve([])),
      (o) => o.leadId as string,
    ),
  };
}
