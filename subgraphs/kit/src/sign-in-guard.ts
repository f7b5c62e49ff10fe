import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';
import { watchRedis } from './redis-watch.js';
import { sha256Hex } from './secrets.js';

/**
 * Sign-in protection that a stranger cannot turn against a user (OWASP Authentication cheat sheet;
 * rate-limiter-flexible's "login endpoint protection": consecutive fails by username + IP, slow brute
 * force by IP).
 * - Consecutive failures are counted per (identity, address). After `freeFailures` of them each
 *   further failure makes that pair wait: `baseDelaySeconds`, doubling per failure, at most
 *   `maxDelaySeconds`. A success clears the pair. Failures from other addresses never count, so
 *   nobody can lock an owner out from elsewhere.
 * - An address with `addressFailuresPerDay` failures in its day is over its ceiling: identities that
 *   already failed from it are refused until its day ends, and any other identity gets one try — a
 *   right password signs in, a wrong one (or an unknown email, the same answer) is refused. A user
 *   who has not failed is never refused because of their neighbours behind the same NAT.
 * Counters live in Redis when REDIS_URL is set (shared by every instance), in memory otherwise; when
 * Redis errors, the in-memory insurance limiter takes over rather than failing sign-in.
 */
export type SignInLimits = {
  freeFailures: number;
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  addressFailuresPerDay: number;
};

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  freeFailures: 3,
  baseDelaySeconds: 2,
  maxDelaySeconds: 900,
  addressFailuresPerDay: 100,
};

const ENV_NAMES: Record<keyof SignInLimits, string> = {
  freeFailures: 'DCRM_LOGIN_FREE_FAILURES',
  baseDelaySeconds: 'DCRM_LOGIN_DELAY_SECONDS',
  maxDelaySeconds: 'DCRM_LOGIN_MAX_DELAY_SECONDS',
  addressFailuresPerDay: 'DCRM_LOGIN_ADDRESS_FAILURES_PER_DAY',
};

/** The limits, each overridable by its DCRM_LOGIN_* variable (a whole number of at least 1). */
export function signInLimits(env: NodeJS.ProcessEnv = process.env): SignInLimits {
  const limits = { ...DEFAULT_SIGN_IN_LIMITS };
  for (const [field, name] of Object.entries(ENV_NAMES) as [keyof SignInLimits, string][]) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    // A typo must not silently switch protection off.
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1`);
    limits[field] = value;
  }
  return limits;
}

/** Who is signing in (`kind:storefront:email`, or any stable name of the account) and from where. */
export type SignInAttempt = { identity: string; address: string | null | undefined };

/**
 * `ok: false`: refuse without checking the password, `retryAfter` seconds from now.
 * `strict`: the address is over its ceiling; this clean identity gets one try, and a failure is refused.
 */
export type Admission = { ok: true; strict: false } | { ok: true; strict: true; retryAfter: number } | { ok: false; retryAfter: number };

export type SignInGuard = {
  admit(attempt: SignInAttempt): Promise<Admission>;
  failed(attempt: SignInAttempt): Promise<void>;
  succeeded(attempt: SignInAttempt): Promise<void>;
  close(): Promise<void>;
};

const DAY_SECONDS = 86_400;
type Limiter = RateLimiterMemory | RateLimiterRedis;

const live = (res: RateLimiterRes | null): res is RateLimiterRes => res !== null && res.msBeforeNext > 0;
const seconds = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

export function openSignInGuard(env: NodeJS.ProcessEnv = process.env, limits: SignInLimits = signInLimits(env)): SignInGuard {
  const redis = env.REDIS_URL ? new Redis(env.REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : null;
  // Commands fail at once while Redis is away (no offline queue; the limiters check the connection
  // first), so the memory insurance answers; the outage is logged when it starts and when it ends.
  if (redis) watchRedis(redis, 'sign-in throttling');
  // Connects at the first sign-in, waiting a moment for it so one counter does not start in memory
  // and go on in Redis; while Redis is unreachable the memory insurance answers.
  let connected: Promise<unknown> | undefined;
  const connect = () => {
    if (!redis) return;
    connected ??= Promise.race([redis.connect().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    return connected;
  };
  const limiter = (keyPrefix: string, points: number): Limiter => {
    const memory = new RateLimiterMemory({ keyPrefix, points, duration: DAY_SECONDS });
    if (!redis) return memory;
    return new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `dcrm:${keyPrefix}`,
      points,
      duration: DAY_SECONDS,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  };
  // Consecutive failures of a pair for a day since its first one; the pair's current wait; failures per address per day.
  const failures = limiter('login_fail_consecutive_identity_and_ip', limits.freeFailures);
  const delays = limiter('login_delay_identity_and_ip', 1);
  const addresses = limiter('login_fail_ip_per_day', limits.addressFailuresPerDay);

  // Hashed so emails are not stored in Redis key names.
  const pairKey = (a: SignInAttempt) => sha256Hex(`${a.identity}\n${a.address ?? 'unknown'}`);
  const addressKey = (a: SignInAttempt) => a.address ?? 'unknown';

  return {
    admit: async (attempt) => {
      await connect();
      const pair = pairKey(attempt);
      const [delay, failed, address] = await Promise.all([delays.get(pair), failures.get(pair), addresses.get(addressKey(attempt))]);
      if (live(delay)) return { ok: false, retryAfter: seconds(delay) };
      if (!live(address) || address.consumedPoints < limits.addressFailuresPerDay) return { ok: true, strict: false };
      if (live(failed) && failed.consumedPoints > 0) return { ok: false, retryAfter: seconds(address) };
      return { ok: true, strict: true, retryAfter: seconds(address) };
    },
    failed: async (attempt) => {
      await connect();
      const pair = pairKey(attempt);
      const [count] = await Promise.all([failures.penalty(pair), addresses.penalty(addressKey(attempt))]);
      const beyond = count.consumedPoints - limits.freeFailures;
      if (beyond >= 0) await delays.block(pair, Math.min(limits.baseDelaySeconds * 2 ** beyond, limits.maxDelaySeconds));
    },
    succeeded: async (attempt) => {
      await connect();
      const pair = pairKey(attempt);
      await Promise.all([failures.delete(pair), delays.delete(pair)]);
    },
    close: async () => {
      redis?.disconnect();
    },
  };
}
