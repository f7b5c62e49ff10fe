import { payload } from '@dcrm/kit';
import { contractApprove, contractCancel, contractRenew, contractSubmit, contractTerminate } from '../domain/contract-actions.js';
import { contractCreate } from '../domain/contracts.js';
import type { QuoteResolvers } from './context.js';

/** Contract mutations: each calls one domain function and returns its payload. */
export const contractMutationResolvers: QuoteResolvers = {
  Mutation: {
    contractCreate: async (_, { input }, ctx) =>
      payload(
        'contract',
        await contractCreate(ctx.em, ctx.principal, ctx.services, {
          ...input,
          products: input.products.map((p) => ({ productId: p.productId, quantity: p.quantity ?? 1 })),
        }),
      ),
    contractSubmit: async (_, { input }, ctx) => payload('contract', await contractSubmit(ctx.em, ctx.principal, ctx.services, input)),
    contractApprove: async (_, { input }, ctx) => payload('contract', await contractApprove(ctx.em, ctx.principal, ctx.services, input)),
    contractCancel: async (_, { input }, ctx) => payload('contract', await contractCancel(ctx.em, ctx.principal, ctx.services, input)),
    contractTerminate: async (_, { input }, ctx) =>
      payload('contract', await contractTerminate(ctx.em, ctx.principal, ctx.services, input)),
    contractRenew: async (_, { input }, ctx) => payload('contract', await contractRenew(ctx.em, ctx.principal, ctx.services, input)),
  },
};
