import { groupedBy, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { catalogLoader } from './domain/catalog.js';
import type { CartServices } from './domain/services.js';
import { CartLine, type ICartLine, type IOrderLine, OrderEvent, OrderLine } from './entities/index.js';

export type CartLoaders = ReturnType<typeof createCartLoaders>;

export function createCartLoaders(em: EntityManager, principal: Principal, services: CartServices) {
  return {
    catalog: catalogLoader(services.peers('catalog'), principal),
    lines: groupedBy<ICartLine>(
      (ids) => em.find(CartLine, { cart: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
      (l) => l.cart.id,
    ),
    orderLines: groupedBy<IOrderLine>(
      (ids) => em.find(OrderLine, { order: { $in: [...ids] } }, { orderBy: { id: 'asc' } }),
      (l) => l.order.id,
    ),
    orderEvents: groupedBy<{ order: { id: string }; status: string; reason?: string | null; at: Date }>(
      (ids) => em.find(OrderEvent, { order: { $in: [...ids] } }, { orderBy: { at: 'asc', id: 'asc' } }),
      (e) => e.order.id,
    ),
  };
}
