import { SERVICE_SCOPES, servicePrincipal } from '@dcrm/kit';
import { accountByIdentity, accountsById, type DecisionAccount } from '../../clients/decision-profiles.js';
import type { PromotionServices } from '../services.js';
import type { Identity, Profile } from './types.js';

/** How long a profile (or an unknown identity) is trusted without asking the customer subgraph again. */
export const PROFILE_TTL_MS = 60_000;
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
 * the last minute — costs no call and no database round trip. Misses of one batch are asked together:
 * account ids in one `_entities` call, MSISDNs and emails one call each, side by side.
 */
export function profileCache(services: PromotionServices) {
  const cache = new Map<string, { profile: Profile | null; until: number }>();
  const remember = (key: string, profile: Profile | null) => {
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(key, { profile, until: Date.now() + PROFILE_TTL_MS });
  };
  const fetchOne = async (storefrontId: string, identity: Identity): Promise<Profile | null> => {
    const self = servicePrincipal('promotion', storefrontId, [SERVICE_SCOPES.customerLookup]);
    const account = identity.accountId
      ? (await accountsById(services.peers, self, [identity.accountId]))[0]
      : await accountByIdentity(services.peers, self, identity.msisdn ? { mobile: identity.msisdn } : { email: identity.email as string });
    return account ? toProfile(account) : null;
  };
  return {
    /** Profiles for these (brand, identity) pairs, in order; null for an unknown or another brand's customer. */
    async resolve(items: { storefrontId: string; identity: Identity }[]): Promise<(Profile | null)[]> {
      const now = Date.now();
      const keys = items.map((i) => identityKey(i.storefrontId, i.identity));
      const pending = new Map<string, Promise<Profile | null>>();
      for (const [i, key] of keys.entries()) {
        const hit = cache.get(key);
        if ((hit && hit.until > now) || pending.has(key)) continue;
        pending.set(
          key,
          fetchOne(items[i].storefrontId, items[i].identity).then((profile) => {
            remember(key, profile);
            return profile;
          }),
        );
      }
      if (pending.size) await Promise.all(pending.values());
      return keys.map((key) => cache.get(key)?.profile ?? null);
    },
    forget: (storefrontId: string, identity: Identity) => cache.delete(identityKey(storefrontId, identity)),
  };
}
export type ProfileCache = ReturnType<typeof profileCache>;
