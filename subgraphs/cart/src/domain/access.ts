import { accountRowScope, actingStorefront, isUuid, type Principal, safeEqual, sha256Hex } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Cart, type ICart, type IOrder } from '../entities/index.js';

function tokenMatches(token: string | null | undefined, hash: string | null | undefined): boolean {
  return !!token && !!hash && safeEqual(sha256Hex(token), hash);
}

/**
 * A cart the caller may use: in their storefront, and either theirs (signed in) or opened with its
 * token. Anything else is indistinguishable from a cart that does not exist.
 */
export async function findCart(em: EntityManager, principal: Principal, id: string, token?: string | null): Promise<ICart | null> {
  const storefrontId = actingStorefront(principal);
  if (!isUuid(id) || !storefrontId) return null;
  const cart = await em.findOne(Cart, { id, storefrontId });
  if (!cart) return null;
  if (principal.kind === 'customer' && cart.customerId === principal.id) return cart;
  // Assisted sales: the staff member who took the cart over works on it with the customer.
  if (principal.kind === 'staff' && cart.assistedBy === principal.id) return cart;
  // The token is a capability: whoever holds it (a drop link's new device, too) may use the cart.
  return tokenMatches(token, cart.tokenHash) ? cart : null;
}

/**
 * Orders a principal may see: the customer's own, a partner's accounts', staff's segments — in their
 * storefront, and only when the principal's brands include it.
 */
export const orderScope = (principal: Principal): FilterQuery<IOrder> | null =>
  actingStorefront(principal) ? (accountRowScope(principal) as FilterQuery<IOrder> | null) : null;
