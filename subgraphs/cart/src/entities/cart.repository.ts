import type { EntityManager } from '@mikro-orm/postgresql';
import { Cart, type ICart } from './cart.entity.js';

/** The carts of `ids` that belong to a storefront (ids must be UUIDs). */
export const cartsIn = (em: EntityManager, storefrontId: string, ids: readonly string[]): Promise<ICart[]> =>
  em.find(Cart, { id: { $in: [...ids] }, storefrontId });

/** One cart by id, whatever its storefront (callers decide who may see it). */
export const cartById = (em: EntityManager, id: string): Promise<ICart | null> => em.findOne(Cart, { id });

/** A customer's open carts in a storefront, most recently changed first. */
export const openCartsOf = (em: EntityManager, storefrontId: string, customerId: string): Promise<ICart[]> =>
  em.find(Cart, { customerId, storefrontId, status: 'OPEN' }, { orderBy: { updatedAt: 'desc' } });
