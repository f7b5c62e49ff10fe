import { actingStorefront, isUuid, money, notFound, type PageArgs, pageArgs, pageSize, parsePage, toConnection } from '@dcrm/kit';
import { findOrder, listOrders } from '../domain/orders.js';
import { bestsellers } from '../entities/index.js';
import { discountsView, totalsView } from './cart.js';
import type { CartContext, CartResolvers } from './context.js';

async function ordersPage(ctx: CartContext, args: PageArgs) {
  const page = parsePage(args, 'NEWEST', 1);
  const rows = await listOrders(ctx.em, ctx.principal, undefined, page);
  return toConnection(rows, page, 'NEWEST', (o) => [o.id]);
}

export const orderResolvers: CartResolvers = {
  Query: {
    order: async (_, { id }, ctx) => {
      const order = isUuid(id) ? await findOrder(ctx.em, ctx.principal, id) : null;
      if (!order) throw notFound('Order');
      return order;
    },
    orders: (_, args, ctx) => ordersPage(ctx, args),
    bestsellers: async (_, { first }, ctx) => {
      const limit = pageSize(first, 10, 'first');
      const storefrontId = actingStorefront(ctx.principal);
      if (!storefrontId) return [];
      const rows = await bestsellers(ctx.em, storefrontId, limit);
      return rows.map((r) => ({ product: { __typename: 'Product', id: r.productId }, unitsSold: r.units }));
    },
  },
  Order: {
    __resolveReference: (ref, ctx) => ctx.loaders.order.load(ref.id),
    lines: (o, _, ctx) => ctx.loaders.orderLines.load(o.id).then((lines) => lines.map((l) => ({ ...l, currencyCode: o.currencyCode }))),
    totals: (o) => totalsView(o.totals),
    discounts: (o) => discountsView(o.totals.appliedDiscounts ?? [], o.currencyCode),
    customer: (o) => ({ __typename: 'Customer', id: o.customerId }),
    history: (o, args, ctx) => ctx.loaders.orderEvents.load({ parent: o.id, ...pageArgs(args) }),
  },
  OrderLine: {
    product: (l) => ({ __typename: 'Product', id: l.productId }),
    recurringPrice: (l) => (l.recurringPrice ? money(l.recurringPrice, l.currencyCode) : null),
    oneOffPrice: (l) => (l.oneOffPrice ? money(l.oneOffPrice, l.currencyCode) : null),
    deposit: (l) => (l.deposit ? money(l.deposit, l.currencyCode) : null),
  },
  Customer: {
    __resolveReference: (ref) => ({ id: ref.id }),
    // Reached through the customer subgraph's rules; a customer principal still only ever gets their own.
    carts: (c, args, ctx) => ctx.loaders.customerCarts.load({ parent: c.id, ...pageArgs(args) }),
    orders: (c, args, ctx) => ctx.loaders.customerOrders.load({ parent: c.id, ...pageArgs(args) }),
  },
};
