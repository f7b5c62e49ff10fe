import { badInput, Checks, newId, ok, type Principal, pageSize } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ErrorCode, Result } from './customer.errors.js';

/** A campaign's audience rules as the promotion subgraph sends them: every non-empty rule must hold; values within one are alternatives. */
export type AudienceFilter = {
  segments?: string[] | null;
  categories?: string[] | null;
  countries?: string[] | null;
  regions?: string[] | null;
  lifecycleStages?: string[] | null;
  customerTypes?: string[] | null;
};

export type AudienceMember = {
  id: string;
  name: string;
  segment: string;
  partnerId: string | null;
  emailConsent: boolean;
  smsConsent: boolean;
};

export const MAX_AUDIENCE_PAGE = 5000;
export const MAX_MESSAGES = 500;

const list = (values: string[] | null | undefined) => JSON.stringify(values ?? []);
const consented = (channel: string) =>
  `exists (select 1 from jsonb_array_elements(c.consents) e where e->>'channel' = '${channel}' and (e->>'granted')::boolean)`;

const AUDIENCE_RULES = ['segments', 'categories', 'lifecycleStages', 'customerTypes', 'countries', 'regions'] as const;

/**
 * The audience predicate over `customer c` and its parameters: ACTIVE accounts of the storefront
 * matching every non-empty rule. Rule values travel as JSON arrays (one parameter each), so the
 * statement text is the same for every page.
 */
function audienceWhere(storefrontId: string, rules: AudienceFilter): { where: string; params: unknown[] } {
  const any = (column: string) => `(jsonb_array_length(?::jsonb) = 0 or ${column} in (select jsonb_array_elements_text(?::jsonb)))`;
  const address = (predicate: string) =>
    `(jsonb_array_length(?::jsonb) = 0 or exists (select 1 from "customer"."address" a where a.customer_id = c.id and ${predicate} in (select lower(jsonb_array_elements_text(?::jsonb)))))`;
  return {
    where: `c.storefront_id = ? and c.status = 'ACTIVE'
       and ${any('c.segment')} and ${any('c.category')} and ${any('c.lifecycle_stage')} and ${any('c.type')}
       and ${address('lower(a.country)')} and ${address('lower(a.city)')}`,
    params: [storefrontId, ...AUDIENCE_RULES.flatMap((k) => [list(rules[k]), list(rules[k])])],
  };
}

/**
 * One keyset page (by id) of the ACTIVE accounts of the caller's storefront matching the rules, after `after`.
 * The consents (two scans of each account's consent document) are read only when `withConsents`, i.e. when the
 * request selects them: a campaign chunk does not, and its 5,000 accounts would pay for them.
 */
export async function customerAudience(
  em: EntityManager,
  principal: Principal,
  rules: AudienceFilter,
  after: string | null,
  first: number,
  withConsents = true,
): Promise<AudienceMember[]> {
  const limit = pageSize(first, MAX_AUDIENCE_PAGE, 'first', MAX_AUDIENCE_PAGE);
  // A service call without a brand must not read every brand's accounts.
  if (!principal.storefrontId) return [];
  const { where, params } = audienceWhere(principal.storefrontId, rules);
  const rows = (await em.execute(
    `select c.id, c.name, c.segment, c.partner_id, ${withConsents ? `${consented('EMAIL')} as email_consent, ${consented('SMS')} as sms_consent` : 'false as email_consent, false as sms_consent'}
     from "customer"."customer" c
     where ${where} and c.id > coalesce(?::uuid, '00000000-0000-0000-0000-000000000000')
     order by c.id limit ?`,
    [...params, after, limit],
  )) as { id: string; name: string; segment: string; partner_id: string | null; email_consent: boolean; sms_consent: boolean }[];
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    segment: r.segment,
    partnerId: r.partner_id,
    emailConsent: r.email_consent,
    smsConsent: r.sms_consent,
  }));
}

export const MAX_RANGE_SIZE = 10_000;
export const MAX_RANGES = 2_000;

