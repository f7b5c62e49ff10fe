import { type CartAbandonedEvent, EVENTS, isUuid, newId, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AbandonmentConfig } from './abandonment-config.js';

/** A signed-in customer viewed a product (anonymous views are not kept: nobody to remind). */
export async function recordView(em: EntityManager, principal: Principal, productId: string, now: Date): Promise<boolean> {
  if (principal.kind !== 'customer' || !principal.storefrontId || !isUuid(productId)) return false;
  await em.execute('insert into "cart"."browse_event" (id, storefront_id, customer_id, product_id, viewed_at) values (?, ?, ?, ?, ?)', [
    newId(),
    principal.storefrontId,
    principal.id,
    productId,
    now,
  ]);
  return true;
}

function reminderRows(linkIds: string[], config: AbandonmentConfig, now: Date): unknown[][] {
  return linkIds.flatMap((id) =>
    config.reminderScheduleMs.map((offset, step) => [newId(), id, step + 1, new Date(now.getTime() + offset)]),
  );
}

type LinkRow = {
  id: string;
  storefront_id: string;
  customer_id: string;
  kind: 'CART' | 'BROWSE';
  state: { lines: { productId: string }[] | null; viewedProductIds: string[] | null };
};

/**
 * Turns idle carts (customer-owned, with lines, untouched for `cartIdleMs`) and idle browsing (views,
 * no cart activity since, for `browseIdleMs`) into drop links with their reminder schedule — in one
 * transaction. `unique (kind, source_key)` makes concurrent sweepers create each link once.
 * Returns the ids of the links created by this call.
 */
export async function sweep(em: EntityManager, config: AbandonmentConfig, now: Date): Promise<string[]> {
  return em.transactional(async (tx) => {
    const expires = new Date(now.getTime() + config.linkTtlMs);
    const carts = await tx.execute(
      `insert into "cart"."drop_link" (id, storefront_id, kind, source_key, customer_id, cart_id, state, created_at, expires_at)
       select gen_random_uuid(), c.storefront_id, 'CART', c.id, c.customer_id, c.id,
         jsonb_build_object('step', 'CART', 'viewedProductIds', '[]'::jsonb, 'lines',
           (select jsonb_agg(jsonb_build_object('productId', l.product_id, 'quantity', l.quantity, 'parentLineId', l.parent_line_id) order by l.created_at)
            from "cart"."cart_line" l where l.cart_id = c.id)),
         ?, ?
       from "cart"."cart" c
       where c.status = 'OPEN' and c.customer_id is not null and c.updated_at < ?
         and exists (select 1 from "cart"."cart_line" l where l.cart_id = c.id)
       on conflict (kind, source_key) do nothing returning id, storefront_id, customer_id, kind, state`,
      [now, expires, new Date(now.getTime() - config.cartIdleMs)],
    );
    const browse = await tx.execute(
      `insert into "cart"."drop_link" (id, storefront_id, kind, source_key, customer_id, cart_id, state, created_at, expires_at)
       select gen_random_uuid(), last.storefront_id, 'BROWSE', last.id, last.customer_id, null,
         jsonb_build_object('step', 'BROWSING', 'lines', '[]'::jsonb, 'viewedProductIds',
           (select jsonb_agg(distinct b.product_id) from "cart"."browse_event" b where b.customer_id = last.customer_id and b.viewed_at > ? )),
         ?, ?
       from (select distinct on (customer_id) * from "cart"."browse_event" order by customer_id, viewed_at desc) last
       where last.viewed_at < ? and last.viewed_at > ?
         and not exists (select 1 from "cart"."cart" c where c.customer_id = last.customer_id and c.updated_at > last.viewed_at - interval '1 second'
                         and exists (select 1 from "cart"."cart_line" l where l.cart_id = c.id))
       on conflict (kind, source_key) do nothing returning id, storefront_id, customer_id, kind, state`,
      [
        new Date(now.getTime() - config.linkTtlMs),
        now,
        expires,
        new Date(now.getTime() - config.browseIdleMs),
        new Date(now.getTime() - config.linkTtlMs),
      ],
    );
    const links = [...carts, ...browse] as LinkRow[];
    const created = links.map((r) => r.id);
    for (const row of reminderRows(created, config, now)) {
      await tx.execute('insert into "cart"."reminder" (id, drop_link_id, step, due_at) values (?, ?, ?, ?)', row);
    }
    for (const link of links) {
      // The outbox row's id is the event's id: consumers count each event once.
      const event: CartAbandonedEvent = {
        eventId: newId(),
        dropLinkId: link.id,
        storefrontId: link.storefront_id,
        customerId: link.customer_id,
        kind: link.kind,
        productIds: [
          ...new Set(link.kind === 'CART' ? (link.state.lines ?? []).map((l) => l.productId) : (link.state.viewedProductIds ?? [])),
        ],
        at: now.toISOString(),
      };
      await tx.execute(`insert into "cart"."outbox" (id, type, payload, created_at) values (?, ?, ?::jsonb, ?)`, [
        event.eventId,
        EVENTS.cartAbandoned,
        JSON.stringify(event),
        now,
      ]);
    }
    return created;
  });
}
