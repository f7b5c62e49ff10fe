import { actingStorefront, isUuid, money, notFound, parsePage, type Resolvers, toConnection } from '@dcrm/kit';
import { orderScope } from '../domain/access.js';
import { findOrder } from '../domain/orders.js';
import { Cart, type IOrder, type IOrderLine, Order } from '../entities/index.js';
import { discountsView, totalsView } from './cart.js';
import type { CartContext } from './context.js';

type PageArgs = { first?: number | null; after?: string | null };

async function ordersPage(ctx: CartContext, args: PageArgs, customerId?: string) {
  const page = parsePage(args, 'NEWEST', 1);
  const scope = orderScope(ctx.principal);
  if (!scope) return toConnection([], page, 'NEWEST', () => []);
  const rows = await ctx.em.find(
    Order,
    { $and: [scope, customerId ? { customerId } : {}, page.after ? { id: { $lt: String(page.after[0]) } } : {}] },
    { orderBy: { id: 'desc' }, limit: page.limit + 1 },
  );
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
      const limit = Math.min(Math.max(first ?? 10, 0), 100);
      const storefrontId = actingStorefront(ctx.principal);
      if (!storefrontId) return [];
      const rows = await ctx.em.execute(
        `select ol.product_id, sum(ol.quantity)::int as units from "cart"."order_line" ol join "cart"."customer_order" o on o.id = ol.order_id
         where o.storefront_id = ? and o.status <> 'CANCELLED' group by ol.product_id order by units desc, ol.product_id limit ?`,
        [storefrontId, limit],
      );
      return rows.map((r) => ({ product: { __typename: 'Product', id: r.product_id }, unitsSold: r.units }));
    },
  },
  Order: {
    __resolveReference: (ref: { id: string }, ctx: CartContext) => (isUuid(ref.id) ? findOrder(ctx.em, ctx.principal, ref.id) : null),
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
    carts: (c: { id: string }, _: unknown, ctx: CartContext) => {
      const p = ctx.principal;
      const storefrontId = actingStorefront(p);
      if (!storefrontId || (p.kind === 'customer' && p.id !== c.id) || p.kind === 'anonymous') return [];
      return ctx.em.find(Cart, { customerId: c.id, storefrontId, status: 'OPEN' }, { orderBy: { updatedAt: 'desc' } });
    },
    orders: (c: { id: string }, args: PageArgs, ctx: CartContext) => ordersPage(ctx, args, c.id),
  },
};
