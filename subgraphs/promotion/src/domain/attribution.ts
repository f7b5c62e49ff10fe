import type { OrderPlacedEvent } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';

/** How long after a campaign completes an order still counts as its conversion. */
export const ATTRIBUTION_WINDOW_DAYS = 7;

const DECIMAL = /^-?\d+(\.\d{1,2})?$/;

/**
 * An order converts the customer's campaign offers made before it, of campaigns running or completed
 * within the window: each such offer records the order's time, what it charged at once and what it
 * charges every month (none when the event predates monthly amounts). Every
 * campaign that reached the customer gets the credit (multi-touch). Idempotent: an offer converts once,
 * so a re-delivered event changes nothing. Returns the offers converted.
 */
export async function attributeOrder(em: EntityManager, event: OrderPlacedEvent): Promise<string[]> {
  const at = new Date(event.at);
  const monthly = event.monthly ?? '0';
  if (Number.isNaN(at.getTime()) || !DECIMAL.test(event.dueNow) || !DECIMAL.test(monthly)) return [];
  const rows = (await em.execute(
    `update "promotion"."offer" o set converted_at = ?, revenue = ?::numeric, revenue_recurring = ?::numeric
     from "promotion"."campaign" c
     where c.id = o.campaign_id and o.customer_id = ? and o.storefront_id = ? and o.converted_at is null and o.created_at <= ?
       and (c.status = 'RUNNING' or (c.status = 'COMPLETED' and c.completed_at >= ?::timestamptz - make_interval(days => ?)))
     returning o.id`,
    [at, event.dueNow, monthly, event.customerId, event.storefrontId, at, at, ATTRIBUTION_WINDOW_DAYS],
  )) as { id: string }[];
  return rows.map((r) => r.id);
}
