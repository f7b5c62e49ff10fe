import { type EventBus, type HotProfiles, identityKeysOf, loggerFor, PROFILE_CHANGED, type ProfileSource } from '@dcrm/kit';
import type { ICustomer } from '../entities/index.js';

/** Accounts per page of the warm-up: one keyset query and one Redis pipeline each. */
export const WARM_BATCH = 5_000;

type Row = {
  id: string;
  storefront_id: string;
  name: string;
  segment: string;
  partner_id: string | null;
  email: string;
  mobile: string | null;
  consents: ProfileSource['consents'];
  notification_preferences: ProfileSource['notificationPreferences'];
};

const sourceOf = (r: Row): ProfileSource => ({
  id: r.id,
  storefrontId: r.storefront_id,
  name: r.name,
  segment: r.segment,
  partnerId: r.partner_id,
  email: r.email,
  mobile: r.mobile,
  consents: r.consents ?? [],
  notificationPreferences: r.notification_preferences ?? [],
});

/** Runs SQL with `$n` parameters (a `pg` pool's query, or kit `executeBound` on an EntityManager). */
export type Query = (sql: string, params: unknown[]) => Promise<unknown[]>;

/**
 * Writes every account's decisioning profile (of one brand, or all) into the hot copy in Redis, in
 * keyset pages of `batch`, so events about them are decided without a call to this subgraph. Run it
 * ahead of the stream and again within the hot copy's TTL; changes in between are written as they
 * commit (`profileChanged`). Returns how many accounts were written.
 */
export async function warmDecisionProfiles(
  query: Query,
  hot: HotProfiles,
  options: { storefrontId?: string; batch?: number } = {},
): Promise<number> {
  const batch = options.batch ?? WARM_BATCH;
  const brand = options.storefrontId ? 'and storefront_id = $3' : '';
  let after = '00000000-0000-0000-0000-000000000000';
  let written = 0;
  for (;;) {
    const rows = (await query(
      `select id, storefront_id, name, segment, partner_id, email, mobile, consents, notification_preferences
         from "customer"."customer" where id > $1 ${brand} order by id limit $2`,
      [after, batch, ...(options.storefrontId ? [options.storefrontId] : [])],
    )) as Row[];
    if (rows.length === 0) return written;
    await hot.write(rows.map(sourceOf));
    written += rows.length;
    after = rows[rows.length - 1].id;
    if (rows.length < batch) return written;
  }
}

const sourceOfEntity = (c: ICustomer): ProfileSource => ({
  id: c.id,
  storefrontId: c.storefrontId,
  name: c.name,
  segment: c.segment,
  partnerId: c.partner?.id ?? null,
  email: c.email,
  mobile: c.mobile ?? null,
  consents: c.consents,
  notificationPreferences: c.notificationPreferences,
});

/**
 * After a committed change of an account's profile (name, mobile, email, segment, partner, consents,
 * offer preferences): its hot copy is rewritten under each identity (an identity it no longer has is
 * dropped; without Redis there is none), then promotion instances are told to drop their per-process
 * copies, so the next decision about it reads the new one. A failed rewrite must not leave the old copy
 * (a revoked consent) readable for a day: the copy is dropped instead, and the event says so
 * (`hotCopyStale`: promotion drops it from Redis too, should this drop have failed as well). A failure
 * is logged: the change itself stands.
 */
export async function profileChanged(
  services: { bus: EventBus; hotProfiles: Pick<HotProfiles, 'write' | 'drop'> | null },
  customer: ICustomer,
  before?: { mobile: string | null; email: string },
): Promise<void> {
  const source = sourceOfEntity(customer);
  const keys = identityKeysOf(source);
  const gone = before ? identityKeysOf({ ...source, ...before }).filter((k) => !keys.includes(k)) : [];
  const all = [...keys, ...gone];
  const log = loggerFor('customer');
  let hotCopyStale = false;
  try {
    await services.hotProfiles?.write([source], gone);
  } catch (error) {
    hotCopyStale = true;
    log.warn({ err: error, customerId: customer.id }, 'decisioning profile not rewritten: dropping it');
    await services.hotProfiles?.drop(all).catch((dropError: unknown) => log.warn({ err: dropError }, 'decisioning profile not dropped'));
  }
  try {
    await services.bus.publish(PROFILE_CHANGED, hotCopyStale ? { keys: all, hotCopyStale } : { keys: all });
  } catch (error) {
    log.error({ err: error, customerId: customer.id }, 'decisioning profile change not published');
  }
}
