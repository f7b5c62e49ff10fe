import { actingStorefront, byId, groupedBy, type Principal } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';
import { createCampaignLoaders } from './domain/kpis.js';
import { OPEN_STATUSES, offerScope, openAt } from './domain/offer-access.js';
import type { PromotionServices } from './domain/services.js';
import { Campaign, type ICampaign, type IOffer, type IPromotion, Offer, type OfferStatus, PromotionRow } from './entities/index.js';

export type PromotionLoaders = ReturnType<typeof createPromotionLoaders>;

const BEST_FIRST = { score: 'desc', createdAt: 'desc', id: 'desc' } as const;

/** Offers in `statuses` at `now` (EXPIRED also matches open offers past their end; open ones exclude them). */
export function offerStatusFilter(statuses: OfferStatus[] | null | undefined, now: Date): FilterQuery<IOffer> {
  if (!statuses?.length) return openAt(now);
  const open = statuses.filter((s) => OPEN_STATUSES.includes(s));
  const closed = statuses.filter((s) => !open.includes(s));
  const alternatives: FilterQuery<IOffer>[] = [];
  if (open.length) alternatives.push({ status: { $in: open }, $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] });
  if (closed.length) alternatives.push({ status: { $in: closed } });
  if (closed.includes('EXPIRED')) alternatives.push({ status: { $in: OPEN_STATUSES }, expiresAt: { $lte: now } });
  return { $or: alternatives };
}

export function createPromotionLoaders(em: EntityManager, principal: Principal, services: PromotionServices) {
  const scope = offerScope(principal);
  const now = services.clock.now();
  // One loader per distinct argument set, so `customers { offers(status: …) }` stays one statement.
  const perArgs = new Map<string, DataLoader<string, IOffer[]>>();
  const customerOffers = (statuses: OfferStatus[] | null | undefined) => {
    const key = JSON.stringify(statuses ?? null);
    let loader = perArgs.get(key);
    if (!loader) {
      loader = groupedBy<IOffer>(
        (ids) =>
          scope
            ? em.find(
                Offer,
                { $and: [scope, { customerId: { $in: [...ids] } }, offerStatusFilter(statuses, now)] },
                { orderBy: BEST_FIRST },
              )
            : Promise.resolve([]),
        (o) => o.customerId as string,
      );
      perArgs.set(key, loader);
    }
    return loader;
  };
  // About a product: the caller's own open offers (customers) and the storefront's public ones.
  // Everything here is within the request's storefront, and only when the principal's brands include it.
  const storefrontId = actingStorefront(principal);
  const productScope: FilterQuery<IOffer> | null = storefrontId
    ? {
        storefrontId,
        customerId: principal.kind === 'customer' && principal.id ? { $in: [principal.id, null] } : null,
      }
    : null;
  return {
    ...createCampaignLoaders(em, principal, services),
    now,
    scope,
    customerOffers,
    productOffers: groupedBy<IOffer>(
      (ids) =>
        productScope
          ? em.find(Offer, { $and: [productScope, { productId: { $in: [...ids] } }, openAt(now)] }, { orderBy: BEST_FIRST })
          : Promise.resolve([]),
      (o) => o.productId as string,
    ),
    // Promotions of the caller's storefront only (staff CRUD, Campaign/OfferRule.promotion, `_entities`).
    promotion: byId<IPromotion>(
      (ids) => (storefrontId ? em.find(PromotionRow, { id: { $in: [...ids] }, storefrontId }) : Promise.resolve([])),
      (p) => p.id,
    ),
    campaign: byId<ICampaign>(
      (ids) => (storefrontId ? em.find(Campaign, { id: { $in: [...ids] }, storefrontId }) : Promise.resolve([])),
      (c) => c.id,
    ),
  };
}
