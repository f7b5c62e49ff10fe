import { normalizeOrigin } from '@dcrm/kit/cors.js';
import { StartupError } from '@dcrm/kit/shutdown.js';

/**
 * Staff single sign-on through an OpenID Connect provider (authorization code + PKCE), off unless
 * `OIDC_ISSUER` is set. The provider, not dcrm, talks to the directory (LDAP, Active Directory).
 */
export type SsoSettings = {
  /** The provider's issuer URL; its `/.well-known/openid-configuration` is read at the first sign-in. */
  issuer: string;
  clientId: string;
  /** Absent for a public client (PKCE only). */
  clientSecret: string | null;
  /** This router's `/auth/oidc/callback` as the provider knows it (registered there as a redirect URI). */
  callbackUrl: string;
  /** Front-end origins a signed-in browser may be sent back to (besides the origins of the storefront it names). */
  returnOrigins: string[];
  /** Requested scopes: `openid` and those giving `email` and the groups claim. */
  scopes: string;
  /** The ID token or userinfo claim listing the user's groups. */
  groupsClaim: string;
  /** Pending sign-ins and one-time codes: in Redis when set (shared by every router), in this process otherwise. */
  redisUrl: string | null;
  keyPrefix: string;
};

const origins = (raw: string | undefined): string[] =>
  (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const origin = normalizeOrigin(entry);
      if (!origin) throw new StartupError(`OIDC_RETURN_ORIGINS: "${entry}" is not an origin (scheme://host[:port])`);
      return origin;
    });

const httpUrl = (name: string, value: string): string => {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
  } catch {}
  throw new StartupError(`${name} must be an http(s) URL`);
};

/** From `OIDC_*` (and `REDIS_URL`), then `overrides`; null when SSO is off (no issuer). Throws a StartupError on an incomplete configuration. */
export function ssoSettings(env: NodeJS.ProcessEnv = process.env, overrides: Partial<SsoSettings> = {}): SsoSettings | null {
  const issuer = overrides.issuer ?? env.OIDC_ISSUER;
  if (!issuer) return null;
  const clientId = overrides.clientId ?? env.OIDC_CLIENT_ID;
  const callbackUrl = overrides.callbackUrl ?? env.OIDC_CALLBACK_URL;
  if (!clientId) throw new StartupError('OIDC_CLIENT_ID is required with OIDC_ISSUER');
  if (!callbackUrl)
    throw new StartupError(
      'OIDC_CALLBACK_URL (this router’s /auth/oidc/callback, as registered at the provider) is required with OIDC_ISSUER',
    );
  return {
    issuer: httpUrl('OIDC_ISSUER', issuer),
    clientId,
    clientSecret: overrides.clientSecret ?? (env.OIDC_CLIENT_SECRET || null),
    callbackUrl: httpUrl('OIDC_CALLBACK_URL', callbackUrl),
    returnOrigins: overrides.returnOrigins ?? origins(env.OIDC_RETURN_ORIGINS),
    scopes: overrides.scopes ?? (env.OIDC_SCOPES || 'openid email profile groups'),
    groupsClaim: overrides.groupsClaim ?? (env.OIDC_GROUPS_CLAIM || 'groups'),
    redisUrl: overrides.redisUrl !== undefined ? overrides.redisUrl : env.REDIS_URL || null,
    keyPrefix: overrides.keyPrefix ?? 'dcrm:sso',
  };
}
