import { actingStorefront, badInput, isUuid, notFound, payload, type Resolvers } from '@dcrm/kit';
import { effectiveStatus } from '../domain/offer-access.js';
import { OFFER_MOVES, type OfferCreateInput, offerCreate, offerMove } from '../domain/offer-actions.js';
import { type OfferRuleCreateInput, type OfferRuleUpdateInput, offerRuleCreate, offerRuleUpdate } from '../domain/offer-rules.js';
import { type IOffer, type IOfferRule, liveStorefrontOffers, type OfferStatus, offerRulesOf } from '../entities/index.js';
import type { PromotionContext } from './context.js';

const limit = (first: number | null | undefined, max: number) => {
  const n = first ?? 10;
  if (!Number.isInteger(n) || n < 0 || n > max) throw badInput(`first must be between 0 and ${max}`, 'first');
  return n;
};

const move =
  (name: keyof typeof OFFER_MOVES) =>
  async (_: unknown, { input }: { input: { id: string } }, ctx: PromotionContext) =>
    payload(
      'offer',
      isUuid(input.id)
        ? await offerMove(ctx.em, ctx.principal, ctx.services.clock.now(), input.id, OFFER_MOVES[name])
        : { ok: false as const, errors: [{ code: 'NOT_FOUND', message: 'No such offer', field: ['input', 'id'] }] },
    );

export const offerResolvers: Resolvers = {
  Query: {
    offer: async (_: unknown, { id }: { id: string }, ctx: PromotionContext) => {
      const offer = isUuid(id) ? await ctx.loaders.offer.load(id) : null;
      if (!offer) throw notFound('Offer');
      return offer;
    },
    storefrontLiveOffers: (_: unknown, { first }: { first?: number | null }, ctx: PromotionContext) => {
      const storefrontId = actingStorefront(ctx.principal);
      if (!storefrontId) return [];
      return liveStorefrontOffers(ctx.em, storefrontId, ctx.loaders.now, limit(first, 50));
    },
    offerRules: (_: unknown, __: unknown, ctx: PromotionContext) => {
      const storefrontId = actingStorefront(ctx.principal);
      return storefrontId ? offerRulesOf(ctx.em, storefrontId) : [];
    },
  },
  Mutation: {
    offerAccept: move('accept'),
    offerDismiss: move('dismiss'),
    offerSeen: move('seen'),
    offerCreate: async (_: unknown, { input }: { input: OfferCreateInput }, ctx: PromotionContext) =>
      payload('offer', await offerCreate(ctx.em, ctx.services, ctx.principal, input)),
    offerRuleCreate: async (_: unknown, { input }: { input: OfferRuleCreateInput }, ctx: PromotionContext) =>
      payload('offerRule', await offerRuleCreate(ctx.em, ctx.principal, input)),
    offerRuleUpdate: async (_: unknown, { input }: { input: OfferRuleUpdateInput }, ctx: PromotionContext) =>
      payload(
        'offerRule',
        isUuid(input.id)
          ? await offerRuleUpdate(ctx.em, ctx.principal, input)
          : { ok: false as const, errors: [{ code: 'NOT_FOUND', message: 'No such rule', field: ['input', 'id'] }] },
      ),
  },
  Offer: {
    __resolveReference: (ref: { id: string }, ctx: PromotionContext) => (isUuid(ref.id) ? ctx.loaders.offer.load(ref.id) : null),
    status: (o: IOffer, _: unknown, ctx: PromotionContext) => effectiveStatus(o, ctx.loaders.now),
    score: (o: IOffer) => Number(o.score),
    product: (o: IOffer) => (o.productId ? { __typename: 'Product', id: o.productId } : null),
    customer: (o: IOffer) => (o.customerId ? { __typename: 'Customer', id: o.customerId } : null),
    // Campaign names and results are staff business: `@internal` in the SDL refuses everyone else.
    campaign: (o: IOffer, _: unknown, ctx: PromotionContext) => (o.campaignId ? ctx.loaders.campaign.load(o.campaignId) : null),
  },
  OfferRule: {
    // Staff only, per `@lookup` in the SDL; the loader keeps to the caller's storefront.
    __resolveReference: (ref: { id: string }, ctx: PromotionContext) => (isUuid(ref.id) ? ctx.loaders.offerRule.load(ref.id) : null),
    score: (r: IOfferRule) => Number(r.score),
    promotion: (r: IOfferRule, _: unknown, ctx: PromotionContext) => (r.promotionId ? ctx.loaders.promotion.load(r.promotionId) : null),
  },
  Customer: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    // The customer subgraph decided this account is visible; rows carry segment and partner for the same rule here.
    offers: (c: { id: string }, args: { status?: OfferStatus[] | null; first?: number | null }, ctx: PromotionContext) => {
      const n = limit(args.first ?? 20, 100);
      return isUuid(c.id)
        ? ctx.loaders
            .customerOffers(args.status)
            .load(c.id)
            .then((rows) => rows.slice(0, n))
        : [];
    },
  },
  Product: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    offers: (p: { id: string }, args: { first?: number | null }, ctx: PromotionContext) => {
      const n = limit(args.first ?? 5, 20);
      return isUuid(p.id) ? ctx.loaders.productOffers.load(p.id).then((rows) => rows.slice(0, n)) : [];
    },
  },
};
