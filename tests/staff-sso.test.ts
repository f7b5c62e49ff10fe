import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair } from 'jose';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Stack, startStack } from '../stack/src/stack.js';
import { dbRows } from './support/brand-matrix.js';
import { client, costPrefix, STOREFRONT_IDS } from './support/stack.js';

/**
 * Staff single sign-on, end to end: a real OpenID Connect provider (`oidc-provider`) on a port of its
 * own, the router's `/auth/oidc/*` and the customer subgraph's `staffSsoSignIn`. The provider's
 * login and consent are completed by a handler standing in for its pages (the account signing in
 * is `idp.next`); a "browser" follows the redirects with fetch and a cookie jar.
 */

const APP = 'http://app.localhost:5999';
const RETURN = `${APP}/sso/done?tab=1`;
const CLIENT = { id: 'dcrm-router', secret: randomBytes(16).toString('hex') };
const GROUP_MAP = { 'crm-marketing': 'Marketing', 'crm-care': 'Customer care' };

type Account = { email: string; emailVerified: boolean; groups: string[] };
const accounts = new Map<string, Account>();
const idp = { next: '' };

let stack: Stack;
let routerServer: Server;
let idpServer: Server;
let router = '';
let issuer = '';
let provider: Provider;
const previousGroupMap = process.env.DCRM_SSO_GROUP_MAP;

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

/** The provider's interaction pages: log in `idp.next`, and consent to whatever the client asked. */
async function interact(req: Parameters<Provider['interactionDetails']>[0], res: Parameters<Provider['interactionDetails']>[1]) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login')
    return provider.interactionFinished(req, res, { login: { accountId: idp.next } }, { mergeWithLastSubmission: false });
  const accountId = details.session?.accountId as string;
  const grant = details.grantId
    ? ((await provider.Grant.find(details.grantId)) as InstanceType<Provider['Grant']>)
    : new provider.Grant({ accountId, clientId: details.params.client_id as string });
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  const grantId = await grant.save();
  return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

beforeAll(async () => {
  // The router's port is its callback URL, registered at the provider: listen first, serve once started.
  routerServer = createServer((req, res) => stack.router.handler(req, res));
  router = await listen(routerServer);
  idpServer = createServer((req, res) => {
    if (req.url?.startsWith('/interaction/')) void interact(req, res).catch(() => res.writeHead(500).end());
    else provider.callback()(req, res);
  });
  issuer = await listen(idpServer);
  provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        redirect_uris: [`${router}/auth/oidc/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], groups: ['groups'] },
    findAccount: (_ctx: KoaContextWithOIDC, id: string) => {
      const account = accounts.get(id);
      return account
        ? {
            accountId: id,
            claims: () => ({ sub: id, email: account.email, email_verified: account.emailVerified, groups: account.groups }),
          }
        : undefined;
    },
    features: { devInteractions: { enabled: false } },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    jwks: {
      keys: [{ ...(await exportJWK((await generateKeyPair('RS256', { extractable: true })).privateKey)), alg: 'RS256', use: 'sig' }],
    },
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  });
  process.env.DCRM_SSO_GROUP_MAP = JSON.stringify(GROUP_MAP);
  // As startTestStack, with the provider's settings (OIDC_* in production).
  stack = await startStack({
    databaseUrl: inject('databaseUrl'),
    seed: false,
    cost: { keyPrefix: costPrefix() },
    sso: {
      issuer,
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      callbackUrl: `${router}/auth/oidc/callback`,
      returnOrigins: [APP],
      scopes: 'openid email groups',
      redisUrl: null,
    },
  });
});

afterAll(async () => {
  await new Promise((resolve) => routerServer.close(resolve));
  await new Promise((resolve) => idpServer.close(resolve));
  await stack?.stop();
  if (previousGroupMap === undefined) delete process.env.DCRM_SSO_GROUP_MAP;
  else process.env.DCRM_SSO_GROUP_MAP = previousGroupMap;
});

/** A browser: a cookie jar (by name; the router and the provider use different names) and redirects followed by hand. */
function browser() {
  const jar = new Map<string, string>();
  const get = async (url: string) => {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...value] = pair.split('=');
      const gone = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (gone) jar.delete(name.trim());
      else jar.set(name.trim(), value.join('='));
    }
    return res;
  };
  /** Follows redirects from `url` until the answer is not one or leaves for the front end (`APP`). */
  const follow = async (url: string, stopAt: (location: string) => boolean = (l) => l.startsWith(APP)) => {
    let current = url;
    for (let hop = 0; hop < 12; hop += 1) {
      const res = await get(current);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { res, url: current };
      current = new URL(location, current).href;
      if (stopAt(current)) return { res, url: current };
    }
    throw new Error('too many redirects');
  };
  return { jar, get, follow };
}

const loginUrl = (params: Record<string, string> = {}) =>
  `${router}/auth/oidc/login?${new URLSearchParams({ redirect_uri: RETURN, ...params })}`;

/** The whole sign-in as `accountId`: where the browser is sent back to. */
async function signInAs(accountId: string, params: Record<string, string> = {}) {
  idp.next = accountId;
  const back = await browser().follow(loginUrl(params));
  return new URL(back.url);
}

const exchange = (code: string, extra: Record<string, string> = {}, origin = APP) =>
  fetch(`${router}/auth/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ code, ...extra }),
  });

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

