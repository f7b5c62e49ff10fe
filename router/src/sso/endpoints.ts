import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyError, readBody, sendJson } from '@dcrm/kit/http.js';
import { isUuid } from '@dcrm/kit/ids.js';
import { loggerFor } from '@dcrm/kit/logger.js';
import { SERVICE_SCOPES, servicePrincipal } from '@dcrm/kit/principal.js';
import { randomToken, safeEqual } from '@dcrm/kit/secrets.js';
import type { SubgraphTarget } from '@dcrm/kit/targets.js';
import type { CorsPolicy } from '../cors.js';
import type { OidcProvider, PendingSignIn, SsoIdentity } from './provider.js';
import type { SsoSettings } from './settings.js';
import type { OneTimeStore } from './store.js';

/** A sign-in must come back from the provider within this long. */
const PENDING_TTL_MS = 10 * 60_000;
/** The front end exchanges its one-time code within this long. */
const CODE_TTL_MS = 60_000;
const STATE_COOKIE = 'dcrm_oidc_state';
const PREFIX = '/auth/oidc';

type Pending = PendingSignIn & { returnTo: string; challenge: string | null };
type Issued = { accessToken: string; accessTokenExpiresAt: string; refreshToken: string; origin: string; challenge: string | null };

const SIGN_IN = `mutation SsoSignIn($input: StaffSsoSignInInput!) {
  staffSsoSignIn(input: $input) { accessToken accessTokenExpiresAt refreshToken userErrors { code message } }
}`;

const refuse = (res: ServerResponse, status: number, error: string, message: string) => sendJson(res, status, { error, message });

const cookieOf = (req: IncomingMessage, name: string): string | null => {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return null;
};

/** The front end's URL to come back to: http(s), no credentials or fragment. */
const returnUrl = (raw: string | null): URL | null => {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password && !url.hash ? url : null;
  } catch {
    return null;
  }
};

/** The browser goes back to the front end with one query parameter added: `sso_code` or `sso_error`. */
const back = (res: ServerResponse, returnTo: string, param: 'sso_code' | 'sso_error', value: string, clearCookie: string) => {
  const url = new URL(returnTo);
  url.searchParams.set(param, value);
  res.writeHead(302, { location: url.href, 'set-cookie': clearCookie, 'cache-control': 'no-store' }).end();
};

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

export type SsoDeps = {
  settings: SsoSettings;
  provider: OidcProvider;
  store: OneTimeStore;
  customer: SubgraphTarget;
  cors: CorsPolicy;
};

/**
 * Staff single sign-on (OpenID Connect, authorization code + PKCE), on the router:
 *
 * 1. `GET /auth/oidc/login?redirect_uri=<front end>[&storefront=<id>][&code_challenge=<S256>]`: the
 *    front end's URL must be on an allowed origin (`OIDC_RETURN_ORIGINS`, or the named storefront's
 *    allowed origins); state, nonce and PKCE verifier are kept for 10 minutes, the state also in a
 *    cookie of this browser; the browser is sent to the provider.
 * 2. `GET /auth/oidc/callback`: the state must be this browser's and still pending (used once); the
 *    code is exchanged with the verifier, the ID token checked (issuer, audience, nonce, signature);
 *    the customer subgraph signs the ACTIVE staff member in (`staffSsoSignIn`, service principal).
 *    The browser goes back with `sso_code` (one-time, 60 s) or `sso_error` (e.g. `UNKNOWN_STAFF`).
 * 3. `POST /auth/oidc/token` `{ code, code_verifier? }` from the front end's origin: the tokens, once.
 *    Tokens never travel in a URL.
 */
