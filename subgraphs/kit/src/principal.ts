import { createHash, createHmac } from 'node:crypto';
import { canonicalCountry, canonicalLocale } from './locale.js';
import { requiredSecret, safeEqual } from './secrets.js';

/** Who is calling. Built by the router, signed, and verified by every subgraph. */
export type PrincipalKind = 'anonymous' | 'customer' | 'staff' | 'partner' | 'service';

export type Principal = {
  kind: PrincipalKind;
  /** Customer, staff, partner-user or API-key id; the subgraph or router name for `service`. */
  id: string | null;
  /** The white-label brand the request is scoped to. */
  storefrontId: string | null;
  /**
   * The brands this principal may act on (read and write), see `brands.ts`. Staff carry their grants
   * (`*` = all brands, an explicit grant); absent means just `storefrontId`.
   */
  storefronts?: string[];
  partnerId: string | null;
  roles: string[];
  scopes: string[];
  /** The client's address as the router saw it (login throttling); absent for service calls. */
  clientIp?: string | null;
  /**
   * The account a service call acts for (signed with the rest): catalog prices for it as that account
   * would pay (its negotiated list, its segment's prices) when the principal is a service holding
   * `SERVICE_SCOPES.accountPricing`; ignored for every other principal.
   */
  account?: ServiceAccount | null;
  /**
   * The request context: the language (BCP 47, canonical) and country (ISO 3166-1 alpha-2) the
   * client asked for (`@inContext`, else `Accept-Language`), set by the router and carried on by
   * calls between subgraphs (kit `targets.ts`); absent means the storefront's default.
   */
  locale?: string | null;
  country?: string | null;
};

/** The account a service principal acts for: the customer and its market segment. */
export type ServiceAccount = { customerId: string; segment: string };

export const PRINCIPAL_HEADER = 'x-dcrm-principal';

/**
 * Signed principals live this long: one hop from the router (or a peer) to a subgraph. Together with
 * the audience and the request digest, a captured header is good for nothing but the same request to
 * the same subgraph within these seconds.
 */
export const PRINCIPAL_TTL_MS = 10_000;

/** What a signature is bound to: the subgraph it is for and the request body it travels with. */
export type PrincipalBinding = { audience: string; body: unknown };

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

const byKey = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The value with object keys sorted at every level (`toJSON` applied first, as `JSON.stringify` does),
 * copying only the objects whose keys are out of order: a large request built in key order (a campaign
 * chunk's thousands of notifications) is then serialised by the native `JSON.stringify` fast path,
 * never a replacer.
 */
function canonical(input: unknown): unknown {
  if (input === null || typeof input !== 'object') return input;
  const withJson = input as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return canonical(withJson.toJSON());
  if (Array.isArray(input)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < input.length; i++) {
      const item = canonical(input[i]);
      if (item !== input[i]) (copy ??= input.slice())[i] = item;
    }
    return copy ?? input;
  }
  const record = input as Record<string, unknown>;
  const keys = Object.keys(record);
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1] < keys[i];
  let copy = sorted ? undefined : (Object.fromEntries(Object.entries(record).sort(byKey)) as Record<string, unknown>);
  for (const key of keys) {
    const item = canonical(record[key]);
    if (item !== record[key]) (copy ??= { ...record })[key] = item;
  }
  return copy ?? record;
}

/**
 * SHA-256 of the GraphQL request a subgraph executes — query, operationName, variables, extensions —
 * serialised canonically (sorted keys, absent = null), so the object an in-process call passes and the
 * JSON an HTTP call sends and the subgraph parses give the same digest.
 */
export function requestDigest(body: unknown): string {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const request = {
    query: b.query ?? null,
    operationName: b.operationName ?? null,
    variables: b.variables ?? null,
    extensions: b.extensions ?? null,
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical(request)))
    .digest('base64url');
}

/** `<base64url(json)>.<base64url(hmac-sha256)>`; the payload carries audience, request digest and expiry (ms). */
export function signPrincipal(principal: Principal, secret: string, binding: PrincipalBinding, now = Date.now()): string {
  const claims = { ...principal, aud: binding.audience, dig: requestDigest(binding.body), exp: now + PRINCIPAL_TTL_MS };
  const payload = b64(JSON.stringify(claims));
  return `${payload}.${b64(mac(secret, payload))}`;
}

