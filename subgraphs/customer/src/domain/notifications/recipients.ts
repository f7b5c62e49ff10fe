import { executeBoundPrepared, uuidArray } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Who a message goes to: an ACTIVE customer account of the storefront, an ACTIVE staff member who
 * may act on it (home brand, a granted brand, or all brands), or an active user of a partner of the storefront. Staff have no consents or preferences:
 * they are told about their work in their own inbox (`staff_message`) and by EMAIL, never sent marketing.
 */
export type Account = {
  id: string;
  name: string;
  email: string;
  mobile: string | null;
  consents: { channel: string; granted: boolean }[];
  preferences: { type: string; channels: string[] }[];
  /** A customer's language (BCP 47), when known: their messages use its templates. */
  locale?: string | null;
  /** Set for a staff member. */
  staff?: true;
  /** Set for a partner user: told by EMAIL only (no inbox), never sent marketing. */
  partnerUser?: true;
};

export type Addressed = { customerId?: string | null; staffId?: string | null; partnerUserId?: string | null };

/** The customers and staff the items name, by id (absent: not a recipient of this storefront). */
export async function recipientsOf(
  em: EntityManager,
  storefrontId: string,
  items: Addressed[],
): Promise<{ customers: Map<string, Account>; staff: Map<string, Account>; partnerUsers: Map<string, Account> }> {
  const customerIds = [...new Set(items.flatMap((i) => (i.customerId ? [i.customerId] : [])))];
  const staffIds = [...new Set(items.flatMap((i) => (i.staffId ? [i.staffId] : [])))];
  // Bound server-side: a campaign chunk names 5,000 customers, an array not worth escaping into the text.
  const customers = customerIds.length
    ? await executeBoundPrepared<Account>(
        em,
        `select id, name, email, mobile, consents, notification_preferences as preferences, locale from "customer"."customer"
         where id = any($1::uuid[]) and storefront_id = $2 and status = 'ACTIVE'`,
        [uuidArray(customerIds), storefrontId],
      )
    : [];
  const staff = staffIds.length
    ? ((await em.execute(
        `select id, name, email from "customer"."staff"
         where id in (?) and active and (storefront_id = ? or ? = any(storefronts) or '*' = any(storefronts))`,
        [staffIds, storefrontId, storefrontId],
      )) as { id: string; name: string; email: string }[])
    : [];
  const partnerUserIds = [...new Set(items.flatMap((i) => (i.partnerUserId ? [i.partnerUserId] : [])))];
  const partnerUsers = partnerUserIds.length
    ? ((await em.execute(
        `select u.id, u.name, u.email from "customer"."partner_user" u join "customer"."partner" p on p.id = u.partner_id
         where u.id in (?) and u.active and p.storefront_id = ?`,
        [partnerUserIds, storefrontId],
      )) as { id: string; name: string; email: string }[])
    : [];
  return {
    partnerUsers: new Map(
      partnerUsers.map((u) => [u.id, { ...u, mobile: null, consents: [], preferences: [], partnerUser: true as const }]),
    ),
    customers: new Map(customers.map((a) => [a.id, a])),
    staff: new Map(staff.map((s) => [s.id, { ...s, mobile: null, consents: [], preferences: [], staff: true as const }])),
  };
}
