import { payload } from '@dcrm/kit';
import { leadUpdate } from '../domain/lead-update.js';
import { leadCapture, leadCreate } from '../domain/lead-write.js';
import type { OpportunityResolvers } from './context.js';

/** Mutation.leadCapture/leadCreate/leadUpdate. */
export const leadMutationResolvers: OpportunityResolvers = {
  Mutation: {
    leadCapture: async (_, { input }, ctx) => {
      const result = await leadCapture(ctx.em, ctx.services, ctx.principal, input);
      return result.ok ? { reference: result.value.reference, userErrors: [] } : { reference: null, userErrors: result.errors };
    },
    leadCreate: async (_, { input }, ctx) => payload('lead', await leadCreate(ctx.em, ctx.services, ctx.principal, input)),
    leadUpdate: async (_, { input }, ctx) => payload('lead', await leadUpdate(ctx.em, ctx.services, ctx.principal, input)),
  },
};
