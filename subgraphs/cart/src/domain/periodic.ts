import { dispatchNotifications } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sweep } from './abandonment.js';
import { sendDueReminders } from './reminders.js';
import type { CartServices } from './services.js';

/** Publishes outbox events after their transaction committed; each row once, across instances. */
export async function publishOutbox(em: EntityManager, services: CartServices): Promise<number> {
  const rows = (await em.transactional((tx) =>
    tx.execute(
      `update "cart"."outbox" set published_at = ? where id in (
         select id from "cart"."outbox" where published_at is null order by created_at limit 100 for update skip locked)
       returning type, payload`,
      [services.clock.now()],
    ),
  )) as { type: string; payload: unknown }[];
  for (const row of rows) await services.bus.publish(row.type, row.payload);
  return rows.length;
}

/** The cart subgraph's periodic work (a graphile-worker cron task; tests call it with a manual clock). */
export async function runAbandonment(em: EntityManager, services: CartServices) {
  const now = services.clock.now();
  const links = await sweep(em, services.abandonment, now);
  const reminders = await sendDueReminders(
    em,
    { customer: services.peers('customer'), secret: services.secret, recoverUrl: services.recoverUrl },
    now,
  );
  const events = await publishOutbox(em, services);
  // Notifications whose first send after commit could not reach the customer service.
  const notifications = await dispatchNotifications(em, services.peers('customer'), 'cart');
  return { links: links.length, reminders, events, notifications };
}
