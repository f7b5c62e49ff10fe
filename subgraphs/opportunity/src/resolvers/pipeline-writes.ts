import { payload } from '@dcrm/kit';
import { customFieldDefine, rejectionReasonCreate, rejectionReasonUpdate } from '../domain/pipeline/config-write.js';
import { leadQualify } from '../domain/pipeline/lead-qualify.js';
import { opportunityCreate, opportunityUpdate } from '../domain/pipeline/opportunity-write.js';
import { opportunityTransition } from '../domain/pipeline/transition.js';
import { afterActivity, afterCreate } from '../domain/work/hooks.js';
import type { OpportunityResolvers } from './context.js';

/** Mutations of the pipeline: opportunities, transitions, lead qualification, configuration. */
export const pipelineWriteResolvers: OpportunityResolvers = {
  Mutation: {
    opportunityCreate: async (_, { input }, ctx) => {
      const result = await opportunityCreate(ctx.em, ctx.services, ctx.principal, input);
      // Routed (team, owner when none) and its escalation queued: domain/work/hooks.ts.
      return payload('opportunity', result.ok ? { ok: true, value: await afterCreate(ctx.em, ctx.services, result.value) } : result);
    },
    opportunityUpdate: async (_, { input }, ctx) => {
      const result = await opportunityUpdate(ctx.em, ctx.services, ctx.principal, input);
      if (result.ok) await afterActivity(ctx.em, ctx.services, result.value);
      return payload('opportunity', result);
    },
    opportunityTransition: async (_, { input }, ctx) => {
      const result = await opportunityTransition(ctx.em, ctx.services, ctx.principal, input);
      if (result.ok) await afterActivity(ctx.em, ctx.services, result.value);
      return payload('opportunity', result);
    },
    leadQualify: async (_, { input }, ctx) => {
      const result = await leadQualify(ctx.em, ctx.services, ctx.principal, input);
      // A new opportunity (no routing yet; qualifying again answers the same one) is routed like a created one.
      if (result.ok && !(await ctx.loaders.routing.load(result.value.opportunity.id))) {
        result.value.opportunity = await afterCreate(ctx.em, ctx.services, result.value.opportunity);
        ctx.loaders.routing.clear(result.value.opportunity.id);
      }
      return result.ok ? { ...result.value, userErrors: [] } : { lead: null, opportunity: null, userErrors: result.errors };
    },
    rejectionReasonCreate: async (_, { input }, ctx) => payload('reason', await rejectionReasonCreate(ctx.em, ctx.principal, input)),
    rejectionReasonUpdate: async (_, { input }, ctx) => payload('reason', await rejectionReasonUpdate(ctx.em, ctx.principal, input)),
    customFieldDefine: async (_, { input }, ctx) => payload('definition', await customFieldDefine(ctx.em, ctx.principal, input)),
  },
};
