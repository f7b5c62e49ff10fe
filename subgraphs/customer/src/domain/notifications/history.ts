import { type Connection, fail, isUuid, keysetSql, newId, ok, type PageArgs, type Principal, parsePage, toConnection } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { NotificationChannel } from '../../entities/index.js';
import type { Result } from '../customer.errors.js';
import { customerScope } from '../scope.js';
import type { ChannelAdapters } from './adapters.js';
import { deliver } from './deliver.js';
import { recipientOf, type SentRecord } from './send.js';

/** A recorded message as the API shows it. */
export type NotificationSentView = {
  id: string;
  templateKey: string;
  channel: NotificationChannel;
  locale: string;
  recipient: string | null;
  subject: string | null;
  body: string;
  status: 'SENT' | 'FAILED';
  error: string | null;
  customerId: string | null;
  resendOfId: string | null;
  createdAt: Date;
};

export const sentView = (r: Record<string, unknown>): NotificationSentView => ({
  id: r.id as string,
  templateKey: r.template_key as string,
  channel: r.channel as NotificationChannel,
  locale: r.locale as string,
  recipient: (r.recipient as string | null) ?? null,
  subject: (r.subject as string | null) ?? null,
  body: r.body as string,
  status: r.status as 'SENT' | 'FAILED',
  error: (r.error as string | null) ?? null,
  customerId: (r.customer_id as string | null) ?? null,
  resendOfId: (r.resend_of as string | null) ?? null,
  createdAt: new Date(r.created_at as string),
});

/**
 * Staff's view of the history: rows of the storefront they act in, of accounts in their segments (all
 * with `segment:*`). Null: the principal sees none.
 */
function staffWhere(principal: Principal): { sql: string; params: unknown[] } | null {
  const scope = customerScope(principal) as { storefrontId?: string; segment?: { $in: string[] } } | null;
  if (principal.kind !== 'staff' || !scope?.storefrontId) return null;
  const segments = scope.segment?.$in;
  return {
    sql: `n.storefront_id = ?${segments ? ' and c.segment in (?)' : ''}`,
    params: [scope.storefrontId, ...(segments ? [segments] : [])],
  };
}

export type SentFilter = { customerId?: string | null; templateKey?: string | null; channel?: string | null; status?: string | null };

/** Newest first, keyset by id (UUID v7: time-ordered). */
export async function notificationsSentPage(
  em: EntityManager,
  principal: Principal,
  filter: SentFilter | null | undefined,
  args: PageArgs,
): Promise<Connection<NotificationSentView>> {
  const page = parsePage(args, 'NEWEST', 1);
  const scope = staffWhere(principal);
  if (!scope || (filter?.customerId != null && !isUuid(filter.customerId))) return toConnection([], page, 'NEWEST', () => []);
  const where = [scope.sql];
  const params = [...scope.params];
  for (const [column, value] of [
    ['n.customer_id', filter?.customerId],
    ['n.template_key', filter?.templateKey],
    ['n.channel', filter?.channel],
    ['n.status', filter?.status],
  ] as const) {
    if (value == null) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  const keyset = keysetSql([{ expr: 'n.id', dir: 'desc', cast: 'uuid' }], page, params);
  where.push(...keyset.conditions);
  const rows = await em.execute(
    `select n.* from "customer"."notification_sent" n join "customer"."customer" c on c.id = n.customer_id
     where ${where.join(' and ')} order by ${keyset.orderBy} limit ?`,
    [...params, page.limit + 1],
  );
  return toConnection(rows.map(sentView), page, 'NEWEST', (r) => [r.id]);
}

/** One record staff may see (their storefront and segments), else null. */
export async function visibleSent(em: EntityManager, principal: Principal, id: string): Promise<SentRecord | null> {
  const scope = staffWhere(principal);
  if (!scope || !isUuid(id)) return null;
  const [row] = (await em.execute(
    `select n.* from "customer"."notification_sent" n join "customer"."customer" c on c.id = n.customer_id where n.id = ? and ${scope.sql}`,
    [id, ...scope.params],
  )) as SentRecord[];
  return row ?? null;
}

/**
 * Staff send a recorded message again, as it was rendered, on its channel to the account's current
 * address. Refused for a message holding a one-time secret (recorded redacted), for an account no
 * longer ACTIVE and, for marketing, once the customer withdrew consent on that channel.
 */
export async function notificationResend(
  em: EntityManager,
  adapters: ChannelAdapters,
  principal: Principal,
  id: string,
): Promise<Result<NotificationSentView>> {
  const original = await visibleSent(em, principal, id);
  if (!original) return fail('NOT_FOUND', 'Notification not found', ['input', 'id']);
  if (!original.resendable)
    return fail('NOT_RESENDABLE', 'This message held a one-time secret; the customer asks for a new one', ['input', 'id']);
  const [account] = (await em.execute(`select id, email, mobile, consents from "customer"."customer" where id = ? and status = 'ACTIVE'`, [
    original.customer_id,
  ])) as { id: string; email: string; mobile: string | null; consents: { channel: string; granted: boolean }[] }[];
  if (!account) return fail('INACTIVE', 'The account is no longer active', ['input', 'id']);
  const consented = account.consents.some((c) => c.channel === original.channel && c.granted);
  if (original.marketing && original.channel !== 'SITE_MESSAGE' && !consented)
    return fail('NO_CONSENT', `The customer no longer consents to ${original.channel}`, ['input', 'id']);
  const recipient = recipientOf(original.channel, account);
  const record: SentRecord = {
    ...original,
    id: newId(),
    recipient,
    status: recipient ? 'SENT' : 'FAILED',
    error: recipient ? null : `No ${original.channel} address`,
    dedupe_key: null,
    resend_of: original.id,
    created_at: new Date(),
  };
  await deliver(em, adapters, [{ record, delivered: { subject: original.subject, body: original.body } }]);
  return ok(sentView(record as unknown as Record<string, unknown>));
}
