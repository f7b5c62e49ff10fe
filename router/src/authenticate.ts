import type { HeaderMap } from '@apollo/server';
import { type Principal, servicePrincipal } from '@dcrm/kit';
import { GraphQLError } from 'graphql';
import type { SubgraphTarget } from './targets.js';

export const API_KEY_HEADER = 'x-api-key';

type Grant = { keyId: string; storefrontId: string };

/** A small TTL cache: keys are verified by the catalog subgraph, then remembered briefly. */
class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  constructor(private readonly max: number) {}

  get(key: string, now = Date.now()): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expires < now) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(key: string, value: V, ttlMs: number): void {
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, expires: Date.now() + ttlMs });
  }
}

const VALID_TTL_MS = 30_000;
// Unknown keys are remembered too, briefly, so a flood of bad keys does not become a flood of queries.
const INVALID_TTL_MS = 5_000;

const unauthenticated = (message: string) => new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });

export type Authenticator = (headers: HeaderMap) => Promise<Principal>;

/**
 * Builds the caller's principal from credentials only; any identity or brand header a client sends
 * is ignored (the signed principal header is set by the data source, overwriting nothing client-made).
 */
export function createAuthenticator(catalog: SubgraphTarget): Authenticator {
  const cache = new TtlCache<Grant | null>(10_000);

  const verifyKey = async (key: string): Promise<Grant | null> => {
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const response = await catalog.execute(
      { query: 'query Verify($key: String!) { storefrontKeyVerify(key: $key) { keyId storefrontId } }', variables: { key } },
      servicePrincipal('router'),
    );
    if (response.errors?.length) throw new Error(`key verification failed: ${response.errors[0].message}`);
    const grant = (response.data?.storefrontKeyVerify as Grant | null) ?? null;
    cache.set(key, grant, grant ? VALID_TTL_MS : INVALID_TTL_MS);
    return grant;
  };

  return async (headers) => {
    const key = headers.get(API_KEY_HEADER);
    if (key) {
      const grant = await verifyKey(key.trim());
      if (!grant) throw unauthenticated('Invalid or revoked API key');
      return { kind: 'anonymous', id: grant.keyId, storefrontId: grant.storefrontId, partnerId: null, roles: [], scopes: ['storefront'] };
    }
    // No credentials: introspection and the landing page work; anything brand-scoped is refused downstream.
    return { kind: 'anonymous', id: null, storefrontId: null, partnerId: null, roles: [], scopes: [] };
  };
}
