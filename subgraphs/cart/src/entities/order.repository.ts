import { cursorDate, cursorId, keysetOrderBy, keysetWhere, type OrmKey, type Page, windowByParent } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IOrder, type IOrderEvent, Order, OrderEvent } from './order.entity.js';

/** The orders of `ids` within a row scope (ids must be UUIDs). */
export const ordersIn = (em: EntityManager, scope: FilterQuery<IOrder>, ids: readonly string[]): Promise<IOrder[]> =>
  em.find(Order, { $and: [scope, { id: { $in: [...ids] } }] });

/** Newest first (UUIDv7 ids), keyset after `after`; optionally one customer's. */
const NEWEST: OrmKey[] = [{ field: 'id', dir: 'desc', parse: cursorId }];

export const ordersPage = (em: EntityManager, scope: FilterQuery<IOrder>, customerId: string | undefined, page: Page): Promise<IOrder[]> =>
  em.find(
    Order,
    { $and: [scope, customerId ? { customerId } : {}, keysetWhere(NEWEST, page)] },
    { orderBy: keysetOrderBy(NEWEST, page), limit: page.limit + 1 },
  );

/** Newest-first pages of several customers' orders within a row scope: one statement, at most a page and one row each. */
export const ordersPageOfEach = (em: EntityManager, scope: FilterQuery<IOrder>, customerIds: string[], page: Page): Promise<IOrder[]> =>
  windowByParent(em, Order, 'customerId', customerIds, scope, NEWEST, page);

/** An order's status changes, oldest first. */
const OLDEST: OrmKey[] = [
  { field: 'at', dir: 'asc', parse: cursorDate },
  { field: 'id', dir: 'asc', parse: cursorId },
];
export const orderEventKey = (e: IOrderEvent): unknown[] => [e.at.toISOString(), e.id];

/** A page of each order's status history, oldest first (orders already visible to the caller): one statement. */
export const orderEventsOfEach = (em: EntityManager, orderIds: string[], page: Page): Promise<IOrderEvent[]> =>
  windowByParent(em, OrderEvent, 'order', orderIds, {}, OLDEST, page);

/** A storefront's products by units sold on orders that were not cancelled, most sold first. */
export async function bestsellers(em: EntityManager, storefrontId: string, limit: number): Promise<{ productId: string; units: number }[]> {
  const rows = await em.execute(
    `select ol.product_id, sum(ol.quantity)::int as units from "cart"."order_line" ol join "cart"."customer_order" o on o.id = ol.order_id
     where o.storefront_id = ? and o.status in ('PLACED', 'PROVISIONING', 'ACTIVE') group by ol.product_id order by units desc, ol.product_id limit ?`,
    [storefrontId, limit],
  );
  return rows.map((r) => ({ productId: r.product_id as string, units: r.units as number }));
}

/** Of `customerIds`, those with a non-cancelled order in the storefront holding any of `productIds`. */
export async function customersHolding(
  em: EntityManager,
  storefrontId: string,
  customerIds: readonly string[],
  productIds: readonly string[],
): Promise<string[]> {
  const rows = await em.execute(
    `select distinct o.customer_id from "cart"."customer_order" o
     where o.storefront_id = ? and o.status in ('PLACED', 'PROVISIONING', 'ACTIVE')
       and o.customer_id in (select jsonb_array_elements_text(?::jsonb)::uuid)
       and exists (select 1 from "cart"."order_line" l where l.order_id = o.id and l.product_id in (select jsonb_array_elements_text(?::jsonb)::uuid))`,
    [storefrontId, JSON.stringify(customerIds), JSON.stringify(productIds)],
  );
  return rows.map((r) => r.customer_id as string);
}