/** A staff member of Volt of this test's own, holding the named access groups. */
async function addStaff(options: { active?: boolean; groups: string[] }) {
  const email = `sso-${unique()}@volt.example`;
  const [row] = (await dbRows(
    stack,
    'customer',
    `insert into "customer"."staff" (id, storefront_id, storefronts, email, name, password_hash, password_changed_at, segments, active, created_at)
     values (gen_random_uuid(), ?, ?, ?, 'SSO Tester', 'no-password', now(), '{consumer}', ?, now()) returning id`,
    [STOREFRONT_IDS.volt, `{${STOREFRONT_IDS.volt}}`, email, options.active ?? true],
  )) as { id: string }[];
  for (const group of options.groups)
    await dbRows(
      stack,
      'customer',
      `insert into "customer"."staff_access_group" (staff_id, access_group_id) select ?, id from "customer"."access_group" where name = ?`,
      [row.id, group],
    );
  return { id: row.id, email };
}

const links = async (subject: string) =>
  (await dbRows(stack, 'customer', 'select staff_id from "customer"."staff_identity" where subject = ?', [subject])) as {
    staff_id: string;
  }[];

describe('staff single sign-on', () => {
  it('signs a staff member in through the provider: a one-time code, then tokens that work, groups mapped', async () => {
    const member = await addStaff({ groups: ['Customer care', 'Catalog managers'] });
    const subject = `alice-${unique()}`;
    accounts.set(subject, { email: member.email.toUpperCase(), emailVerified: true, groups: ['crm-marketing', 'not-mapped'] });

    const back = await signInAs(subject);
    expect(back.origin + back.pathname).toBe(`${APP}/sso/done`);
    expect(back.searchParams.get('tab')).toBe('1');
    const code = back.searchParams.get('sso_code') as string;
    expect(code).toMatch(/^sso_/);
    expect(back.href).not.toMatch(/eyJ/); // no token in any URL

    const res = await exchange(code);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    const tokens = (await res.json()) as { accessToken: string; refreshToken: string };
    expect(tokens.refreshToken).toMatch(/^rt_/);
    // Customer care followed the provider (not in its groups: removed); Catalog managers is not mapped: kept.
    const claims = decodeJwt(tokens.accessToken);
    expect(claims.sub).toBe(member.id);
    expect(String(claims.scope).split(' ')).toEqual(expect.arrayContaining(['promotion:write', 'catalog:write']));
    expect(String(claims.scope)).not.toContain('customer:read');

    const staff = client(stack.router.handler, undefined, { authorization: `Bearer ${tokens.accessToken}` });
    const me = await staff('{ staffMe { email accessGroups { name } } }');
    const staffMe = me.body.data?.staffMe as { email: string; accessGroups: { name: string }[] };
    expect(staffMe.email).toBe(member.email);
    expect(staffMe.accessGroups.map((g) => g.name).sort()).toEqual(['Catalog managers', 'Marketing']);
    expect(await links(subject)).toEqual([{ staff_id: member.id }]);

    // The code works once.
    expect((await exchange(code)).status).toBe(400);

    // Next time the link finds the member, whatever the email at the provider has become; groups follow the provider.
    accounts.set(subject, { email: 'renamed@elsewhere.example', emailVerified: true, groups: ['crm-care'] });
    const again = await signInAs(subject);
    const second = (await (await exchange(again.searchParams.get('sso_code') as string)).json()) as { accessToken: string };
    expect(decodeJwt(second.accessToken).sub).toBe(member.id);
    expect(String(decodeJwt(second.accessToken).scope).split(' ')).toEqual(expect.arrayContaining(['customer:read', 'catalog:write']));
    expect(String(decodeJwt(second.accessToken).scope)).not.toContain('promotion:write');
  });

  it('refuses an email no staff member has, an unverified email and a disabled member, creating nothing', async () => {
    const stranger = `stranger-${unique()}`;
    accounts.set(stranger, { email: `nobody-${unique()}@volt.example`, emailVerified: true, groups: ['crm-marketing'] });
    expect((await signInAs(stranger)).searchParams.get('sso_error')).toBe('UNKNOWN_STAFF');
    expect(await links(stranger)).toEqual([]);

    const member = await addStaff({ groups: ['Customer care'] });
    const unverified = `unverified-${unique()}`;
    accounts.set(unverified, { email: member.email, emailVerified: false, groups: [] });
    const refused = await signInAs(unverified);
    expect(refused.searchParams.get('sso_error')).toBe('UNKNOWN_STAFF');
    expect(refused.searchParams.has('sso_code')).toBe(false);
    expect(await links(unverified)).toEqual([]);

    const disabled = await addStaff({ active: false, groups: ['Customer care'] });
    const former = `former-${unique()}`;
    accounts.set(former, { email: disabled.email, emailVerified: true, groups: ['crm-marketing'] });
    expect((await signInAs(former)).searchParams.get('sso_error')).toBe('ACCOUNT_INACTIVE');
    expect(await links(former)).toEqual([]);
    const groups = await dbRows(stack, 'customer', 'select access_group_id from "customer"."staff_access_group" where staff_id = ?', [
      disabled.id,
    ]);
    expect(groups).toHaveLength(1);
    const sessions = await dbRows(stack, 'customer', 'select 1 from "customer"."refresh_token" where subject_id = ?', [disabled.id]);
    expect(sessions).toEqual([]);
  });

  it('refuses a callback whose state is not this browser’s, a replayed one, and a code exchanged with another sign-in’s PKCE verifier', async () => {
    const member = await addStaff({ groups: [] });
    const subject = `bob-${unique()}`;
    accounts.set(subject, { email: member.email, emailVerified: true, groups: [] });
    idp.next = subject;

    // Browser A reaches the callback with its code; it has not called it yet.
    const a = browser();
    const atCallback = await a.follow(loginUrl(), (l) => l.startsWith(`${router}/auth/oidc/callback`));
    const callback = new URL(atCallback.url);
    expect(callback.searchParams.get('code')).toBeTruthy();

    // Another browser (no state cookie, or its own) cannot finish A's sign-in.
    expect((await fetch(callback, { redirect: 'manual' })).status).toBe(400);
    const b = browser();
    await b.get(loginUrl());
    const bState = b.jar.get('dcrm_oidc_state') as string;
    const stolen = await b.get(callback.href);
    expect(stolen.status).toBe(400);
    expect(await stolen.json()).toMatchObject({ error: 'invalid_state' });

    // A's code with B's state: B's verifier does not match A's challenge, so the provider refuses the code.
    const swapped = new URL(callback);
    swapped.searchParams.set('state', bState);
    const mismatch = await b.get(swapped.href);
    expect(mismatch.status).toBe(302);
    expect(new URL(mismatch.headers.get('location') as string).searchParams.get('sso_error')).toBe('SIGN_IN_FAILED');
    expect(await links(subject)).toEqual([]);

    // A, the browser that started it, still finishes its own sign-in, once.
    const own = await a.get(callback.href);
    expect(new URL(own.headers.get('location') as string).searchParams.get('sso_code')).toMatch(/^sso_/);
    expect(await links(subject)).toEqual([{ staff_id: member.id }]);
    // Its state was used: a replay is refused even with the cookie.
    a.jar.set('dcrm_oidc_state', callback.searchParams.get('state') as string);
    const replay = await a.get(callback.href);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_state' });
  });

  it('sends the browser back only to allowed origins, and checks the front end’s own PKCE and origin at the exchange', async () => {
    const refused = await fetch(`${router}/auth/oidc/login?${new URLSearchParams({ redirect_uri: 'https://evil.example/cb' })}`, {
      redirect: 'manual',
    });
    expect(refused.status).toBe(400);
    // A storefront's allowed origins are allowed for that storefront (the demo brands allow the storefront example's).
    const storefront = await fetch(
      `${router}/auth/oidc/login?${new URLSearchParams({ redirect_uri: 'http://localhost:5173/sso', storefront: STOREFRONT_IDS.volt })}`,
      { redirect: 'manual' },
    );
    expect(storefront.status).toBe(302);
    expect(new URL(storefront.headers.get('location') as string).origin).toBe(issuer);

    const member = await addStaff({ groups: [] });
    const subject = `carol-${unique()}`;
    accounts.set(subject, { email: member.email, emailVerified: true, groups: [] });
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const code = (await signInAs(subject, { code_challenge: challenge })).searchParams.get('sso_code') as string;
    expect((await exchange(code, { code_verifier: 'wrong' })).status).toBe(400);
    // Refused once, the code is gone.
    expect((await exchange(code, { code_verifier: verifier })).status).toBe(400);

    const next = (await signInAs(subject, { code_challenge: challenge })).searchParams.get('sso_code') as string;
    const elsewhere = await exchange(next, { code_verifier: verifier }, 'https://evil.example');
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();

    const last = (await signInAs(subject, { code_challenge: challenge })).searchParams.get('sso_code') as string;
    expect((await exchange(last, { code_verifier: verifier })).status).toBe(200);
  });
});