const KINDS = new Set<PrincipalKind>(['anonymous', 'customer', 'staff', 'partner', 'service']);

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : []);

/**
 * The principal when the signature checks out and it was signed for this subgraph (`audience`), for
 * this very request body, and has not expired; otherwise null. Only a POSTed GraphQL body is signed.
 */
export function verifyPrincipal(
  header: string | undefined | null,
  secret: string,
  binding: PrincipalBinding,
  now = Date.now(),
): Principal | null {
  if (!header) return null;
  const dot = header.indexOf('.');
  if (dot <= 0) return null;
  const payload = header.slice(0, dot);
  if (!safeEqual(header.slice(dot + 1), b64(mac(secret, payload)))) return null;
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof data.exp !== 'number' || data.exp < now) return null;
  if (data.aud !== binding.audience) return null;
  const body = binding.body as { query?: unknown } | null | undefined;
  if (typeof body?.query !== 'string' || typeof data.dig !== 'string' || !safeEqual(data.dig, requestDigest(body))) return null;
  return principalFromClaims(data);
}

/** The principal a signed payload (or a handed-over object) describes, with nothing but its known fields; null for an unknown kind. */
function principalFromClaims(data: Record<string, unknown>): Principal | null {
  if (!KINDS.has(data.kind as PrincipalKind)) return null;
  return {
    kind: data.kind as PrincipalKind,
    id: typeof data.id === 'string' ? data.id : null,
    storefrontId: typeof data.storefrontId === 'string' ? data.storefrontId : null,
    partnerId: typeof data.partnerId === 'string' ? data.partnerId : null,
    ...(Array.isArray(data.storefronts) ? { storefronts: strings(data.storefronts) } : {}),
    roles: strings(data.roles),
    scopes: strings(data.scopes),
    clientIp: typeof data.clientIp === 'string' ? data.clientIp : null,
    ...(serviceAccount(data.account) ? { account: serviceAccount(data.account) } : {}),
    ...(typeof data.locale === 'string' ? { locale: canonicalLocale(data.locale) } : {}),
    ...(typeof data.country === 'string' ? { country: canonicalCountry(data.country) } : {}),
  };
}

/**
 * Principals handed to a subgraph in this process (all-in-one mode, kit `inProcessTarget`) with the very
 * request object it is to execute: nothing crosses a wire, so there is no signature to make and check
 * (they were ~4 % of an all-in-one listing's CPU). Only code in this process can put one here — a body
 * parsed from HTTP is always a new object, so a request from outside never finds one and still needs its
 * signature — and each is taken once, by the subgraph it was handed to.
 */
const handedOver = new WeakMap<object, { principal: Principal; audience: string }>();

/** Hands `principal` to the subgraph `binding.audience` with the request object `binding.body` (in-process calls only). */
export function handOverPrincipal(principal: Principal, binding: { audience: string; body: object }): void {
  handedOver.set(binding.body, { principal, audience: binding.audience });
}

/**
 * The principal handed over with this very request body for this subgraph, taken (null when none was),
 * rebuilt field by field as a verified signature is, so a subgraph sees the same principal either way.
 */
export function takeHandedOverPrincipal(binding: PrincipalBinding): Principal | null {
  const body = binding.body;
  if (body === null || typeof body !== 'object') return null;
  const handed = handedOver.get(body);
  if (!handed) return null;
  handedOver.delete(body);
  if (handed.audience !== binding.audience) return null;
  return principalFromClaims(handed.principal as unknown as Record<string, unknown>);
}

function serviceAccount(value: unknown): ServiceAccount | null {
  const a = value as Partial<ServiceAccount> | null | undefined;
  return a && typeof a.customerId === 'string' && typeof a.segment === 'string' ? { customerId: a.customerId, segment: a.segment } : null;
}

/**
 * The capabilities service principals are given, one per kind of service-only call; each is required
 * by the `@access(kinds: ["service"], scopes: [...])` of the fields that call uses.
 */