/**
 * The audience after `after` cut into consecutive id ranges of `size` accounts (the last may be shorter; larger
 * ranges when `size` would make more than MAX_RANGES): the last id of each, in one index-ordered pass.
 * Launch jobs queue one chunk job per range.
 */
export async function customerAudienceRanges(
  em: EntityManager,
  principal: Principal,
  rules: AudienceFilter,
  after: string | null,
  size: number,
): Promise<string[]> {
  if (!principal.storefrontId) return [];
  // Refused, never clamped: the caller learns the maximum.
  if (!Number.isInteger(size) || size < 1 || size > MAX_RANGE_SIZE) {
    throw badInput(`size must be an integer between 1 and ${MAX_RANGE_SIZE}`, 'size');
  }
  const step = size;
  const { where, params } = audienceWhere(principal.storefrontId, rules);
  const rows = (await em.execute(
    `select id from (select c.id, row_number() over (order by c.id) as n, count(*) over () as total
       from "customer"."customer" c where ${where} and c.id > coalesce(?::uuid, '00000000-0000-0000-0000-000000000000')) ranked
     where n % greatest(?, ceil(total / ?::numeric)::bigint) = 0 or n = total order by id`,
    [...params, after, step, MAX_RANGES],
  )) as { id: string }[];
  return rows.map((r) => r.id);
}

export type MessageItem = { customerId: string; title: string; body: string; dedupeKey?: string | null };
export type MessagesSent = { sent: number; duplicates: number; skipped: number };

/**
 * Inbox messages for many accounts in one statement (campaign notifications). Accounts outside the
 * caller's storefront or no longer ACTIVE are skipped; a message whose `dedupeKey` was used before is
 * not sent again (a retried job). Invalid input fails the whole batch.
 */
export async function siteMessagesSend(em: EntityManager, principal: Principal, items: MessageItem[]): Promise<Result<MessagesSent>> {
  const checks = new Checks<ErrorCode>();
  if (!principal.storefrontId) checks.add('FORBIDDEN', 'A storefront is required', ['input']);
  if (items.length > MAX_MESSAGES) checks.add('TOO_MANY', `At most ${MAX_MESSAGES} messages`, ['input', 'messages']);
  for (const [i, item] of items.entries()) {
    const field = ['input', 'messages', String(i)];
    checks.uuid(item.customerId, [...field, 'customerId']);
    checks.text(item.title, [...field, 'title'], 200);
    checks.text(item.body, [...field, 'body'], 5000);
    checks.text(item.dedupeKey, [...field, 'dedupeKey'], 200);
  }
  if (!checks.ok) return { ok: false, errors: checks.errors };
  if (items.length === 0) return ok({ sent: 0, duplicates: 0, skipped: 0 });
  const now = new Date();
  const rows = items.map((m) => ({
    id: newId(),
    customer_id: m.customerId,
    title: m.title.trim(),
    body: m.body.trim(),
    dedupe_key: m.dedupeKey ?? null,
  }));
  const [counts] = (await em.execute(
    `with input as (select * from jsonb_to_recordset(?::jsonb) as x(id uuid, customer_id uuid, title text, body text, dedupe_key text)),
     eligible as (select input.* from input join "customer"."customer" c on c.id = input.customer_id and c.storefront_id = ? and c.status = 'ACTIVE'),
     inserted as (insert into "customer"."site_message" (id, customer_id, title, body, created_at, dedupe_key)
       select id, customer_id, title, body, ?, dedupe_key from eligible
       on conflict (dedupe_key) where dedupe_key is not null do nothing returning id)
     select (select count(*) from input)::int as total, (select count(*) from eligible)::int as eligible, (select count(*) from inserted)::int as sent`,
    [JSON.stringify(rows), principal.storefrontId, now],
  )) as { total: number; eligible: number; sent: number }[];
  return ok({ sent: counts.sent, duplicates: counts.eligible - counts.sent, skipped: counts.total - counts.eligible });
}
