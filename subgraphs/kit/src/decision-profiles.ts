import { Redis } from 'ioredis';
import type { MikroORM } from './orm.js';
import { watchRedis } from './redis-watch.js';

/**
 * The hot copy of customer profiles that decisioning reads (`dcrm:profile:<database>:<brand>:<a|m|e>:<identity>`
 * in Redis): the customer subgraph writes it (a bulk warm-up ahead of the stream, and every change of a
 * profile field as it commits); promotion instances read it and keep a copy per process, dropped when
 * `PROFILE_CHANGED` says the customer changed.
 */
export type DecisionProfile = {
  customerId: string;
  name: string;
  segment: string;
  partnerId: string | null;
  /** Marketing consents granted, by notification channel (EMAIL, SMS, PUSH). */
  consents: string[];
  /** Preferred channels for offers (the customer's OFFERS notification preference). */
  preferred: string[];
};

/** How an event names its subject: the account, its MSISDN (E.164) or its email. */
export type ProfileIdentity = { accountId?: string | null; msisdn?: string | null; email?: string | null };

/** Published (after the write to Redis) when an account's profile for decisioning changed. */
export const PROFILE_CHANGED = 'dcrm.customer.profile.changed';
/**
 * The identity keys (`profileIdentityKey`) to drop from per-process copies; `hotCopyStale` when the
 * customer subgraph could not rewrite (nor drop) the hot copy: readers drop it from Redis too, so a
 * revoked consent is not read back from a copy that would live for HOT_PROFILE_TTL_MS.
 */
export type ProfileChanged = { keys: string[]; hotCopyStale?: boolean };

/** How long a warmed or changed profile stays in Redis (the warm-up runs again well before). */
export const HOT_PROFILE_TTL_MS = 24 * 3_600_000;

export const profileIdentityKey = (storefrontId: string, identity: ProfileIdentity) =>
  identity.accountId
    ? `${storefrontId}:a:${identity.accountId}`
    : identity.msisdn
      ? `${storefrontId}:m:${identity.msisdn}`
      : `${storefrontId}:e:${identity.email}`;

/** Host, port and name of the ORM's database: the hot profiles' namespace (a customer id means nothing in another database). */
export function databaseNamespace(orm: MikroORM): string {
  const url = orm.config.get('clientUrl');
  return url ? databaseNamespaceOfUrl(url) : (orm.config.get('dbName') ?? '');
}

export function databaseNamespaceOfUrl(url: string): string {
  const { host, pathname } = new URL(url);
  return `${host}${pathname}`;
}

export const hotProfileKey = (database: string, identityKey: string) => `dcrm:profile:${database}:${identityKey}`;

/** An account row as the customer subgraph stores it. */
export type ProfileSource = {
  id: string;
  storefrontId: string;
  name: string;
  segment: string;
  partnerId: string | null;
  email: string;
  mobile: string | null;
  consents: { channel: string; granted: boolean }[];
  notificationPreferences: { type: string; channels: string[] }[];
};

export const decisionProfileOf = (a: Omit<ProfileSource, 'storefrontId' | 'email' | 'mobile'>): DecisionProfile => ({
  customerId: a.id,
  name: a.name,
  segment: a.segment,
  partnerId: a.partnerId,
  consents: a.consents.filter((c) => c.granted).map((c) => c.channel),
  preferred: a.notificationPreferences.find((p) => p.type === 'OFFERS')?.channels ?? [],
});

/** Every identity an event may name the account by. */
export const identityKeysOf = (a: Pick<ProfileSource, 'id' | 'storefrontId' | 'email' | 'mobile'>): string[] => [
  profileIdentityKey(a.storefrontId, { accountId: a.id }),
  ...(a.mobile ? [profileIdentityKey(a.storefrontId, { msisdn: a.mobile })] : []),
  profileIdentityKey(a.storefrontId, { email: a.email.toLowerCase() }),
];

/** The writer of the hot copy (the customer subgraph's side): one Redis connection, pipelined writes. */
export function hotProfiles(redisUrl: string, database: string) {
  const redis = new Redis(redisUrl, { enableAutoPipelining: true, maxRetriesPerRequest: 2 });
  watchRedis(redis, 'decision profiles');
  return {
    /** Writes these accounts' profiles under each of their identities; `gone` identity keys (an old mobile or email) are dropped. */
    async write(accounts: readonly ProfileSource[], gone: readonly string[] = []): Promise<void> {
      if (accounts.length === 0 && gone.length === 0) return;
      const batch = redis.pipeline();
      for (const a of accounts) {
        const value = JSON.stringify(decisionProfileOf(a));
        for (const key of identityKeysOf(a)) batch.set(hotProfileKey(database, key), value, 'PX', HOT_PROFILE_TTL_MS);
      }
      if (gone.length) batch.del(...gone.map((key) => hotProfileKey(database, key)));
      const results = (await batch.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed) throw failed[0];
    },
    /** Drops these identity keys' hot copies (the next read asks the customer subgraph). */
    async drop(keys: readonly string[]): Promise<void> {
      if (keys.length) await redis.del(...keys.map((key) => hotProfileKey(database, key)));
    },
    close: async () => {
      redis.disconnect();
    },
  };
}
export type HotProfiles = ReturnType<typeof hotProfiles>;
