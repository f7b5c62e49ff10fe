import { SERVICE_SCOPES, servicePrincipal } from '@dcrm/kit';
import { accountsById, accountsByIdentities, type DecisionAccount, IDENTITY_BATCH } from '../../clients/decision-profiles.js';
import type { PromotionServices } from '../services.js';
import type { Identity, Profile } from './types.js';

/** How long a profile (or an unknown identity) is trusted without asking the customer subgraph again. */
export const PROFILE_TTL_MS = 60_000;
const UNKNOWN_TTL_MS = 10_000;
const MAX_ENTRIES = 200_000;

const toProfile = (a: DecisionAccount): Profile => ({
  customerId: a.id,
  name: a.name,
  segment: a.segment,
  partnerId: a.partner?.id ?? null,
  consents: a.consents.filter((c) => c.granted).map((c) => c.channel),
  preferred: a.notificationPreferences.find((p) => p.type === 'OFFERS')?.channels ?? [],
});

export const identityKey = (storefrontId: string, identity: Identity) =>
  identity.accountId
    ? `${storefrontId}:a:${identity.accountId}`
    : identity.msisdn
      ? `${storefrontId}:m:${identity.msisdn}`
      : `${storefrontId}:e:${identity.email}`;

/**
 * Profiles of event subjects, cached per process with a TTL (the customer subgraph publishes no
 * account-change event yet, so the TTL is the invalidation). The common case — a subscriber seen in
 * the last minute — costs no call and no database round trip. Misses of one batch are asked together,
 * per brand: account ids in one `_entities` call, MSISDNs and emails in one `_customersByIdentity` call.
 */
export function profileCache(services: PromotionServices) {
  const cache = new Map<string, { profile: Profile | null; until: number }>();
  const remember = (key: string, profile: Profile | null) => {
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    // An unknown identity is asked again sooner: the account may be opened any moment.
    cache.set(key, { profile, until: Date.now() + (profile ? PROFILE_TTL_MS : UNKNOWN_TTL_MS) });
  };
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
      const asked = new Set<string>();
      const accountIds = new Map<string, string[]>();
      const others = new Map<string, Identity[]>();
      const lookups: Promise<void>[] = [];
      for (const [i, key] of keys.entries()) {
        const hit = cache.get(key);
        if ((hit && hit.until > now) || asked.has(key)) continue;
        asked.add(key);
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
      return keys.map((key) => cache.get(key)?.profile ?? null);
    },
    forget: (storefrontId: string, identity: Identity) => cache.delete(identityKey(storefrontId, identity)),
  };
}
export type ProfileCache = ReturnType<typeof profileCache>;
