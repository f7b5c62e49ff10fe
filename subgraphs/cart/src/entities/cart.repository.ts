import { cursorDate, cursorId, keysetOrderBy, keysetWhere, type OrmKey, type Page } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Cart, type ICart } from './cart.entity.js';

/** The carts of `ids` that belong to a storefront (ids must be UUIDs). */
export const cartsIn = (em: EntityManager, storefrontId: string, ids: readonly string[]): Promise<ICart[]> =>
  em.find(Cart, { id: { $in: [...ids] }, storefrontId });

/** One cart by id, whatever its storefront (callers decide who may see it). */
export const cartById = (em: EntityManager, id: string): Promise<ICart | null> => em.findOne(Cart, { id });

/** A customer's open carts in a storefront, most recently changed first. */
const RECENT: OrmKey[] = [
  { field: 'updatedAt', dir: 'desc', parse: cursorDate },
  { field: 'id', dir: 'desc', parse: cursorId },
];
export const cartKey = (c: ICart): unknown[] => [c.updatedAt.toISOString(), c.id];

/** One page of a customer's open carts, most recently changed first; one row past the page tells whether there is more. */
export const openCartsOf = (em: EntityManager, storefrontId: string, customerId: string, page: Page): Promise<ICart[]> =>
  em.find(
    Cart,
    { customerId, storefrontId, status: 'OPEN', ...keysetWhere(RECENT, page) },
    { orderBy: keysetOrderBy(RECENT, page), limit: page.limit + 1 },
  );
