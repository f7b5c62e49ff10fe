import { groupedBy, memo, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { catalogLoader } from './domain/catalog.js';
import { type CartEvaluation, customersWithOrders, evaluationInput, NO_EVALUATION, storefrontLocale } from './domain/promotions.js';
import type { CartServices } from './domain/services.js';
import { CartLine, type ICart, type ICartLine, type IOrderLine, OrderEvent, OrderLine } from './entities/index.js';

export type CartLoaders = ReturnType<typeof createCartLoaders>;

export function createCartLoaders(em: EntityManager, principal: Principal, services: CartServices) {
  const catalog = catalogLoader(services.peers('catalog'), principal);
  const lines = groupedBy<ICartLine>(
    (ids) => em.find(CartLine, { cart: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
    (l) => l.cart.id,
  );
  const locale = memo(() => storefrontLocale(services.peers, principal));
  const hasOrdered = new DataLoader<string, boolean>(async (customerIds) => {
    const ordered = principal.storefrontId ? await customersWithOrders(em, principal.storefrontId, [...customerIds]) : new Set();
    return customerIds.map((id) => ordered.has(id));
  });

  /** A cart's promotions, asked of the promotion subgraph once per cart and request. */
  const evaluate = async (cart: ICart): Promise<CartEvaluation> => {
    const cartLines = await lines.load(cart.id);
    if (cartLines.length === 0) return NO_EVALUATION;
    const [products, ordered, storefrontLocaleValue] = await Promise.all([
      Promise.all(cartLines.map((l) => catalog.load(l.productId))),
      cart.customerId ? hasOrdered.load(cart.customerId) : Promise.resolve(false),
      locale(),
    ]);
    const input = evaluationInput(cart, cartLines, products, {
      isFirstOrder: !!cart.customerId && !ordered,
      locale: storefrontLocaleValue,
    });
    if (input.lines.length === 0) return NO_EVALUATION;
    try {
      return await services.promotions.evaluate(cart.storefrontId, input);
    } catch (error) {
      // Showing a cart does not fail with promotions down: no discounts shown; checkout re-checks authoritatively.
      console.error('[dcrm] cart: promotion evaluation failed', error);
      return NO_EVALUATION;
    }
  };

  return {
    catalog,
    lines,
    evaluation: new DataLoader<ICart, CartEvaluation, string>((carts) => Promise.all(carts.map(evaluate)), { cacheKeyFn: (c) => c.id }),
    hasOrdered,
    locale,
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
