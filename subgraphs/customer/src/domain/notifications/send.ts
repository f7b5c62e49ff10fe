import { Checks, executeBoundPrepared, newId, ok } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { NotificationChannel } from '../../entities/index.js';
import type { ErrorCode, Result } from '../customer.errors.js';
import type { ChannelAdapters } from './adapters.js';
import { deliver } from './deliver.js';
import { type Account, recipientsOf } from './recipients.js';
import type { Variables } from './template-text.js';
import { DEFAULT_LOCALE, type Rendered, render, resolveTemplates, type TemplateRow } from './templates.js';

/**
 * The one way a message reaches a customer or a staff member (`recipients.ts`: staff get their inbox and
 * EMAIL, never marketing). Per message to a customer: the ACTIVE account in the storefront, the
 * channels (those asked, or the inbox plus the customer's preferred channels for the preference type,
 * EMAIL when none), marketing only on channels the customer consented to (the inbox excepted, and not
 * at all to an account without any consent), each rendered from the brand's template (else the
 * default; `name` is the account's unless given), handed to the channel's adapter (the inbox is `site_message`) and recorded in
 * `notification_sent`, failures included. A missing variable fails the whole call before anything is sent.
 */
export const MAX_SEND = 5000;

export type SendItem = {
  /** Exactly one of `customerId`, `staffId` and `partnerUserId`. */
  customerId?: string | null;
  staffId?: string | null;
  partnerUserId?: string | null;
  templateKey: string;
  variables: Variables;
  channels?: NotificationChannel[] | null;
  preferenceType?: string | null;
  marketing: boolean;
  dedupeKey?: string | null;
  /** Variables recorded as [redacted] in the history (one-time secrets); such a message cannot be resent. */
  redact?: string[];
  locale?: string;
};

export type SendOutcome = 'SENT' | 'OPTED_OUT' | 'SKIPPED' | 'DUPLICATE' | 'FAILED';
export type SendResult = {
  customerId: string | null;
  staffId: string | null;
  partnerUserId?: string | null;
  outcome: SendOutcome;
  channels: NotificationChannel[];
};

export type { Account } from './recipients.js';

/** One recorded message (a row of `notification_sent`). */
export type SentRecord = {
  id: string;
  storefront_id: string;
  customer_id: string | null;
  staff_id: string | null;
  partner_user_id?: string | null;
  template_key: string;
  channel: NotificationChannel;
  locale: string;
  recipient: string | null;
  subject: string | null;
  body: string;
  status: 'SENT' | 'FAILED';
  error: string | null;
  marketing: boolean;
  resendable: boolean;
  dedupe_key: string | null;
  resend_of: string | null;
  created_at: Date;
};

const REDACTED = '[redacted]';
const ALL_CHANNELS: NotificationChannel[] = ['EMAIL', 'SMS', 'SITE_MESSAGE', 'PUSH'];

export function channelsFor(item: SendItem, account: Account): NotificationChannel[] | 'OPTED_OUT' {
  if (account.partnerUser) return item.marketing ? 'OPTED_OUT' : ['EMAIL'];
  if (account.staff) return item.marketing ? 'OPTED_OUT' : item.channels?.length ? [...new Set(item.channels)] : ['SITE_MESSAGE', 'EMAIL'];
  const consented = new Set(account.consents.filter((c) => c.granted).map((c) => c.channel));
  if (item.marketing && consented.size === 0) return 'OPTED_OUT';
  const preferred = account.preferences.find((p) => p.type === item.preferenceType)?.channels ?? ['EMAIL'];
  const wanted: NotificationChannel[] = item.channels?.length
    ? [...new Set(item.channels)]
    : ['SITE_MESSAGE', ...preferred.filter((c): c is 'EMAIL' | 'SMS' | 'PUSH' => c === 'EMAIL' || c === 'SMS' || c === 'PUSH')];
  return item.marketing ? wanted.filter((c) => c === 'SITE_MESSAGE' || consented.has(c)) : wanted;
}

export const recipientOf = (channel: NotificationChannel, account: Pick<Account, 'id' | 'email' | 'mobile'>): string | null =>
  channel === 'EMAIL' ? account.email : channel === 'SMS' ? account.mobile : account.id;

export type Planned = { record: SentRecord; delivered: Rendered; item?: number };

function checkItems(items: SendItem[]): Checks<ErrorCode> {
  const checks = new Checks<ErrorCode>();
  if (items.length > MAX_SEND) checks.add('TOO_MANY', `At most ${MAX_SEND} messages`, ['input', 'messages']);
  for (const [i, item] of items.entries()) {
    const field = ['input', 'messages', String(i)];
    if ([item.customerId, item.staffId, item.partnerUserId].filter((id) => id != null).length !== 1)
      checks.add('INVALID', 'Give exactly one of customerId, staffId and partnerUserId', [...field, 'customerId']);
    checks.uuid(item.customerId, [...field, 'customerId']);
    checks.uuid(item.staffId, [...field, 'staffId']);
    checks.uuid(item.partnerUserId, [...field, 'partnerUserId']);
    checks.text(item.templateKey, [...field, 'templateKey'], 80);
    checks.text(item.dedupeKey, [...field, 'dedupeKey'], 200);
    checks.text(item.preferenceType, [...field, 'preferenceType'], 60);
  }
  return checks;
}

