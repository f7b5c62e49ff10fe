import { loggerFor, type Principal, SERVICE_SCOPES, type SubgraphTarget, servicePrincipal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { preferencesOf, sendSiteMessage } from '../clients/customer.js';
import type { ChannelAdapter } from './channels.js';
import { type DropLinkRow, dropLinkToken } from './drop-links.js';

type Due = { reminder_id: string; step: number; created_at: Date } & DropLinkRow;
export type ReminderDeps = {
  customer: SubgraphTarget;
  channel: ChannelAdapter;
  secret: string;
  recoverUrl: (storefrontId: string, token: string) => string;
};

/**
 * Due reminders, each claimed once (SKIP LOCKED, so several workers share the work), then delivered
 * outside the transaction: always to the inbox, plus email/SMS where the customer prefers and
 * consented. Links recovered, ordered or expired stop their schedule; so does a customer with no
 * marketing consent at all (opted out). Returns how many reminders were sent.
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

/** true: sent; false: stopped; 'retry': the customer's consent could not be read, nothing sent. */
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
  const read = await preferencesOf(deps.customer, service, r.customer_id);
  // Consent unknown is not consent refused: the reminder waits for the customer service instead of stopping for good.
  if ('unreadable' in read) {
    loggerFor('cart').warn(`reminder ${r.reminder_id} waits, consent unreadable: ${read.unreadable}`);
    return 'retry';
  }
  const prefs = read.preferences;
  const consented = new Set((prefs?.consents ?? []).filter((c) => c.granted).map((c) => c.channel));
  if (!prefs || consented.size === 0) {
    await stop(em, r.id, 'OPTED_OUT', now);
    return false;
  }
  const token = dropLinkToken(deps.secret, r.id);
  const url = deps.recoverUrl(r.storefront_id, token);
  const subject = r.kind === 'CART' ? 'Your cart is waiting' : 'Still thinking it over?';
  const body = `${r.kind === 'CART' ? 'Pick up where you left off' : 'Have another look at what you viewed'}: ${url}`;
  await sendSiteMessage(deps.customer, service, r.customer_id, subject, body);
  const preferred = prefs.notificationPreferences.find((p) => p.type === 'CART_REMINDERS')?.channels ?? ['EMAIL'];
  const channels = preferred.filter((c): c is 'EMAIL' | 'SMS' => (c === 'EMAIL' || c === 'SMS') && consented.has(c));
  for (const channel of channels) {
    await deps.channel.send({ storefrontId: r.storefront_id, customerId: r.customer_id, channel, subject, body, linkToken: token }, em);
  }
  await em.execute('update "cart"."reminder" set channel = ? where id = ?', [['SITE', ...channels].join(','), r.reminder_id]);
  return true;
}
