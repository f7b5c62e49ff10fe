import { apiError, openRateLimiter, type Principal, type RateLimiter, rateLimitFrom } from '@dcrm/kit';

/**
 * Anonymous lead capture is rate-limited twice: per client address (a bot behind one address) and per
 * storefront key (a flood from many addresses). `DCRM_LEAD_CAPTURE_PER_ADDRESS` and
 * `DCRM_LEAD_CAPTURE_PER_KEY` (`N/SECONDS`) override the defaults.
 */
export type CaptureLimits = { perAddress: RateLimiter; perKey: RateLimiter; close(): Promise<void> };

export function openCaptureLimits(env: NodeJS.ProcessEnv = process.env): CaptureLimits {
  const perAddress = openRateLimiter(
    'lead_capture_address',
    rateLimitFrom('DCRM_LEAD_CAPTURE_PER_ADDRESS', { points: 10, durationSeconds: 3600 }, env),
    env,
  );
  const perKey = openRateLimiter(
    'lead_capture_key',
    rateLimitFrom('DCRM_LEAD_CAPTURE_PER_KEY', { points: 2000, durationSeconds: 3600 }, env),
    env,
  );
  return {
    perAddress,
    perKey,
    close: async () => {
      await Promise.all([perAddress.close(), perKey.close()]);
    },
  };
}

/** Throws THROTTLED (with `retryAfter` seconds) when the caller's address or key is over its limit. */
export async function admitCapture(limits: CaptureLimits, principal: Principal, storefrontId: string): Promise<void> {
  const address = await limits.perAddress.consume(`${storefrontId}:${principal.clientIp ?? 'unknown'}`);
  const key = address.ok ? await limits.perKey.consume(`${storefrontId}:${principal.id ?? 'unknown'}`) : address;
  if (!key.ok) throw apiError('THROTTLED', `Too many leads from here; try again in ${key.retryAfter} s`, { retryAfter: key.retryAfter });
}