export const SERVICE_SCOPES = {
  /** router → customer `apiKeyVerify` */
  apiKeyVerify: 'apikey:verify',
  /** promotion → customer `customerAudience` */
  customerAudience: 'customer:audience',
  /** cart, promotion → customer `notificationSend` (and the older `siteMessageSend`/`siteMessagesSend`) */
  messageSend: 'message:send',
  /** promotion → cart `customersHolding` */
  cartHoldings: 'cart:holdings',
  /** cart, quote → promotion `promotionEvaluate` */
  promotionEvaluate: 'promotion:evaluate',
  /** cart → promotion `promotionRedeem`/`promotionRelease` */
  promotionRedeem: 'promotion:redeem',
  /** router → catalog `storefrontOrigins` (CORS) */
  storefrontOrigins: 'storefront:origins',
  /** customer → every subgraph `_auditRecords` (the audit trail's fan-out) */
  auditRead: 'audit:read',
  /** customer (bulk operations) → a module's `_bulkValidate`/`_bulkApply` */
  bulkApply: 'bulk:apply',
  /** opportunity → customer `customerByIdentity` (a lead matched to an existing account) */
  customerLookup: 'customer:lookup',
  /** router → customer `staffSsoSignIn` (staff single sign-on) */
  ssoSignIn: 'sso:signin',
  /** opportunity, quote, ticket → customer `staffManagerChain`/`teamMembers`/`teamsFor` (routing and escalation) */
  staffDirectory: 'staff:directory',
  /** opportunity, quote → cart `orderPlaceForSale` (a won sale or an accepted quote becomes an order; kit `sale-orders.ts`) */
  orderPlaceForSale: 'order:place-for-sale',
  /** quote → cart `orderPlaceForSale` with agreed prices (an accepted quote is ordered at the prices accepted) */
  orderAgreedPrices: 'order:agreed-prices',
  /** cart (sale orders), quote (quote lines) → catalog products priced for the account a service principal carries (`Principal.account`) */
  accountPricing: 'pricing:account',
  /** an inbound mail/SMS gateway (provider webhooks) → ticket `ticketReplyReceive` */
  ticketReply: 'ticket:reply',
  /** opportunity → ticket `brandBusinessCalendar` (idle time counted in the brand's business hours) */
  businessCalendar: 'calendar:read',
} as const;

export type ServiceScope = (typeof SERVICE_SCOPES)[keyof typeof SERVICE_SCOPES];

/**
 * A principal for one subgraph (or the router) calling another on its own behalf: only the scopes
 * that call needs, and the storefront it is for whenever it is for one brand.
 */
export function servicePrincipal(name: string, storefrontId: string | null, scopes: readonly ServiceScope[]): Principal {
  return { kind: 'service', id: name, storefrontId, partnerId: null, roles: [], scopes: [...scopes] };
}

/** A service principal acting for one account (see `Principal.account`); catalog honours it with `accountPricing`. */
export const forAccount = (principal: Principal, account: ServiceAccount): Principal => ({ ...principal, account });

/**
 * What a principal is allowed, as a cache key's part: every field but the client's address, which
 * changes nothing a subgraph answers. Two requests with the same `accessKey` may share an answer.
 */
export function accessKey(principal: Principal): string {
  const { clientIp: _ip, ...who } = principal;
  return JSON.stringify(who);
}

export function hasScope(principal: Principal, scope: string): boolean {
  if (principal.scopes.includes('*') || principal.scopes.includes(scope)) return true;
  // `catalog:*` grants `catalog:write`
  const module = scope.split(':')[0];
  return principal.scopes.includes(`${module}:*`);
}

/** The router↔subgraph shared secret, `DCRM_INTERNAL_SECRET`: required, no default (the all-in-one generates one). */
export function internalSecret(env: NodeJS.ProcessEnv = process.env): string {
  return requiredSecret('DCRM_INTERNAL_SECRET', env);
}

/** Market segments travel as `segment:<code>` roles (`segment:*` = all segments). */
export const segmentsOf = (principal: Principal): string[] =>
  principal.roles.filter((r) => r.startsWith('segment:')).map((r) => r.slice('segment:'.length));

/**
 * The principal to sign for a call made while serving a request: the request's language and country
 * go along unless the call sets its own, so a peer's texts (product names in a cart) follow the client.
 */
export function withRequestContext(principal: Principal, current: Principal | null): Principal {
  if (!current || (principal.locale !== undefined && principal.country !== undefined)) return principal;
  const out = { ...principal };
  if (out.locale === undefined && current.locale) out.locale = current.locale;
  if (out.country === undefined && current.country) out.country = current.country;
  return out;
}
