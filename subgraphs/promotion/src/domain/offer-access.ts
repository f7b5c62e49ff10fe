import { accountRowScope, actingStorefront, type Principal } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import { type IOffer, type OfferStatus, OPEN_STATUSES } from '../entities/index.js';

/**
 * Offers a principal may see: personal offers of the accounts it may see (the customer's own, a
 * partner's accounts', staff's segments — rows copy the account's segment and partner) and the
 * public offers of its storefront. Nothing outside the principal's storefront.
 */
export function offerScope(principal: Principal): FilterQuery<IOffer> | null {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) return null;
  const publicOffers = { storefrontId, customerId: null };
  const personal = principal.kind === 'anonymous' ? null : accountRowScope(principal);
  if (!personal) return publicOffers;
  // A service or all-segment staff scope is the whole storefront, public offers included.
  return { $or: [personal as FilterQuery<IOffer>, publicOffers] };
}

/** Expiry is a matter of time, not of a job having run: an open offer past its end reads as EXPIRED. */
export function effectiveStatus(offer: Pick<IOffer, 'status' | 'expiresAt'>, now: Date): OfferStatus {
  return OPEN_STATUSES.includes(offer.status) && offer.expiresAt && offer.expiresAt <= now ? 'EXPIRED' : offer.status;
}
