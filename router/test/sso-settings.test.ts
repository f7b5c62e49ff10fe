import { StartupError } from '@dcrm/kit';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { routes } from '../src/endpoints.js';
import { ssoSettings } from '../src/sso/settings.js';

describe('staff single sign-on settings', () => {
  it('is off without an issuer, and then /auth/oidc/* is 404', async () => {
    expect(ssoSettings({})).toBeNull();
    const handler = routes({
      graphql: async () => {},
      preflight: async () => {},
      readiness: async () => ({ ready: true }),
      metrics: (_req, res) => res.end(),
    });
    expect((await request(handler).get('/auth/oidc/login?redirect_uri=https://app.example/')).status).toBe(404);
    expect((await request(handler).get('/auth/oidc/callback?code=x&state=y')).status).toBe(404);
  });

  it('reads OIDC_* and refuses an incomplete or malformed configuration', () => {
    const env = {
      OIDC_ISSUER: 'https://login.example.com/realms/staff',
      OIDC_CLIENT_ID: 'dcrm',
      OIDC_CLIENT_SECRET: 's3cret',
      OIDC_CALLBACK_URL: 'https://api.example.com/auth/oidc/callback',
      OIDC_RETURN_ORIGINS: 'https://Admin.Example.com/, https://agents.example.com',
    };
    expect(ssoSettings(env)).toMatchObject({
      issuer: 'https://login.example.com/realms/staff',
      clientId: 'dcrm',
      clientSecret: 's3cret',
      returnOrigins: ['https://admin.example.com', 'https://agents.example.com'],
      scopes: 'openid email profile groups',
      groupsClaim: 'groups',
      redisUrl: null,
    });
    expect(() => ssoSettings({ ...env, OIDC_CLIENT_ID: '' })).toThrow(StartupError);
    expect(() => ssoSettings({ ...env, OIDC_CALLBACK_URL: undefined })).toThrow(StartupError);
    expect(() => ssoSettings({ ...env, OIDC_ISSUER: 'ftp://idp' })).toThrow(StartupError);
    expect(() => ssoSettings({ ...env, OIDC_RETURN_ORIGINS: 'https://admin.example.com/path' })).toThrow(StartupError);
  });
});