export function ssoRoutes(deps: SsoDeps) {
  const log = loggerFor('sso');
  const secure = new URL(deps.settings.callbackUrl).protocol === 'https:';
  const cookie = (value: string, maxAgeSeconds: number) =>
    `${STATE_COOKIE}=${value}; Path=${PREFIX}; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
  const clearCookie = cookie('', 0);

  const allowedReturn = async (url: URL, storefront: string | null) =>
    deps.settings.returnOrigins.includes(url.origin) || (!!storefront && (await deps.cors.allows(url.origin, storefront)));

  const login = async (res: ServerResponse, query: URLSearchParams) => {
    const returnTo = returnUrl(query.get('redirect_uri'));
    const storefront = query.get('storefront');
    const challenge = query.get('code_challenge');
    if (!returnTo) return refuse(res, 400, 'invalid_request', 'redirect_uri must be the http(s) URL of your sign-in page');
    if (storefront !== null && !isUuid(storefront)) return refuse(res, 400, 'invalid_request', 'storefront must be a storefront id');
    if (challenge !== null && !/^[A-Za-z0-9_-]{43}$/.test(challenge))
      return refuse(res, 400, 'invalid_request', 'code_challenge must be the S256 challenge of your code_verifier (43 characters)');
    if (!(await allowedReturn(returnTo, storefront)))
      return refuse(res, 400, 'invalid_request', 'redirect_uri is not on an allowed origin (OIDC_RETURN_ORIGINS or the storefront’s)');
    const state = randomToken('st', 24);
    const { url, pending } = await deps.provider.begin(state);
    await deps.store.put(`state:${state}`, { ...pending, returnTo: returnTo.href, challenge } satisfies Pending, PENDING_TTL_MS);
    res.writeHead(302, { location: url.href, 'set-cookie': cookie(state, PENDING_TTL_MS / 1000), 'cache-control': 'no-store' }).end();
  };

  const signIn = async (
    identity: SsoIdentity,
  ): Promise<{ ok: true; issued: Omit<Issued, 'origin' | 'challenge'> } | { ok: false; code: string }> => {
    const response = await deps.customer.execute(
      { query: SIGN_IN, variables: { input: identity } },
      servicePrincipal('router', null, [SERVICE_SCOPES.ssoSignIn]),
    );
    const payload = response.data?.staffSsoSignIn as
      | (Omit<Issued, 'origin' | 'challenge'> & { userErrors: { code: string }[] })
      | undefined;
    if (!payload) {
      log.warn({ errors: response.errors?.map((e) => e.message) }, 'SSO sign-in: the customer subgraph did not answer');
      return { ok: false, code: 'SERVICE_UNAVAILABLE' };
    }
    if (payload.userErrors.length) return { ok: false, code: payload.userErrors[0].code };
    const { accessToken, accessTokenExpiresAt, refreshToken } = payload;
    return { ok: true, issued: { accessToken, accessTokenExpiresAt, refreshToken } };
  };

  const callback = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const state = url.searchParams.get('state');
    const mine = cookieOf(req, STATE_COOKIE);
    // Only the browser that started this sign-in may finish it (no signing someone in as another).
    if (!state || !mine || !safeEqual(state, mine))
      return refuse(res, 400, 'invalid_state', 'This sign-in was not started in this browser; start again');
    const pending = await deps.store.take<Pending>(`state:${state}`);
    if (!pending) return refuse(res, 400, 'invalid_state', 'This sign-in expired or was already used; start again');
    const fail = (code: string) => back(res, pending.returnTo, 'sso_error', code, clearCookie);
    if (url.searchParams.has('error'))
      return fail(/^[a-z_]{1,64}$/.test(url.searchParams.get('error') ?? '') ? (url.searchParams.get('error') as string) : 'access_denied');
    let identity: SsoIdentity;
    try {
      identity = await deps.provider.finish(url, state, pending);
    } catch (error) {
      log.warn(
        { cause: error instanceof Error ? error.message : String(error) },
        'SSO sign-in refused: the provider’s answer did not check out',
      );
      return fail('SIGN_IN_FAILED');
    }
    const result = await signIn(identity);
    if (!result.ok) {
      log.info({ issuer: identity.issuer, subject: identity.subject, code: result.code }, 'SSO sign-in refused');
      return fail(result.code);
    }
    const code = randomToken('sso', 24);
    const issued: Issued = { ...result.issued, origin: new URL(pending.returnTo).origin, challenge: pending.challenge };
    await deps.store.put(`code:${code}`, issued, CODE_TTL_MS);
    back(res, pending.returnTo, 'sso_code', code, clearCookie);
  };

  const originAllowed = async (origin: string | undefined) =>
    !!origin && (deps.settings.returnOrigins.includes(origin) || (await deps.cors.allows(origin, null)));
  const corsHeaders = (origin: string | undefined, allowed: boolean): Record<string, string> =>
    origin && allowed ? { vary: 'Origin', 'access-control-allow-origin': origin } : { vary: 'Origin' };

  const exchange = async (req: IncomingMessage, res: ServerResponse) => {
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const text = await readBody(req);
    let fields: Record<string, unknown>;
    try {
      fields = (req.headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text));
    } catch {
      throw new BodyError(400, 'Malformed JSON body');
    }
    const code = typeof fields?.code === 'string' ? fields.code : '';
    const issued = code ? await deps.store.take<Issued>(`code:${code}`) : null;
    const answer = (status: number, body: unknown, allowed: boolean) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...corsHeaders(origin, allowed) });
      res.end(JSON.stringify(body));
    };
    if (!issued)
      return answer(400, { error: 'invalid_grant', message: 'Unknown, expired or used code; sign in again' }, await originAllowed(origin));
    if (origin !== undefined && origin !== issued.origin)
      return answer(400, { error: 'invalid_grant', message: 'This code belongs to another origin' }, false);
    const verifier = typeof fields.code_verifier === 'string' ? fields.code_verifier : '';
    if (issued.challenge && !safeEqual(s256(verifier), issued.challenge))
      return answer(400, { error: 'invalid_grant', message: 'code_verifier does not match the code_challenge of the sign-in' }, true);
    const { accessToken, accessTokenExpiresAt, refreshToken } = issued;
    answer(200, { accessToken, accessTokenExpiresAt, refreshToken }, true);
  };

  const preflight = async (req: IncomingMessage, res: ServerResponse) => {
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const allowed = await originAllowed(origin);
    const headers = corsHeaders(origin, allowed);
    if (allowed)
      Object.assign(headers, {
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type',
        'access-control-max-age': '600',
      });
    res.writeHead(204, headers).end();
  };

  /** Answers `/auth/oidc/*`; false for any other path. */
  return (req: IncomingMessage, res: ServerResponse, path: string): boolean => {
    if (!path.startsWith(`${PREFIX}/`)) return false;
    const url = new URL(req.url ?? '/', 'http://router');
    const method = req.method ?? 'GET';
    const route = `${method} ${path}`;
    const run =
      route === `GET ${PREFIX}/login`
        ? () => login(res, url.searchParams)
        : route === `GET ${PREFIX}/callback`
          ? () => callback(req, res, url)
          : route === `POST ${PREFIX}/token`
            ? () => exchange(req, res)
            : route === `OPTIONS ${PREFIX}/token`
              ? () => preflight(req, res)
              : null;
    if (!run) return false;
    void run().catch((error: unknown) => {
      if (error instanceof BodyError) return refuse(res, error.status, 'invalid_request', error.message);
      log.warn({ cause: error instanceof Error ? error.message : String(error) }, 'SSO: provider or store unavailable');
      if (!res.headersSent) refuse(res, 503, 'temporarily_unavailable', 'Single sign-on is unavailable; try again shortly');
    });
    return true;
  };
}
