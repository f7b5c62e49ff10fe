import { createHmac } from 'node:crypto';
import { safeEqual } from './secrets.js';

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
};

export const PRINCIPAL_HEADER = 'x-dcrm-principal';

/** Signed principals live this long: long enough for one federated request, short enough to limit replay. */
const TTL_SECONDS = 60;

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

/** `<base64url(json)>.<base64url(hmac-sha256)>`; the payload carries an expiry. */
export function signPrincipal(principal: Principal, secret: string, now = Date.now()): string {
  const payload = b64(JSON.stringify({ ...principal, exp: Math.floor(now / 1000) + TTL_SECONDS }));
  return `${payload}.${b64(mac(secret, payload))}`;
}

const KINDS = new Set<PrincipalKind>(['anonymous', 'customer', 'staff', 'partner', 'service']);

/** Returns the principal when the signature and expiry check out, otherwise null. */
export function verifyPrincipal(header: string | undefined | null, secret: string, now = Date.now()): Principal | null {
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
  if (typeof data.exp !== 'number' || data.exp * 1000 < now) return null;
  if (!KINDS.has(data.kind as PrincipalKind)) return null;
  return {
    kind: data.kind as PrincipalKind,
    id: typeof data.id === 'string' ? data.id : null,
    storefrontId: typeof data.storefrontId === 'string' ? data.storefrontId : null,
    partnerId: typeof data.partnerId === 'string' ? data.partnerId : null,
    ...(Array.isArray(data.storefronts) ? { storefronts: data.storefronts.filter((s): s is string => typeof s === 'string') } : {}),
    roles: Array.isArray(data.roles) ? data.roles.filter((r): r is string => typeof r === 'string') : [],
    scopes: Array.isArray(data.scopes) ? data.scopes.filter((s): s is string => typeof s === 'string') : [],
    clientIp: typeof data.clientIp === 'string' ? data.clientIp : null,
  };
}

/** A principal for one subgraph (or the router) calling another on its own behalf. */
export function servicePrincipal(name: string, storefrontId: string | null = null): Principal {
  return { kind: 'service', id: name, storefrontId, partnerId: null, roles: [], scopes: ['*'] };
}

export function hasScope(principal: Principal, scope: string): boolean {
  if (principal.scopes.includes('*') || principal.scopes.includes(scope)) return true;
  // `catalog:*` grants `catalog:write`
  const module = scope.split(':')[0];
  return principal.scopes.includes(`${module}:*`);
}

const DEV_SECRET = 'dcrm-development-internal-secret-change-me';

/** The router↔subgraph shared secret. Required in production; a fixed development value otherwise. */
export function internalSecret(env: NodeJS.ProcessEnv = process.env): string {
  const secret = env.DCRM_INTERNAL_SECRET;
  if (secret) {
    if (secret.length < 32) throw new Error('DCRM_INTERNAL_SECRET must be at least 32 characters');
    return secret;
  }
  if (env.NODE_ENV === 'production') throw new Error('DCRM_INTERNAL_SECRET is required in production');
  return DEV_SECRET;
}

/** Market segments travel as `segment:<code>` roles (`segment:*` = all segments). */
export const segmentsOf = (principal: Principal): string[] =>
  principal.roles.filter((r) => r.startsWith('segment:')).map((r) => r.slice('segment:'.length));
