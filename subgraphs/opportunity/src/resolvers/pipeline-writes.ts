import { payload } from '@dcrm/kit';
import { customFieldDefine, rejectionReasonCreate, rejectionReasonUpdate } from '../domain/pipeline/config-write.js';
import { leadQualify } from '../domain/pipeline/lead-qualify.js';
import { opportunityCreate, opportunityUpdate } from '../domain/pipeline/opportunity-write.js';
import { opportunityTransition } from '../domain/pipeline/transition.js';
import type { OpportunityResolvers } from './context.js';

/** Mutations of the pipeline: opportunities, transitions, lead qualification, configuration. */
export const pipelineWriteResolvers: OpportunityResolvers = {
  Mutation: {
    opportunityCreate: async (_, { input }, ctx) =>
      payload('opportunity', await opportunityCreate(ctx.em, ctx.services, ctx.principal, input)),
    opportunityUpdate: async (_, { input }, ctx) =>
      payload('opportunity', await opportunityUpdate(ctx.em, ctx.services, ctx.principal, input)),
    opportunityTransition: async (_, { input }, ctx) =>
      payload('opportunity', await opportunityTransition(ctx.em, ctx.services, ctx.principal, input)),
    leadQualify: async (_, { input }, ctx) => {
      const result = await leadQualify(ctx.em, ctx.services, ctx.principal, input);
      return result.ok ? { ...result.value, userErrors: [] } : { lead: null, opportunity: null, userErrors: result.errors };
    },
    rejectionReasonCreate: async (_, { input }, ctx) => payload('reason', await rejectionReasonCreate(ctx.em, ctx.principal, input)),
    rejectionReasonUpdate: async (_, { input }, ctx) => payload('reason', await rejectionReasonUpdate(ctx.em, ctx.principal, input)),
    customFieldDefine: async (_, { input }, ctx) => payload('definition', await customFieldDefine(ctx.em, ctx.principal, input)),
  },
};
