import {
  hotProfileKey,
  loggerFor,
  PROFILE_CHANGED,
  type ProfileChanged,
  profileIdentityKey,
  SERVICE_SCOPES,
  servicePrincipal,
} from '@dcrm/kit';
import { accountsById, accountsByIdentities, type DecisionAccount, IDENTITY_BATCH } from '../../clients/decision-profiles.js';
import type { PromotionServices } from '../services.js';
import { forgetOldest } from './bounded.js';
import { type RedisLink, redisOf } from './redis-link.js';
import type { Identity, Profile } from './types.js';

/** How long a profile (or an unknown identity) is trusted without asking the customer subgraph again. */
export const PROFILE_TTL_MS = 60_000;
const UNKNOWN_TTL_MS = 10_000;
const MAX_ENTRIES = 200_000;
/** How long a profile stays in the shared Redis cache (every instance reads it before asking the customer subgraph). */
export const SHARED_PROFILE_TTL_MS = 15 * 60_000;

const toProfile = (a: DecisionAccount): Profile => ({
  customerId: a.id,
  name: a.name,
  segment: a.segment,
  partnerId: a.partner?.id ?? null,
  consents: a.consents.filter((c) => c.granted).map((c) => c.channel),
  preferred: a.notificationPreferences.find((p) => p.type === 'OFFERS')?.channels ?? [],
});

export const identityKey = (storefrontId: string, identity: Identity) => profileIdentityKey(storefrontId, identity);

/**
 * Profiles of event subjects, cached per process with a TTL, and, with `redisUrl`, read from the hot copy
 * in Redis (per `database`, kit `decision-profiles.ts`) that the customer subgraph warms in bulk ahead of
 * the stream and rewrites as a profile changes: a subscriber costs one `MGET` per batch, not a call to the
 * customer subgraph and its database. The customer's `PROFILE_CHANGED` (sent after its Redis write) drops
 * this process's copy, so the next decision reads the new profile. A profile fetched here (not warmed)
 * is added for SHARED_PROFILE_TTL_MS, never over one the customer subgraph wrote (`NX`: a fetch that
 * raced a change cannot put the old profile back).
 * The common case — a subscriber seen in the last minute — costs no call and no round trip at all.
 * Misses of one batch are asked together, per brand: account ids in one `_entities` call, MSISDNs and
 * emails in one `_customersByIdentity` call. Consents are re-checked by the notification service, so a
 * profile some minutes old may pick a channel, never send on a revoked one. Unknown identities are not
 * shared (the account may be opened any moment).
 */
