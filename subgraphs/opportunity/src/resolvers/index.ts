import { mergeResolvers } from '@dcrm/kit';
import type { OpportunityResolvers } from './context.js';
import { leadImportResolvers } from './lead-import.js';
import { leadMutationResolvers } from './lead-mutations.js';
import { leadQualityResolvers } from './lead-quality.js';
import { leadResolvers } from './leads.js';
import { opportunityResolvers } from './opportunities.js';
import { pipelineResolvers } from './pipeline.js';
import { pipelineWriteResolvers } from './pipeline-writes.js';

export const resolvers: OpportunityResolvers = mergeResolvers(
  leadResolvers,
  leadMutationResolvers,
  opportunityResolvers,
  pipelineResolvers,
  pipelineWriteResolvers,
  leadQualityResolvers,
  leadImportResolvers,
);
