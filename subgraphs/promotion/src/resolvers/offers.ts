import { actingStorefront, emptyConnection, isUuid, notFound, pageArgs, parsePage, payload, toConnection } from '@dcrm/kit';
import { offerAnswered } from '../domain/decisioning/responses.js';
import { effectiveStatus } from '../domain/offer-access.js';
import { OFFER_MOVES, offerCreate, offerMove } from '../domain/offer-actions.js';
import { offerRuleCreate, offerRuleUpdate } from '../domain/offer-rules.js';
import { liveStorefrontOffers, offerKey, offerRuleKey, offerRulesPage } from '../entities/index.js';
import type { MutationResolvers } from '../generated/resolvers.js';
import type { PromotionResolvers } from './context.js';

const move =
  (name: keyof typeof OFFER_MOVES): MutationResolvers['offerAccept'] =>
  async (_, { input }, ctx) =>
    payload(
      'offer',
      isUuid(input.id)
        ? await offerMove(ctx.em, ctx.principal, ctx.services.clock.now(), input.id, OFFER_MOVES[name], (offer) =>
            offerAnswered(ctx.em, ctx.services, offer),
          )
        : { ok: false as const, errors: [{ code: 'NOT_FOUND', message: 'No such offer', field: ['input', 'id'] }] },
    );

export const offerResolvers: PromotionResolvers = {
  Query: {
    offer: async (_, { id }, ctx) => {
      const offer = isUuid(id) ? await ctx.loaders.offer.load(id) : null;
      if (!offer) throw notFound('Offer');
      return offer;
    },
    storefrontLiveOffers: async (_, args, ctx) => {
      const page = parsePage(args, 'BEST', 3, { defaultSize: 10, max: 50 });
      const storefrontId = actingStorefront(ctx.principal);
      const rows = storefrontId ? await liveStorefrontOffers(ctx.em, storefrontId, ctx.loaders.now, page) : [];
      return toConnection(rows, page, 'BEST', offerKey);
    },
    offerRules: async (_, args, ctx) => {
      const page = parsePage(args, 'OLDEST', 2);
      const storefrontId = actingStorefront(ctx.principal);
      const rows = storefrontId ? await offerRulesPage(ctx.em, storefrontId, page) : [];
      return toConnection(rows, page, 'OLDEST', offerRuleKey);
    },
  },
  Mutation: {
    offerAccept: move('accept'),
    offerDismiss: move('dismiss'),
    offerSeen: move('seen'),
    offerCreate: async (_, { input }, ctx) => payload('offer', await offerCreate(ctx.em, ctx.services, ctx.principal, input)),
    offerRuleCreate: async (_, { input }, ctx) => payload('offerRule', await offerRuleCreate(ctx.em, ctx.principal, input)),
    offerRuleUpdate: async (_, { input }, ctx) =>
      payload(
        'offerRule',
        isUuid(input.id)
          ? await offerRuleUpdate(ctx.em, ctx.principal, input)
          : { ok: false as const, errors: [{ code: 'NOT_FOUND', message: 'No such rule', field: ['input', 'id'] }] },
      ),
  },
  Offer: {
    __resolveReference: (ref, ctx) => (isUuid(ref.id) ? ctx.loaders.offer.load(ref.id) : null),
    status: (o, _, ctx) => effectiveStatus(o, ctx.loaders.now),
    score: (o) => Number(o.score),
    product: (o) => (o.productId ? { __typename: 'Product', id: o.productId } : null),
    customer: (o) => (o.customerId ? { __typename: 'Customer', id: o.customerId } : null),
    // Campaign names and results are staff business: `@internal` in the SDL refuses everyone else.
    campaign: (o, _, ctx) => (o.campaignId ? ctx.loaders.campaign.load(o.campaignId) : null),
  },
  OfferRule: {
    // Staff only, per `@lookup` in the SDL; the loader keeps to the caller's storefront.
    __resolveReference: (ref, ctx) => (isUuid(ref.id) ? ctx.loaders.offerRule.load(ref.id) : null),
    score: (r) => Number(r.score),
    promotion: (r, _, ctx) => (r.promotionId ? ctx.loaders.promotion.load(r.promotionId) : null),
  },
  Customer: {
    __resolveReference: (ref) => ({ id: ref.id }),
    // The customer subgraph decided this account is visible; rows carry segment and partner for the same rule here.
    offers: (c, args, ctx) => {
      if (isUuid(c.id)) return ctx.loaders.customerOffers.load({ parent: c.id, ...pageArgs(args), filter: args.status ?? null });
      parsePage(args, 'BEST', 3);
      return emptyConnection();
    },
  },
  Product: {
    __resolveReference: (ref) => ({ id: ref.id }),
    offers: (p, args, ctx) => {
      if (isUuid(p.id)) return ctx.loaders.productOffers.load({ parent: p.id, ...pageArgs(args) });
      parsePage(args, 'BEST', 3, { defaultSize: 5, max: 20 });
      return emptyConnection();
    },
  },
};