export function profileCache(services: PromotionServices, redisLink?: RedisLink, database = '', maxEntries = MAX_ENTRIES) {
  // By database too: a customer id means nothing in another database sharing the Redis (tests, the bench's fresh ones).
  const sharedKey = (key: string) => hotProfileKey(database, key);
  const cache = new Map<string, { profile: Profile | null; until: number }>();
  const link = redisLink ? redisOf(redisLink, 'decisioning profiles') : null;
  const shared = link?.redis ?? null;
  const remember = (key: string, profile: Profile | null, fromShared = false) => {
    // Written anew at the end, so the Map's order is of last fetch and eviction takes the least recently fetched.
    if (!cache.delete(key) && cache.size >= maxEntries) forgetOldest(cache, Math.ceil(maxEntries / 10));
    // An unknown identity is asked again sooner: the account may be opened any moment.
    cache.set(key, { profile, until: Date.now() + (profile ? PROFILE_TTL_MS : UNKNOWN_TTL_MS) });
    if (shared && profile && !fromShared)
      shared.set(sharedKey(key), JSON.stringify(profile), 'PX', SHARED_PROFILE_TTL_MS, 'NX').catch(() => {});
  };
  // The batch's misses that another instance (or this one, earlier) left in Redis; a Redis error is a miss.
  const fromShared = async (keys: string[]): Promise<Set<string>> => {
    const found = new Set<string>();
    if (!shared || keys.length === 0) return found;
    const values = await shared.mget(keys.map(sharedKey)).catch((error) => {
      loggerFor('promotion').warn({ err: error }, 'shared profile cache not read');
      return [] as (string | null)[];
    });
    for (const [n, value] of values.entries())
      if (value) {
        remember(keys[n], JSON.parse(value) as Profile, true);
        found.add(keys[n]);
      }
    return found;
  };
  // Every instance hears a change and drops its copy; the hot copy in Redis is already the new one, unless
  // the customer subgraph could not write it: then it goes too (the next read asks the customer subgraph).
  const unsubscribe = services.bus
    .subscribe(PROFILE_CHANGED, (payload) => {
      const changed = payload as ProfileChanged | undefined;
      const keys = changed?.keys ?? [];
      for (const key of keys) cache.delete(key);
      if (changed?.hotCopyStale && shared && keys.length)
        shared.del(...keys.map(sharedKey)).catch((error) => loggerFor('promotion').warn({ err: error }, 'stale hot profile not dropped'));
    })
    .catch((error) => {
      loggerFor('promotion').error({ err: error }, 'profile changes not heard');
      return async () => {};
    });
  const principalFor = (storefrontId: string) => servicePrincipal('promotion', storefrontId, [SERVICE_SCOPES.customerLookup]);
  // MSISDNs and emails of one brand: one `_customersByIdentity` call per IDENTITY_BATCH of each.
  const byIdentities = async (storefrontId: string, identities: Identity[]): Promise<void> => {
    const calls: Promise<void>[] = [];
    for (let from = 0; from < identities.length; from += IDENTITY_BATCH) {
      const chunk = identities.slice(from, from + IDENTITY_BATCH);
      const mobiles = chunk.flatMap((i) => (i.msisdn ? [i.msisdn] : []));
      const emails = chunk.flatMap((i) => (i.email ? [i.email] : []));
      calls.push(
        accountsByIdentities(services.peers, principalFor(storefrontId), { emails, mobiles }).then((accounts) => {
          const byMobile = new Map<string, DecisionAccount>();
          const byEmail = new Map<string, DecisionAccount>();
          for (const a of accounts) {
            if (a.mobile) byMobile.set(a.mobile, a);
            byEmail.set(a.email.toLowerCase(), a);
          }
          for (const i of chunk) {
            const account = i.msisdn ? byMobile.get(i.msisdn) : byEmail.get((i.email as string).toLowerCase());
            remember(identityKey(storefrontId, i), account ? toProfile(account) : null);
          }
        }),
      );
    }
    await Promise.all(calls);
  };
  return {
    /** Profiles for these (brand, identity) pairs, in order; null for an unknown or another brand's customer. */
    async resolve(items: { storefrontId: string; identity: Identity }[]): Promise<(Profile | null)[]> {
      const now = Date.now();
      const keys = items.map((i) => identityKey(i.storefrontId, i.identity));
      // A hit is taken now: what this batch remembers below may evict it before the batch's answers are read.
      const hits: (Profile | null | undefined)[] = new Array(keys.length);
      const missed = new Map<string, number>();
      for (const [i, key] of keys.entries()) {
        const hit = cache.get(key);
        if (hit && hit.until > now) hits[i] = hit.profile;
        else if (!missed.has(key)) missed.set(key, i);
      }
      const found = await fromShared([...missed.keys()]);
      const accountIds = new Map<string, string[]>();
      const others = new Map<string, Identity[]>();
      const lookups: Promise<void>[] = [];
      for (const [key, i] of missed) {
        if (found.has(key)) continue;
        const { storefrontId, identity } = items[i];
        if (identity.accountId) accountIds.set(storefrontId, [...(accountIds.get(storefrontId) ?? []), identity.accountId]);
        else others.set(storefrontId, [...(others.get(storefrontId) ?? []), identity]);
      }
      for (const [storefrontId, identities] of others) lookups.push(byIdentities(storefrontId, identities));
      // Account ids: one `_entities` call per brand for the whole batch.
      for (const [storefrontId, ids] of accountIds)
        lookups.push(
          accountsById(services.peers, principalFor(storefrontId), ids).then((accounts) => {
            for (const [n, id] of ids.entries())
              remember(identityKey(storefrontId, { accountId: id }), accounts[n] ? toProfile(accounts[n]) : null);
          }),
        );
      if (lookups.length) await Promise.all(lookups);
      return keys.map((key, i) => hits[i] ?? cache.get(key)?.profile ?? null);
    },
    forget: (storefrontId: string, identity: Identity) => {
      const key = identityKey(storefrontId, identity);
      cache.delete(key);
      shared?.del(sharedKey(key)).catch(() => {});
    },
    close: async () => {
      await (await unsubscribe)();
      if (link?.owned) link.redis.disconnect();
    },
  };
}
export type ProfileCache = ReturnType<typeof profileCache>;
