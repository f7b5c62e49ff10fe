import { HeaderMap } from '@apollo/server';
import { mayActOn } from '@dcrm/kit/brands.js';
import type { EventBus } from '@dcrm/kit/bus.js';
import { API_KEY_CHANGED, API_KEY_REVOKED, SESSION_REVOKED } from '@dcrm/kit/events.js';
import { ACCESS_TOKEN_TTL_SECONDS, type TokenVerifier } from '@dcrm/kit/jwt.js';
import { type Principal, SERVICE_SCOPES, servicePrincipal } from '@dcrm/kit/principal.js';
import type { SubgraphTarget } from '@dcrm/kit/targets.js';
import { GraphQLError } from 'graphql';
import type { CostBudget } from './cost/budget.js';

export const API_KEY_HEADER = 'x-api-key';

type Grant = {
  keyId: string;
  kind: 'PUBLIC' | 'PRIVATE';
  storefrontId: string;
  partnerId: string | null;
  scopes: string[];
  /** The key's own query cost bucket; null: the router's defaults. */
  costBudget: CostBudget | null;
};

/** A small TTL cache: keys are verified by the customer subgraph, then remembered briefly. */
class TtlCache<V> {
  readonly entries = new Map<string, { value: V; expires: number }>();
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

/** What an API key lets its holder be. */
export function principalOfGrant(grant: Grant): Principal {
  const base = { id: grant.keyId, storefrontId: grant.storefrontId, roles: ['api-key'] };
  if (grant.kind === 'PUBLIC') return { ...base, kind: 'anonymous', partnerId: null, scopes: ['storefront'] };
  // A partner integration acts as its partner; a chatbot key as its storefront, with the scopes granted.
  if (grant.partnerId) return { ...base, kind: 'partner', partnerId: grant.partnerId, scopes: grant.scopes };
  return { ...base, kind: 'anonymous', partnerId: null, scopes: ['storefront', ...grant.scopes] };
}

/**
 * The brand a token acts in: its own storefront, or the key's when both are sent. Staff granted
 * several brands choose one per request with that brand's storefront key; anyone else presenting a
 * key of another brand is refused.
 */
export function inBrandOfKey(principal: Principal, grant: Pick<Grant, 'storefrontId'> | null): Principal {
  if (!grant || !principal.storefrontId || grant.storefrontId === principal.storefrontId) return principal;
  if (principal.kind === 'staff' && mayActOn(principal, grant.storefrontId)) return { ...principal, storefrontId: grant.storefrontId };
  throw unauthenticated('The API key and the token belong to different storefronts');
}

/** A principal with what a long-lived connection needs to end on time (token expiry, session and key) and the key's kind and budget. */
export type Identity = {
  principal: Principal;
  sessionId: string | null;
  keyId: string | null;
  key: Pick<Grant, 'kind' | 'costBudget'> | null;
  expiresAt: number | null;
};

export type Authenticator = {
  authenticate(headers: HeaderMap, clientIp: string | null): Promise<Principal>;
  identify(headers: HeaderMap, clientIp: string | null): Promise<Identity>;
  close(): Promise<void>;
};

/**
 * The caller's principal from credentials only — `Authorization: Bearer <JWT>` (customer, staff,
 * partner user) and/or `x-api-key` — never from identity headers a client sends.
 */
export async function createAuthenticator(deps: {
  customer: SubgraphTarget;
  verifyToken: TokenVerifier;
  bus: EventBus;
}): Promise<Authenticator> {
  const keys = new TtlCache<Grant | null>(10_000);
  const revokedSessions = new Map<string, number>();

  // Revocations (and budget changes) reach every router at once instead of when caches expire.
  const forget = (payload: unknown) => {
    const keyId = (payload as { keyId?: string }).keyId;
    for (const [key, entry] of keys.entries) if (entry.value?.keyId === keyId) keys.entries.delete(key);
  };
  const unsubscribe = [
    await deps.bus.subscribe(API_KEY_REVOKED, forget),
    await deps.bus.subscribe(API_KEY_CHANGED, forget),
    await deps.bus.subscribe(SESSION_REVOKED, (payload) => {
      const sessionId = (payload as { sessionId?: string }).sessionId;
      if (sessionId) revokedSessions.set(sessionId, Date.now() + ACCESS_TOKEN_TTL_SECONDS * 1000);
      for (const [sid, until] of revokedSessions) if (until < Date.now()) revokedSessions.delete(sid);
    }),
  ];

  const verifyKey = async (key: string): Promise<Grant | null> => {
    const cached = keys.get(key);
    if (cached !== undefined) return cached;
    const response = await deps.customer.execute(
      {
        query:
          'query Verify($key: String!) { apiKeyVerify(key: $key) { keyId kind storefrontId partnerId scopes costBudget { maximumAvailable restoreRate } } }',
        variables: { key },
      },
      // Only key verification: a captured or leaked router principal can do nothing else.
      servicePrincipal('router', null, [SERVICE_SCOPES.apiKeyVerify]),
    );
    // The customer database briefly away: the whole request is retryable (503), not a server bug.
    if (response.errors?.length && response.errors.every((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE'))
      throw new GraphQLError('Service temporarily unavailable, retry', {
        extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, http: { status: 503, headers: new HeaderMap([['retry-after', '1']]) } },
      });
    if (response.errors?.length) throw new Error(`key verification failed: ${response.errors[0].message}`);
    const grant = (response.data?.apiKeyVerify as Grant | null) ?? null;
    keys.set(key, grant, grant ? VALID_TTL_MS : INVALID_TTL_MS);
    return grant;
  };

  const identify = async (headers: HeaderMap, clientIp: string | null): Promise<Identity> => {
    const key = headers.get(API_KEY_HEADER)?.trim();
    const grant = key ? await verifyKey(key) : null;
    if (key && !grant) throw unauthenticated('Invalid or revoked API key');
    const keyId = grant?.keyId ?? null;
    const keyGrant = grant ? { kind: grant.kind, costBudget: grant.costBudget } : null;
    const authorization = headers.get('authorization');
    if (authorization) {
      const [scheme, token] = authorization.split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !token) throw unauthenticated('Use Authorization: Bearer <access token>');
      const verified = await deps.verifyToken(token);
      if (!verified) throw unauthenticated('Invalid or expired access token');
      if (verified.sessionId && revokedSessions.has(verified.sessionId)) throw unauthenticated('This session has ended; sign in again');
      const principal = inBrandOfKey(verified.principal, grant);
      return {
        principal: { ...principal, clientIp },
        sessionId: verified.sessionId,
        keyId,
        key: keyGrant,
        expiresAt: verified.expiresAt || null,
      };
    }
    if (grant) return { principal: { ...principalOfGrant(grant), clientIp }, sessionId: null, keyId, key: keyGrant, expiresAt: null };
    // No credentials: introspection and the sign-in mutations work; brand data is refused downstream.
    const anonymous: Principal = { kind: 'anonymous', id: null, storefrontId: null, partnerId: null, roles: [], scopes: [], clientIp };
    return { principal: anonymous, sessionId: null, keyId: null, key: null, expiresAt: null };
  };

  return {
    authenticate: async (headers, clientIp) => (await identify(headers, clientIp)).principal,
    identify,
    close: async () => {
      for (const off of unsubscribe) await off();
    },
  };
}
