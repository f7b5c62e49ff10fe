import {
  actingStorefront,
  byId,
  groupedBy,
  isServiceUnavailable,
  loggerFor,
  type Principal,
  parentPages,
  serviceUnavailable,
} from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { catalogReader } from './clients/catalog.js';
import { type CartEvaluation, type EvaluationInput, MAX_EVALUATIONS } from './clients/promotions.js';
import { customerCarts, visibleCarts } from './domain/access.js';
import { listOrdersOfEach, visibleOrders } from './domain/orders.js';
import { priceLines } from './domain/pricing.js';
import { type Buyer, customersWithOrders, evaluationInput, NO_EVALUATION } from './domain/promotions.js';
import type { CartServices } from './domain/services.js';
import type { BudgetUse } from './domain/spend.js';
import { spendBudgetsOf, treeOnce } from './domain/spend-budgets.js';
import {
  CartLine,
  cartKey,
  type ICart,
  type ICartLine,
  type IOrder,
  type IOrderEvent,
  type IOrderLine,
  OrderLine,
  orderEventKey,
  orderEventsOfEach,
} from './entities/index.js';

export type CartLoaders = ReturnType<typeof createCartLoaders>;

export function createCartLoaders(em: EntityManager, principal: Principal, services: CartServices) {
  // Products and the storefront's locale (for promotions) in one catalog call when both are needed.
  const reader = catalogReader(services.peers('catalog'), principal);
  const catalog = reader.products;
  const lines = groupedBy<ICartLine>(
    (ids) => em.find(CartLine, { cart: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
    (l) => l.cart.id,
  );
  const hasOrdered = new DataLoader<string, boolean>(async (customerIds) => {
    const storefrontId = actingStorefront(principal);
    const ordered = storefrontId ? await customersWithOrders(em, storefrontId, [...customerIds]) : new Set();
    return customerIds.map((id) => ordered.has(id));
  });

  /** What promotions need to know of a cart's buyer besides the cart: first order or not, and the storefront's locale. */
  const buyer = async (customerId: string | null): Promise<Buyer> => {
    const [ordered, storefrontLocaleValue] = await Promise.all([customerId ? hasOrdered.load(customerId) : false, reader.locale()]);
    return { isFirstOrder: !!customerId && !ordered, locale: storefrontLocaleValue };
  };

  /** What the promotion subgraph is asked for a cart; null when nothing in it can be discounted. */
  const inputOf = async (cart: ICart): Promise<EvaluationInput | null> => {
    const cartLines = await lines.load(cart.id);
    if (cartLines.length === 0) return null;
    const [products, about] = await Promise.all([
      Promise.all(cartLines.map((l) => catalog.load(l.productId))),
      buyer(cart.customerId ?? null),
    ]);
    const input = evaluationInput(cart, priceLines(cartLines, products), about);
    return input.lines.length > 0 ? input : null;
  };

  /**
   * The promotions of all the carts a request shows, asked of the promotion subgraph in one call per
   * storefront. When that fails the carts concerned get an error, never "no discounts": their
   * `discounts` and `totals` then fail alone (SERVICE_UNAVAILABLE) instead of showing a wrong price.
   */
  const evaluate = async (carts: readonly ICart[]): Promise<(CartEvaluation | Error)[]> => {
    const inputs = await Promise.all(carts.map(inputOf));
    const results: (CartEvaluation | Error)[] = carts.map(() => NO_EVALUATION);
    const byStorefront = new Map<string, { index: number; input: EvaluationInput }[]>();
    for (const [index, input] of inputs.entries()) {
      if (!input) continue;
      const storefrontId = carts[index].storefrontId;
      byStorefront.set(storefrontId, [...(byStorefront.get(storefrontId) ?? []), { index, input }]);
    }
    await Promise.all(
      [...byStorefront].map(async ([storefrontId, group]) => {
        try {
          const evaluations = await services.promotions.evaluateAll(
            storefrontId,
            group.map((g) => g.input),
          );
          for (const [i, { index }] of group.entries()) results[index] = evaluations[i];
        } catch (error) {
          if (!isServiceUnavailable(error)) loggerFor('cart').error({ err: error }, 'promotion evaluation failed');
          const failure = isServiceUnavailable(error) ? (error as Error) : serviceUnavailable('promotion');
          for (const { index } of group) results[index] = failure;
        }
      }),
    );
    return results;
  };

  // One account-tree answer per request, however many accounts' budgets or held orders it reads.
  const tree = treeOnce({ em, principal, services });

  return {
    tree,
    /** Each account's spend budgets with their current period's spend, for `Customer.spendBudgets`. */
    spendBudgets: new DataLoader<string, BudgetUse[]>((ids) => spendBudgetsOf({ em, principal, services }, ids, tree)),
    // Pages of accounts' orders and open carts: one statement per page request, however many accounts.
    customerOrders: parentPages<IOrder>((parents, page) => listOrdersOfEach(em, principal, parents, page), {
      sort: 'NEWEST',
      arity: 1,
      keyOf: (o) => [o.id],
      parentOf: (o) => o.customerId,
    }),
    customerCarts: parentPages<ICart>((parents, page) => customerCarts(em, principal, parents, page), {
      sort: 'RECENT',
      arity: 2,
      keyOf: cartKey,
      parentOf: (c) => c.customerId ?? null,
    }),
    /** Carts by id as `findCart` shows them without a token (entity references carry none). */
    cart: byId(
      (ids) => visibleCarts(em, principal, ids),
      (c) => c.id,
    ),
    /** Orders by id as `findOrder` shows them. */
    order: byId(
      (ids) => visibleOrders(em, principal, ids),
      (o) => o.id,
    ),
    catalog,
    lines,
    evaluation: new DataLoader<ICart, CartEvaluation, string>(evaluate, { cacheKeyFn: (c) => c.id, maxBatchSize: MAX_EVALUATIONS }),
    buyer,
    orderLines: groupedBy<IOrderLine>(
      (ids) => em.find(OrderLine, { order: { $in: [...ids] } }, { orderBy: { id: 'asc' } }),
      (l) => l.order.id,
    ),
    /** Pages of orders' status histories, oldest first: one statement per page request, however many orders. */
    orderEvents: parentPages<IOrderEvent>((parents, page) => orderEventsOfEach(em, parents, page), {
      sort: 'OLDEST',
      arity: 2,
      keyOf: orderEventKey,
      parentOf: (e) => e.order.id,
    }),
  };
}
