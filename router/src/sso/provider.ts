import type * as Oidc from 'openid-client';
import type { SsoSettings } from './settings.js';

/** Who the provider says signed in, from the verified ID token (and userinfo for what the token leaves out). */
export type SsoIdentity = { issuer: string; subject: string; email: string | null; emailVerified: boolean; groups: string[] };

/** What the router keeps between sending the browser to the provider and its return. */
export type PendingSignIn = { verifier: string; nonce: string };

export type OidcProvider = {
  /** The provider's authorization URL for a new sign-in, and what its callback must prove. */
  begin(state: string): Promise<{ url: URL; pending: PendingSignIn }>;
  /** Exchanges the code (PKCE verifier, state and nonce checked) and reads the identity; throws when anything does not check out. */
  finish(callback: URL, state: string, pending: PendingSignIn): Promise<SsoIdentity>;
};

const MAX_GROUPS = 250;

// A provider on this machine (development, tests) may speak plain HTTP; any other must use HTTPS.
const loopback = (issuer: string) => ['localhost', '127.0.0.1', '[::1]'].includes(new URL(issuer).hostname);

const stringList = (value: unknown): string[] | null =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').slice(0, MAX_GROUPS) : null;

/** openid-client (v6) over the settings; the provider's metadata is discovered at the first sign-in and kept (retried after a failure). */
export function oidcProvider(settings: SsoSettings): OidcProvider {
  // Loaded at the first sign-in: a router without SSO (or before anyone signs in) does not carry it.
  let library: Promise<typeof Oidc> | null = null;
  const load = () => {
    library ??= import('openid-client');
    return library;
  };
  let discovered: Promise<Oidc.Configuration> | null = null;
  const configuration = () => {
    discovered ??= load()
      .then((oidc) =>
        oidc.discovery(
          new URL(settings.issuer),
          settings.clientId,
          undefined,
          settings.clientSecret ? oidc.ClientSecretPost(settings.clientSecret) : oidc.None(),
          loopback(settings.issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined,
        ),
      )
      .catch((error: unknown) => {
        discovered = null;
        throw error;
      });
    return discovered;
  };

  return {
    async begin(state) {
      const [oidc, config] = await Promise.all([load(), configuration()]);
      const pending = { verifier: oidc.randomPKCECodeVerifier(), nonce: oidc.randomNonce() };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: settings.callbackUrl,
        scope: settings.scopes,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state,
        nonce: pending.nonce,
      });
      return { url, pending };
    },
    async finish(callback, state, pending) {
      const [oidc, config] = await Promise.all([load(), configuration()]);
      // The callback as the provider sent it: the registered URL (the redirect_uri of the code) with the returned parameters.
      const current = new URL(settings.callbackUrl);
      current.search = callback.search;
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.verifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('the provider sent no ID token');
      let details: Record<string, unknown> = claims;
      // Many providers put email and groups only in userinfo for the code flow.
      if (claims.email === undefined || claims[settings.groupsClaim] === undefined)
        details = { ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)), ...claims };
      return {
        issuer: claims.iss,
        subject: claims.sub,
        email: typeof details.email === 'string' ? details.email : null,
        emailVerified: details.email_verified === true,
        groups: stringList(details[settings.groupsClaim]) ?? [],
      };
    },
  };
}
