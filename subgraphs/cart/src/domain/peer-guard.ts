import { fail, isServiceUnavailable, loggerFor, ok, type Result } from '@dcrm/kit';

/**
 * A write that needs another subgraph's answer (prices, discounts, the account) and cannot get it
 * refuses with a retryable SERVICE_UNAVAILABLE userError, nothing written — it never decides without it
 * (e.g. charges the undiscounted price because promotions were down).
 */
export async function askPeer<T>(service: string, field: string[], call: () => Promise<T>): Promise<Result<T, 'SERVICE_UNAVAILABLE'>> {
  try {
    return ok(await call());
  } catch (error) {
    if (!isServiceUnavailable(error)) loggerFor('cart').error({ err: error }, `${service} call failed`);
    return fail('SERVICE_UNAVAILABLE', `The ${service} service cannot be reached right now; nothing was changed, try again shortly`, field);
  }
}
