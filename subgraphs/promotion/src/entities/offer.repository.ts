import { cursorDate, cursorId, keysetOrderBy, keysetWhere, type OrmKey, type Page } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IOffer, type IOfferRule, Offer, OfferRule, type OfferStatus } from './offer.entity.js';

/** Statuses of an offer the customer can still act on. */
export const OPEN_STATUSES: OfferStatus[] = ['NEW', 'SEEN', 'ACCEPTED'];

/** Best offer first as keyset keys (score, then the newest, then id) and an offer's cursor values in that order. */
export const BEST_FIRST_KEYS: OrmKey[] = [
  { field: 'score', dir: 'desc', parse: Number },
  { field: 'createdAt', dir: 'desc', parse: cursorDate },
  { field: 'id', dir: 'desc', parse: cursorId },
];
export const offerKey = (o: IOffer): unknown[] => [Number(o.score), o.createdAt.toISOString(), o.id];

/** Where clause for offers still open at `now`. */
export const openAt = (now: Date): FilterQuery<IOffer> => ({
  status: { $in: OPEN_STATUSES },
  $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }],
});

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

/** A page of a storefront's public offers open at `now`, best first (one row past the page). */
export const liveStorefrontOffers = (em: EntityManager, storefrontId: string, now: Date, page: Page): Promise<IOffer[]> =>
  em.find(
    Offer,
    { $and: [{ storefrontId, customerId: null }, openAt(now), keysetWhere(BEST_FIRST_KEYS, page) as FilterQuery<IOffer>] },
    {
      orderBy: keysetOrderBy(BEST_FIRST_KEYS, page),
      limit: page.limit + 1,
    },
  );

/** A storefront's real-time rules, oldest first. */
const OLDEST: OrmKey[] = [
  { field: 'createdAt', dir: 'asc', parse: cursorDate },
  { field: 'id', dir: 'asc', parse: cursorId },
];
export const offerRuleKey = (r: IOfferRule): unknown[] => [r.createdAt.toISOString(), r.id];

/** One page of a storefront's offer rules, oldest first; one row past the page tells whether there is more. */
export const offerRulesPage = (em: EntityManager, storefrontId: string, page: Page): Promise<IOfferRule[]> =>
  em.find(OfferRule, { storefrontId, ...keysetWhere(OLDEST, page) }, { orderBy: keysetOrderBy(OLDEST, page), limit: page.limit + 1 });
