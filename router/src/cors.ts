import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventBus } from '@dcrm/kit/bus.js';
import { STOREFRONT_ORIGINS_CHANGED } from '@dcrm/kit/events.js';
import { SERVICE_SCOPES, servicePrincipal } from '@dcrm/kit/principal.js';
import type { SubgraphTarget } from '@dcrm/kit/targets.js';

/**
 * CORS for `/graphql`. Browser pages on an origin a storefront lists (`Storefront.allowedOrigins`) or
 * on one of `DCRM_CORS_ORIGINS` may call the API; no credentials mode (the API takes bearer tokens
 * and keys in headers, never cookies). A preflight carries no key, so it is answered for the origins
 * of every storefront; the actual request is answered for its own storefront's (the key's, or the
 * token's brand). A request from an origin not allowed still runs — it gets no CORS headers, so the
 * browser hides the answer: with no ambient credentials a page can only send what it already holds,
 * Apollo's CSRF prevention refuses the simple requests a browser sends without a preflight, and a
 * same-site reverse proxy (which forwards `Origin` and often rewrites `Host`) keeps working.
 */

/** How long a router trusts its copy of the storefronts' origins; a change reaches it sooner by the bus. */
export const CORS_TTL_MS = 30_000;
/** After a failed load (catalog away), the previous copy is kept and the load retried this soon. */
const RETRY_MS = 2_000;

export const CORS_ALLOW_METHODS = 'GET, POST, OPTIONS';
export const CORS_ALLOW_HEADERS = [
  'content-type',
  'authorization',
  'x-api-key',
  'x-request-id',
  'traceparent',
  'tracestate',
  'apollographql-client-name',
  'apollographql-client-version',
  'apollo-require-preflight',
  'x-apollo-operation-name',
].join(', ');
/** Seconds a browser may reuse a preflight answer. */
export const CORS_MAX_AGE = '600';

type OriginTable = { byStorefront: Map<string, Set<string>>; any: Set<string> };

export type CorsPolicy = {
  /** May a page on `origin` read answers for `storefrontId`? Without a storefront (a preflight, no credentials): for any storefront. */
  allows(origin: string, storefrontId: string | null): Promise<boolean>;
  close(): Promise<void>;
};

export async function createCorsPolicy(deps: {
  /** Where storefronts' origins are read; without it only `origins` are allowed. */
  catalog: SubgraphTarget | undefined;
  bus: EventBus;
  /** Allowed for every storefront (`DCRM_CORS_ORIGINS`, canonical). */
  origins: readonly string[];
  ttlMs?: number;
}): Promise<CorsPolicy> {
  const everywhere = new Set(deps.origins);
  const ttl = deps.ttlMs ?? CORS_TTL_MS;
  let table: OriginTable = { byStorefront: new Map(), any: new Set() };
  let expires = 0;
  // A change heard while a load is under way may not be in what that load read: it must not count as fresh.
  let generation = 0;
  let loading: Promise<void> | null = null;

  const load = async (catalog: SubgraphTarget): Promise<OriginTable> => {
    const response = await catalog.execute(
      { query: '{ storefrontOrigins { storefrontId origins } }' },
      servicePrincipal('router', null, [SERVICE_SCOPES.storefrontOrigins]),
    );
    if (response.errors?.length || !response.data) throw new Error(`storefront origins: ${response.errors?.[0]?.message}`);
    const rows = response.data.storefrontOrigins as { storefrontId: string; origins: string[] }[];
    const byStorefront = new Map(rows.map((r) => [r.storefrontId, new Set(r.origins)]));
    return { byStorefront, any: new Set(rows.flatMap((r) => r.origins)) };
  };

  const current = async (): Promise<OriginTable> => {
    if (!deps.catalog || Date.now() < expires) return table;
    const catalog = deps.catalog;
    loading ??= (async () => {
      const started = generation;
      try {
        table = await load(catalog);
        expires = started === generation ? Date.now() + ttl : 0;
      } catch {
        expires = Date.now() + RETRY_MS;
      } finally {
        loading = null;
      }
    })();
    await loading;
    return table;
  };

  const unsubscribe = await deps.bus.subscribe(STOREFRONT_ORIGINS_CHANGED, () => {
    generation += 1;
    expires = 0;
  });

  return {
    allows: async (origin, storefrontId) => {
      if (everywhere.has(origin)) return true;
      const origins = await current();
      return storefrontId ? (origins.byStorefront.get(storefrontId)?.has(origin) ?? false) : origins.any.has(origin);
    },
    close: unsubscribe,
  };
}

const originOf = (req: IncomingMessage): string | null => {
  const origin = req.headers.origin;
  return typeof origin === 'string' && origin ? origin : null;
};

/**
 * `OPTIONS /graphql`: 204 always (never 400). The allow headers only for an origin some storefront
 * (or `DCRM_CORS_ORIGINS`) allows; for any other the browser refuses to send the request.
 */
export function preflight(policy: CorsPolicy) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const origin = originOf(req);
    if (!origin) {
      res.writeHead(204, { allow: CORS_ALLOW_METHODS }).end();
      return;
    }
    const headers: Record<string, string> = { vary: 'Origin' };
    if (await policy.allows(origin, null)) {
      Object.assign(headers, {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': CORS_ALLOW_METHODS,
        'access-control-allow-headers': CORS_ALLOW_HEADERS,
        'access-control-max-age': CORS_MAX_AGE,
      });
    }
    res.writeHead(204, headers).end();
  };
}

/** The CORS headers of an actual request's answer, set on `res` before it is sent; `storefrontId`: the request's brand, once known. */
export async function answerCors(
  policy: CorsPolicy,
  req: IncomingMessage,
  res: ServerResponse,
  storefrontId: string | null,
): Promise<void> {
  const origin = originOf(req);
  if (!origin) return;
  res.setHeader('vary', 'Origin');
  if (!(await policy.allows(origin, storefrontId))) return;
  res.setHeader('access-control-allow-origin', origin);
  // Throttled and unavailable answers say when to retry; a page may read it.
  res.setHeader('access-control-expose-headers', 'retry-after');
}
