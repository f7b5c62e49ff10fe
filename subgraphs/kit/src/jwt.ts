import { createRemoteJWKSet, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { createKept } from './kept.js';
import type { Principal, PrincipalKind } from './principal.js';
import { requiredSecret } from './secrets.js';

export const ISSUER = 'dcrm';
export const AUDIENCE = 'dcrm-api';
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

/** Claims of a dcrm access token; the same mapping applies to an external identity provider's tokens. */
type Claims = JWTPayload & {
  kind?: string;
  sf?: string | null;
  sfs?: string[];
  pid?: string | null;
  roles?: string[];
  scope?: string;
  sid?: string;
};

const TOKEN_KINDS = new Set<PrincipalKind>(['customer', 'staff', 'partner']);

/** `DCRM_JWT_SECRET` (HS256, shared by the router and the customer subgraph): required, no default in the source. */
export function jwtSecret(env: NodeJS.ProcessEnv = process.env): Uint8Array {
  return new TextEncoder().encode(requiredSecret('DCRM_JWT_SECRET', env));
}

/** `sessionId` (claim `sid`) lets a logout revoke the access tokens of that session too. */
export async function signAccessToken(
  principal: Principal,
  secret: Uint8Array,
  sessionId: string,
  now = Date.now(),
): Promise<{ token: string; expiresAt: Date }> {
  const issuedAt = Math.floor(now / 1000);
  const claims: Claims = {
    kind: principal.kind,
    sf: principal.storefrontId,
    ...(principal.storefronts ? { sfs: principal.storefronts } : {}),
    pid: principal.partnerId,
    roles: principal.roles,
    scope: principal.scopes.join(' '),
    sid: sessionId,
  };
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.id ?? '')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ACCESS_TOKEN_TTL_SECONDS)
    .sign(secret);
  return { token, expiresAt: new Date((issuedAt + ACCESS_TOKEN_TTL_SECONDS) * 1000) };
}

export type VerifiedToken = { principal: Principal; sessionId: string | null; expiresAt: number };
export type TokenVerifier = (token: string) => Promise<VerifiedToken | null>;

/** How long a verified token is kept at most (below its own expiry): a key an identity provider withdraws stops working within this. */
const VERIFIED_TOKEN_TTL_MS = 5 * 60_000;
const VERIFIED_TOKENS_KEPT = 5_000;

/**
 * HS256 with the shared secret by default; `DCRM_JWKS_URL` switches to an external identity provider.
 * A token that verified is kept by its whole text, signature included, until it expires (at most
 * `VERIFIED_TOKEN_TTL_MS`): an app sends the same token with every request, and each verification cost the
 * router 65–70 µs of CPU (jose on WebCrypto; 126 µs cold). Only what verified is kept, frozen, so a refused or
 * altered token is always verified anew, and nothing a request does changes what the next one gets.
 * Revoked sessions are the caller's check, after this one, as before.
 */
export function tokenVerifier(env: NodeJS.ProcessEnv = process.env): TokenVerifier {
  const issuer = env.DCRM_JWT_ISSUER ?? ISSUER;
  const audience = env.DCRM_JWT_AUDIENCE ?? AUDIENCE;
  const key = env.DCRM_JWKS_URL ? createRemoteJWKSet(new URL(env.DCRM_JWKS_URL)) : jwtSecret(env);
  const algorithms = env.DCRM_JWKS_URL ? ['RS256', 'ES256', 'EdDSA'] : ['HS256'];
  const verify = async (token: string): Promise<VerifiedToken | null> => {
    try {
      const { payload } = await jwtVerify<Claims>(token, key as Uint8Array, { issuer, audience, algorithms });
      const principal = principalFromClaims(payload);
      return principal
        ? frozen({ principal, sessionId: typeof payload.sid === 'string' ? payload.sid : null, expiresAt: (payload.exp ?? 0) * 1000 })
        : null;
    } catch {
      return null;
    }
  };
  const verified = createKept<VerifiedToken | null>({
    ttlMs: VERIFIED_TOKEN_TTL_MS,
    maxEntries: VERIFIED_TOKENS_KEPT,
    until: (v) => v?.expiresAt ?? 0,
  });
  // A token without an expiry is verified every time.
  const keep = (v: VerifiedToken | null) => v !== null && v.expiresAt > 0;
  return (token) => verified.load(token, () => verify(token), keep);
}

function frozen(verified: VerifiedToken): VerifiedToken {
  const { principal } = verified;
  for (const list of [principal.roles, principal.scopes, principal.storefronts]) if (list) Object.freeze(list);
  Object.freeze(principal);
  return Object.freeze(verified);
}

export function principalFromClaims(claims: Claims): Principal | null {
  const kind = claims.kind as PrincipalKind;
  if (!TOKEN_KINDS.has(kind) || !claims.sub) return null;
  return {
    kind,
    id: claims.sub,
    storefrontId: typeof claims.sf === 'string' ? claims.sf : null,
    ...(Array.isArray(claims.sfs) ? { storefronts: claims.sfs.filter((s) => typeof s === 'string') } : {}),
    partnerId: typeof claims.pid === 'string' ? claims.pid : null,
    roles: Array.isArray(claims.roles) ? claims.roles.filter((r) => typeof r === 'string') : [],
    scopes: typeof claims.scope === 'string' && claims.scope ? claims.scope.split(' ') : [],
  };
}
