import { loggerFor, type Principal, SERVICE_SCOPES, type SubgraphTarget, servicePrincipal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sendNotification } from '../clients/customer.js';
import { type DropLinkRow, dropLinkToken } from './drop-links.js';

type Due = { reminder_id: string; step: number; created_at: Date } & DropLinkRow;
export type ReminderDeps = {
  customer: SubgraphTarget;
  secret: string;
  recoverUrl: (storefrontId: string, token: string) => string;
};

/**
 * Due reminders, each claimed once (SKIP LOCKED, so several workers share the work), then delivered
 * outside the transaction by the customer subgraph's notification service (templates `cart.reminder`
 * and `cart.browseReminder`): to the inbox, plus email/SMS where the customer prefers and consented.
 * Links recovered, ordered or expired stop their schedule; so does a customer with no marketing
 * consent at all (opted out). Returns how many reminders were sent.
 */
export async function sendDueReminders(em: EntityManager, deps: ReminderDeps, now: Date): Promise<number> {
  const due = (await em.transactional(async (tx) =>
    tx.execute(
      `update "cart"."reminder" r set sent_at = ? from "cart"."drop_link" dl
       where r.id in (select id from "cart"."reminder" where due_at <= ? and sent_at is null and cancelled_at is null
                      order by due_at limit 100 for update skip locked)
         and dl.id = r.drop_link_id
       returning r.id as reminder_id, r.step, dl.*`,
      [now, now],
    ),
  )) as Due[];
  let sent = 0;
  for (const reminder of due) {
    const outcome = await deliver(em, deps, reminder, now);
    if (outcome === true) sent += 1;
    // Nothing was sent yet: unclaimed, so a later run retries it.
    if (outcome === 'retry')
      await em.execute('update "cart"."reminder" set sent_at = null where id = ? and sent_at = ?', [reminder.reminder_id, now]);
  }
  return sent;
}

async function stop(em: EntityManager, linkId: string, reason: string, now: Date): Promise<void> {
  await em.execute(
    `update "cart"."reminder" set cancelled_at = ?, sent_at = null where drop_link_id = ? and (sent_at is null or sent_at = ?) and cancelled_at is null`,
    [now, linkId, now],
  );
  await em.execute('update "cart"."drop_link" set stopped_reason = coalesce(stopped_reason, ?) where id = ?', [reason, linkId]);
}

/** true: sent; false: stopped; 'retry': the customer service could not be asked, nothing sent. */
async function deliver(em: EntityManager, deps: ReminderDeps, r: Due, now: Date): Promise<boolean | 'retry'> {
  const [cart] = r.cart_id ? await em.execute('select status from "cart"."cart" where id = ?', [r.cart_id]) : [null];
  const [ordered] = r.customer_id
    ? await em.execute('select 1 from "cart"."customer_order" where customer_id = ? and placed_at > ? limit 1', [
        r.customer_id,
        r.created_at,
      ])
    : [null];
  const reason = r.recovered_at
    ? 'RECOVERED'
    : r.converted_at || cart?.status === 'CONVERTED' || ordered
      ? 'ORDERED'
      : new Date(r.expires_at) < now
        ? 'EXPIRED'
        : null;
  if (reason || !r.customer_id) {
    await stop(em, r.id, reason ?? 'NO_CUSTOMER', now);
    return false;
  }
  const service: Principal = servicePrincipal('cart', r.storefront_id, [SERVICE_SCOPES.messageSend]);
  const token = dropLinkToken(deps.secret, r.id);
  const read = await sendNotification(deps.customer, service, {
    customerId: r.customer_id,
    templateKey: r.kind === 'CART' ? 'cart.reminder' : 'cart.browseReminder',
    variables: [{ name: 'url', value: deps.recoverUrl(r.storefront_id, token) }],
    preferenceType: 'CART_REMINDERS',
    marketing: true,
    dedupeKey: `reminder:${r.reminder_id}`,
  });
  // Consent unknown is not consent refused: the reminder waits for the customer service instead of stopping for good.
  if ('unreachable' in read) {
    loggerFor('cart').warn(`reminder ${r.reminder_id} waits, customer service: ${read.unreachable}`);
    return 'retry';
  }
  if (read.sent.outcome === 'OPTED_OUT' || read.sent.outcome === 'SKIPPED') {
    await stop(em, r.id, 'OPTED_OUT', now);
    return false;
  }
  await em.execute('update "cart"."reminder" set channel = ? where id = ?', [
    read.sent.channels.map((c) => (c === 'SITE_MESSAGE' ? 'SITE' : c)).join(',') || null,
    r.reminder_id,
  ]);
  return true;
}
