import { payload } from '@dcrm/kit';
import { quoteAccept } from '../domain/acceptance.js';
import type { QuoteResolvers } from './context.js';

/** Mutation.quoteAccept, the accepted quote's order, contract and acceptance, its contract terms, Order.quote. */
export const acceptanceResolvers: QuoteResolvers = {
  Mutation: {
    quoteAccept: async (_, args, ctx) => payload('quote', await quoteAccept(ctx, args)),
  },
  Quote: {
    acceptance: (q, _, ctx) => ctx.loaders.acceptance.load(q.id),
    order: async (q, _, ctx) => {
      const acceptance = await ctx.loaders.acceptance.load(q.id);
      return acceptance?.orderId ? { __typename: 'Order', id: acceptance.orderId } : null;
    },
    contract: async (q, _, ctx) => {
      const acceptance = await ctx.loaders.acceptance.load(q.id);
      return acceptance?.contractId ? ctx.loaders.contract.load(acceptance.contractId) : null;
    },
    contractTerms: (q, _, ctx) => (q.contractTemplateId ? ctx.loaders.contractTemplate.load(q.contractTemplateId) : null),
  },
  QuoteContractTerms: {
    templateId: (t) => t.id,
  },
  QuoteAcceptance: {
    acceptedAt: (a) => a.acceptedAt as Date,
    acceptedByKind: (a) => a.actorKind,
    acceptedBy: (a) => a.actorId,
  },
  Order: {
    quote: async (o, _, ctx) => (await ctx.loaders.orderQuote.load(o.id))?.quote ?? null,
  },
};