export async function sendNotifications(
  em: EntityManager,
  adapters: ChannelAdapters,
  storefrontId: string,
  items: SendItem[],
): Promise<Result<SendResult[]>> {
  const checks = checkItems(items);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  if (items.length === 0) return ok([]);
  const { customers, staff, partnerUsers } = await recipientsOf(em, storefrontId, items);
  // A message is written in the language asked, else its customer's (kept since sign-up), else the default.
  const localeOf = (item: SendItem) => item.locale ?? (item.customerId && customers.get(item.customerId)?.locale) ?? DEFAULT_LOCALE;
  const locales = [...new Set(items.map(localeOf))];
  const resolvers = new Map(
    await Promise.all(
      locales.map(
        async (l) =>
          [
            l,
            await resolveTemplates(
              em,
              storefrontId,
              items.map((i) => i.templateKey),
              l,
            ),
          ] as const,
      ),
    ),
  );
  // Only the channels a message may go to (those asked, when asked); the keys as one JSON parameter bound
  // server-side, so the statement text stays the same whatever the batch size (a campaign chunk sends thousands).
  // JSON, not `= any(text[])`: its set (estimated at 100 rows) keeps the plan on the unique index, where
  // 5,000 array elements against a small table get a sequential scan.
  const dedupeKeys = items.flatMap((i) =>
    i.dedupeKey ? (i.channels?.length ? i.channels : ALL_CHANNELS).map((c) => `${i.dedupeKey}:${c}`) : [],
  );
  const seen = new Set(
    dedupeKeys.length
      ? (
          await executeBoundPrepared<{ dedupe_key: string }>(
            em,
            'select dedupe_key from "customer"."notification_sent" where dedupe_key in (select jsonb_array_elements_text($1::jsonb))',
            [JSON.stringify(dedupeKeys)],
          )
        ).map((r) => r.dedupe_key)
      : [],
  );
  const now = new Date();
  const results: SendResult[] = [];
  const planned: Planned[] = [];
  const errors = new Checks<ErrorCode>();
  for (const [i, item] of items.entries()) {
    const to = { customerId: item.customerId ?? null, staffId: item.staffId ?? null, partnerUserId: item.partnerUserId ?? null };
    const account = item.staffId
      ? staff.get(item.staffId)
      : item.partnerUserId
        ? partnerUsers.get(item.partnerUserId)
        : customers.get(item.customerId as string);
    if (!account) {
      results.push({ ...to, outcome: 'SKIPPED', channels: [] });
      continue;
    }
    const channels = channelsFor(item, account);
    if (channels === 'OPTED_OUT') {
      results.push({ ...to, outcome: 'OPTED_OUT', channels: [] });
      continue;
    }
    const fresh = channels.filter((c) => !item.dedupeKey || !seen.has(`${item.dedupeKey}:${c}`));
    results.push({ ...to, outcome: channels.length && !fresh.length ? 'DUPLICATE' : 'SENT', channels: [] });
    for (const channel of fresh) {
      const template = (resolvers.get(localeOf(item)) as (k: string, c: NotificationChannel) => TemplateRow | null)(
        item.templateKey,
        channel,
      );
      const field = ['input', 'messages', String(i), 'variables'];
      // The account's own name is known here; a sender may still give its own.
      const variables = { name: account.name, ...item.variables };
      const rendered = template ? render(template, variables, field) : null;
      if (rendered && !rendered.ok) {
        // One error per message, not one per channel.
        for (const e of rendered.errors)
          if (!errors.errors.some((x) => x.message === e.message && x.field?.join() === e.field?.join())) errors.errors.push(e);
        continue;
      }
      const redacted =
        item.redact?.length && template
          ? render(template, { ...variables, ...Object.fromEntries(item.redact.map((n) => [n, REDACTED])) }, field)
          : rendered;
      // Staff have an email address and an inbox of their own; no phone or device here.
      const recipient = account.staff && channel !== 'EMAIL' && channel !== 'SITE_MESSAGE' ? null : recipientOf(channel, account);
      const problem = !template ? `No ${channel} template for ${item.templateKey}` : !recipient ? `No ${channel} address` : null;
      const shown = redacted?.ok ? redacted.value : { subject: null, body: '' };
      planned.push({
        item: i,
        delivered: rendered?.ok ? rendered.value : { subject: null, body: '' },
        record: {
          id: newId(),
          storefront_id: storefrontId,
          customer_id: account.staff || account.partnerUser ? null : account.id,
          staff_id: account.staff ? account.id : null,
          partner_user_id: account.partnerUser ? account.id : null,
          template_key: item.templateKey,
          channel,
          locale: template?.locale ?? localeOf(item),
          recipient,
          subject: shown.subject,
          body: shown.body,
          status: problem ? 'FAILED' : 'SENT',
          error: problem,
          marketing: item.marketing,
          resendable: !item.redact?.length,
          dedupe_key: item.dedupeKey ? `${item.dedupeKey}:${channel}` : null,
          resend_of: null,
          created_at: now,
        },
      });
    }
  }
  if (!errors.ok) return { ok: false, errors: errors.errors };
  await deliver(em, adapters, planned);
  // Each message's planned channels by its index (one pass: a campaign chunk sends thousands).
  const byItem = new Map<number, Planned[]>();
  for (const p of planned) if (p.item !== undefined) byItem.set(p.item, [...(byItem.get(p.item) ?? []), p]);
  for (const [i, result] of results.entries()) {
    const mine = byItem.get(i) ?? [];
    if (result.outcome !== 'SENT') continue;
    result.channels = mine.filter((p) => p.record.status === 'SENT').map((p) => p.record.channel);
    if (mine.length && result.channels.length === 0) result.outcome = 'FAILED';
  }
  return ok(results);
}
