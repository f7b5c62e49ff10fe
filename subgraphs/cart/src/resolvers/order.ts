import { actingStorefront, isUuid, money, notFound, parsePage, type Resolvers, toConnection } from '@dcrm/kit';
import { customerCarts } from '../domain/access.js';
import { findOrder, listOrders } from '../domain/orders.js';
import { bestsellers, type IOrder, type IOrderLine } from '../entities/index.js';
import { discountsView, totalsView } from './cart.js';
import type { CartContext } from './context.js';

type PageArgs = { first?: number | null; after?: string | null };

async function ordersPage(ctx: CartContext, args: PageArgs, customerId?: string) {
  const page = parsePage(args, 'NEWEST', 1);
  const after = page.after ? String(page.after[0]) : null;
  const rows = await listOrders(ctx.em, ctx.principal, { customerId, after, limit: page.limit + 1 });
  return toConnection(rows, page, 'NEWEST', (o) => [o.id]);
}

export const orderResolvers: Resolvers = {
  Query: {
    order: async (_: unknown, { id }: { id: string }, ctx: CartContext) => {
      const order = isUuid(id) ? await findOrder(ctx.em, ctx.principal, id) : null;
      if (!order) throw notFound('Order');
      return order;
    },
    orders: (_: unknown, args: PageArgs, ctx: CartContext) => ordersPage(ctx, args),
    bestsellers: async (_: unknown, { first }: { first?: number | null }, ctx: CartContext) => {
      const storefrontId = actingStorefront(ctx.principal);
      if (!storefrontId) return [];
      const rows = await bestsellers(ctx.em, storefrontId, Math.min(Math.max(first ?? 10, 0), 100));
      return rows.map((r) => ({ product: { __typename: 'Product', id: r.productId }, unitsSold: r.units }));
    },
  },
  Order: {
    __resolveReference: (ref: { id: string }, ctx: CartContext) => ctx.loaders.order.load(ref.id),
    lines: (o: IOrder, _: unknown, ctx: CartContext) =>
      ctx.loaders.orderLines.load(o.id).then((lines) => lines.map((l) => ({ ...l, currencyCode: o.currencyCode }))),
    totals: (o: IOrder) => totalsView(o.totals),
    discounts: (o: IOrder) => discountsView(o.totals.appliedDiscounts ?? [], o.currencyCode),
    customer: (o: IOrder) => ({ __typename: 'Customer', id: o.customerId }),
    history: (o: IOrder, _: unknown, ctx: CartContext) => ctx.loaders.orderEvents.load(o.id),
  },
  OrderLine: {
    product: (l: IOrderLine) => ({ __typename: 'Product', id: l.productId }),
    recurringPrice: (l: IOrderLine & { currencyCode: string }) => (l.recurringPrice ? money(l.recurringPrice, l.currencyCode) : null),
    oneOffPrice: (l: IOrderLine & { currencyCode: string }) => (l.oneOffPrice ? money(l.oneOffPrice, l.currencyCode) : null),
    deposit: (l: IOrderLine & { currencyCode: string }) => (l.deposit ? money(l.deposit, l.currencyCode) : null),
  },
  Customer: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    // Reached through the customer subgraph's rules; a customer principal still only ever gets their own.
    carts: (c: { id: string }, _: unknown, ctx: CartContext) => customerCarts(ctx.em, ctx.principal, c.id),
    orders: (c: { id: string }, args: PageArgs, ctx: CartContext) => ordersPage(ctx, args, c.id),
  },
};
