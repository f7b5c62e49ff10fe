import { cursorDate, cursorId, type OrmKey, type Page, windowByParent } from '@dcrm/kit';
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

/** A page of each customer's open carts, most recently changed first: one statement, one row past the page each. */
export const openCartsOfEach = (em: EntityManager, storefrontId: string, customerIds: string[], page: Page): Promise<ICart[]> =>
  windowByParent(em, Cart, 'customerId', customerIds, { storefrontId, status: 'OPEN' }, RECENT, page);
