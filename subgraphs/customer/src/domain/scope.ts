import { type Principal, segmentsOf } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { ICustomer, IPartner, IStaff } from '../entities/index.js';

// The role a BUSINESS account's holder gets at sign-in is kit's, so other modules widen its scope alike.
export { ACCOUNT_ADMIN } from '@dcrm/kit';

/**
 * Which accounts a principal may see, as a filter, or null for none. Always within the principal's
 * storefront. `ownTree` is the customer's own id plus, for a business admin, its descendants.
 * - customer: their own account (and descendants if admin)
 * - partner (user or key): accounts with its partner id
 * - staff: accounts of their market segments (`segment:*` for all)
 * - chatbot keys (anonymous with customer:lookup): accounts of the storefront, for identity lookups
 */
export function customerScope(principal: Principal, ownTree: string[] = []): FilterQuery<ICustomer> | null {
  const storefrontId = principal.storefrontId;
  // A service sees accounts only when it names the storefront it acts for (the router's key check names none).
  if (principal.kind === 'service') return storefrontId ? { storefrontId } : null;
  if (!storefrontId) return null;
  switch (principal.kind) {
    case 'customer':
      return ownTree.length ? { storefrontId, id: { $in: ownTree } } : null;
    case 'partner':
      return principal.partnerId ? { storefrontId, partner: principal.partnerId } : null;
    case 'staff': {
      const segments = segmentsOf(principal);
      if (segments.includes('*')) return { storefrontId };
      return segments.length ? { storefrontId, segment: { $in: segments } } : null;
    }
    case 'anonymous':
      return principal.scopes.includes('customer:lookup') ? { storefrontId } : null;
    default:
      return null;
  }
}

/** Staff records are for staff of the same storefront (and services); null for anyone else. */
export const visibleStaff = (principal: Principal, staff: IStaff | null): IStaff | null =>
  staff && (principal.kind === 'service' || (principal.kind === 'staff' && principal.storefrontId === staff.storefrontId)) ? staff : null;

/** A partner organisation is for staff of its storefront, its own users and keys (and services); null for anyone else. */
export const visiblePartner = (principal: Principal, partner: IPartner | null): IPartner | null =>
  partner &&
  (principal.kind === 'service' ||
    (principal.kind === 'staff' && principal.storefrontId === partner.storefrontId) ||
    (principal.kind === 'partner' && principal.partnerId === partner.id))
    ? partner
    : null;
