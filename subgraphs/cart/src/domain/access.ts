import { accountRowScope, actingStorefront, isUuid, type Page, type Principal, safeEqual, sha256Hex } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Cart, cartsIn, type ICart, type IOrder, openCartsOfEach } from '../entities/index.js';

function tokenMatches(token: string | null | undefined, hash: string | null | undefined): boolean {
  return !!token && !!hash && safeEqual(sha256Hex(token), hash);
}

/** A cart of the caller's storefront that they may use: theirs, one they assist, or opened with its token. */
function mayUse(principal: Principal, cart: ICart, token?: string | null): boolean {
  if (principal.kind === 'customer' && cart.customerId === principal.id) return true;
  // Assisted sales: the staff member who took the cart over works on it with the customer.
  if (principal.kind === 'staff' && cart.assistedBy === principal.id) return true;
  // The token is a capability: whoever holds it (a drop link's new device, too) may use the cart.
  return tokenMatches(token, cart.tokenHash);
}

/**
 * A cart the caller may use: in their storefront, and either theirs (signed in) or opened with its
 * token. Anything else is indistinguishable from a cart that does not exist.
 */
export async function findCart(em: EntityManager, principal: Principal, id: string, token?: string | null): Promise<ICart | null> {
  const storefrontId = actingStorefront(principal);
  if (!isUuid(id) || !storefrontId) return null;
  const cart = await em.findOne(Cart, { id, storefrontId });
  return cart && mayUse(principal, cart, token) ? cart : null;
}

/** The carts of `ids` the caller may use without a token (as `findCart`); the others are left out. */
export async function visibleCarts(em: EntityManager, principal: Principal, ids: readonly string[]): Promise<ICart[]> {
  const storefrontId = actingStorefront(principal);
  const valid = ids.filter(isUuid);
  if (!storefrontId || valid.length === 0) return [];
  return (await cartsIn(em, storefrontId, valid)).filter((cart) => mayUse(principal, cart));
}

/** Customers' open carts (a page each), for whoever reaches them through the customer subgraph; a customer sees only their own. */
export async function customerCarts(em: EntityManager, principal: Principal, customerIds: string[], page: Page): Promise<ICart[]> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId || principal.kind === 'anonymous') return [];
  const reachable = principal.kind === 'customer' ? customerIds.filter((id) => id === principal.id) : customerIds;
  return reachable.length ? openCartsOfEach(em, storefrontId, reachable, page) : [];
}

/**
 * Orders a principal may see: the customer's own, a partner's accounts', staff's segments — in their
 * storefront, and only when the principal's brands include it.
 */
export const orderScope = (principal: Principal): FilterQuery<IOrder> | null =>
  actingStorefront(principal) ? (accountRowScope(principal) as FilterQuery<IOrder> | null) : null;
