import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Principal, signAccessToken, tokenVerifier } from './index.js';

const alice: Principal = { kind: 'customer', id: 'c-1', storefrontId: 'sf-1', partnerId: null, roles: ['segment:consumer'], scopes: [] };

describe('HS256 access tokens (the default)', () => {
  const env = { DCRM_JWT_SECRET: 's'.repeat(40) } as NodeJS.ProcessEnv;
  const secret = new TextEncoder().encode(env.DCRM_JWT_SECRET);

  it('round-trips the principal and the session id', async () => {
    const { token } = await signAccessToken(alice, secret, 'session-1');
    expect(await tokenVerifier(env)(token)).toMatchObject({ principal: alice, sessionId: 'session-1' });
  });

  it('refuses another secret, an expired token and an unexpected algorithm', async () => {
    const other = await signAccessToken(alice, new TextEncoder().encode('o'.repeat(40)), 's');
    expect(await tokenVerifier(env)(other.token)).toBeNull();
    const old = await signAccessToken(alice, secret, 's', Date.now() - 3_600_000);
    expect(await tokenVerifier(env)(old.token)).toBeNull();
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${old.token.split('.')[1]}.`;
    expect(await tokenVerifier(env)(none)).toBeNull();
  });

  it('keeps a verified token until it expires, not a moment longer', async () => {
    const verify = tokenVerifier(env);
    // Signed 15 minutes ago less a second and a half: it expires within about two seconds.
    const { token, expiresAt } = await signAccessToken(alice, secret, 's', Date.now() - 15 * 60_000 + 1_500);
    expect((await verify(token))?.principal).toEqual(alice);
    expect((await verify(token))?.principal).toEqual(alice);
    await new Promise((resolve) => setTimeout(resolve, expiresAt.getTime() - Date.now() + 20));
    expect(await verify(token)).toBeNull();
  });

  it('verifies an altered token anew while the original is kept', async () => {
    const verify = tokenVerifier(env);
    const { token } = await signAccessToken(alice, secret, 's');
    expect(await verify(token)).not.toBeNull();
    const [header, payload, signature] = token.split('.');
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === 'A' ? 'B' : 'A'}${signature.at(-1)}`;
    expect(await verify(`${header}.${payload}.${flipped}`)).toBeNull();
    const staff = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), kind: 'staff' })).toString(
      'base64url',
    );
    expect(await verify(`${header}.${staff}.${signature}`)).toBeNull();
    expect((await verify(token))?.principal).toEqual(alice);
  });

  it('answers what no caller can change for the next one', async () => {
    const verify = tokenVerifier(env);
    const { token } = await signAccessToken(alice, secret, 's');
    const first = await verify(token);
    if (!first) throw new Error('the token did not verify');
    expect(() => (first.principal.roles as string[]).push('segment:*')).toThrow(TypeError);
    expect(() => Object.assign(first.principal, { kind: 'staff' })).toThrow(TypeError);
    expect((await verify(token))?.principal).toEqual(alice);
  });
});

describe('an external identity provider (JWKS)', () => {
  let server: Server;
  let url: string;
  let sign: (claims: Record<string, unknown>, issuer?: string) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    sign = (claims, issuer = 'https://idp.example.com') =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject('staff-7')
        .setIssuer(issuer)
        .setAudience('dcrm-api')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("maps the provider's token to a principal, checking issuer and audience", async () => {
    const env = { DCRM_JWKS_URL: url, DCRM_JWT_ISSUER: 'https://idp.example.com' } as NodeJS.ProcessEnv;
    const verify = tokenVerifier(env);
    const token = await sign({ kind: 'staff', sf: 'sf-1', roles: ['segment:smb'], scope: 'customer:read order:write' });
    expect((await verify(token))?.principal).toEqual({
      kind: 'staff',
      id: 'staff-7',
      storefrontId: 'sf-1',
      partnerId: null,
      roles: ['segment:smb'],
      scopes: ['customer:read', 'order:write'],
    });
    expect(await verify(await sign({ kind: 'staff' }, 'https://evil.example.com'))).toBeNull();
    // A kind the API does not know (or a service claiming to be one) is refused.
    expect(await verify(await sign({ kind: 'service', scope: '*' }))).toBeNull();
  });
});
