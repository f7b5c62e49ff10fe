import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import {
  client,
  codes,
  customerId,
  DEMO_PASSWORD,
  KEYS,
  type Response,
  registerCustomer,
  signIn,
  startTestStack,
  testIp,
} from './support/stack.js';

let stack: Stack;
beforeAll(async () => {
  // Sign-in protection with short waits and a low address ceiling, so its tests need not sleep long.
  Object.assign(process.env, { DCRM_LOGIN_DELAY_SECONDS: '1', DCRM_LOGIN_ADDRESS_FAILURES_PER_DAY: '10' });
  stack = await startTestStack();
});
afterAll(() => stack.stop());

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
const REGISTER = `mutation ($input: CustomerRegisterInput!) { customerRegister(input: $input) {
  accessToken refreshToken customer { id email segment } userErrors { field code message } } }`;
const LOGIN = `mutation ($input: LoginInput!) { customerLogin(input: $input) { accessToken refreshToken userErrors { code } } }`;
const RENEW = `mutation ($t: String!) { customerAccessTokenRenew(input: { refreshToken: $t }) { accessToken refreshToken userErrors { code } } }`;
const countByEmail = async (email: string) => {
  const em = stack.subgraphs.find((s) => s.definition.name === 'customer')?.orm.em.fork();
  const [row] = await (em as NonNullable<typeof em>)
    .getConnection()
    .execute('select count(*)::int as n from "customer"."customer" where email = ?', [email]);
  return row.n as number;
};

describe('registration', () => {
  const shopper = () => client(stack.router.handler, KEYS.volt, { 'x-forwarded-for': testIp() });

  it('registers, signs in at once, and never returns the password', async () => {
    const email = `new-${unique()}@example.com`;
    const res = await shopper()(REGISTER, {
      input: { name: 'New Person', email, mobile: `+3538${Date.now() % 100000000}`.slice(0, 13), password: 'correct-horse-42' },
    });
    expect(res.body.data?.customerRegister).toMatchObject({ userErrors: [], customer: { email, segment: 'consumer' } });
    expect(JSON.stringify(res.body)).not.toMatch(/correct-horse|scrypt\$/);
    const me = await client(stack.router.handler, KEYS.volt, { authorization: `Bearer ${res.body.data?.customerRegister.accessToken}` })(
      '{ me { email } }',
    );
    expect(me.body.data?.me).toEqual({ email });
  });

  it('rejects malformed email and mobile and a weak password, all at once, writing nothing', async () => {
    const email = `not-an-email-${unique()}`;
    const res = await shopper()(REGISTER, { input: { name: 'X', email, mobile: '0871234', password: 'short' } });
    const errors = res.body.data?.customerRegister.userErrors as { field: string[]; code: string }[];
    expect(errors.map((e) => [e.field.join('.'), e.code])).toEqual([
      ['input.email', 'INVALID'],
      ['input.mobile', 'INVALID'],
      ['input.password', 'WEAK_PASSWORD'],
    ]);
    expect(res.body.data?.customerRegister.accessToken).toBeNull();
    expect(await countByEmail(email)).toBe(0);
  });

  it('refuses a duplicate email or mobile in the same storefront, but allows the email in another brand', async () => {
    const dup = await shopper()(REGISTER, { input: { name: 'Copy', email: 'AOIFE@example.com', password: 'another-pass-99' } });
    expect(dup.body.data?.customerRegister.userErrors).toMatchObject([{ code: 'TAKEN', field: ['input', 'email'] }]);
    const mobile = await shopper()(REGISTER, {
      input: { name: 'Copy', email: `m-${unique()}@example.com`, mobile: '+353871000001', password: 'another-pass-99' },
    });
    expect(mobile.body.data?.customerRegister.userErrors).toMatchObject([{ code: 'TAKEN', field: ['input', 'mobile'] }]);
    expect(await countByEmail('aoife@example.com')).toBe(2); // one per brand, as seeded
  });

  it('needs a storefront key', async () => {
    const res = await client(stack.router.handler)(REGISTER, {
      input: { name: 'No Brand', email: `nb-${unique()}@example.com`, password: 'another-pass-99' },
    });
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('sign-in protection', () => {
  // Small limits (set before the stack starts, above): 3 free failures, then 1 s doubling; an address ceiling of 10.
  const as = (ip: string, key: string | undefined = KEYS.volt) => client(stack.router.handler, key, { 'x-forwarded-for': ip });
  const login = (ip: string, email: string, password: string) => as(ip)(LOGIN, { input: { email, password } });
  const retryAfter = (r: Response) => (r.body.errors?.[0]?.extensions as { retryAfter?: number } | undefined)?.retryAfter ?? 0;
  const outcome = (r: Response) =>
    r.body.data?.customerLogin?.accessToken ? 'SIGNED_IN' : (codes(r)[0] ?? r.body.data?.customerLogin.userErrors[0]?.code);
  const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 150));
  const newCustomer = async () => {
    const email = `guarded-${unique()}@example.com`;
    await as(testIp())(REGISTER, { input: { name: 'G', email, password: 'right-password-1' } });
    return email;
  };

  it('a stranger failing on your email from another address never stops you', async () => {
    const email = await newCustomer();
    const attacker = testIp();
    const answers: string[] = [];
    for (let i = 0; i < 10; i++) answers.push(outcome(await login(attacker, email, `guess-${i}-password`)));
    expect(answers.slice(0, 3)).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS']);
    expect(answers.slice(3)).toContain('THROTTLED');
    expect(outcome(await login(testIp(), email, 'right-password-1'))).toBe('SIGNED_IN');
  });

  it('your own failures cost a wait that grows; the right password works once it passes, and success clears them', async () => {
    const email = await newCustomer();
    const home = testIp();
    for (let i = 0; i < 3; i++) expect(outcome(await login(home, email, 'typo-password-1'))).toBe('INVALID_CREDENTIALS');
    const first = await login(home, email, 'right-password-1');
    expect(codes(first)).toEqual(['THROTTLED']);
    await sleep(retryAfter(first));
    expect(outcome(await login(home, email, 'typo-password-2'))).toBe('INVALID_CREDENTIALS');
    const second = await login(home, email, 'right-password-1');
    expect(codes(second)).toEqual(['THROTTLED']);
    expect(retryAfter(second)).toBeGreaterThan(retryAfter(first));
    await sleep(retryAfter(second));
    expect(outcome(await login(home, email, 'right-password-1'))).toBe('SIGNED_IN');
    expect(outcome(await login(home, email, 'typo-password-3'))).toBe('INVALID_CREDENTIALS');
  });

  it('an address spraying many identities reaches its ceiling; an identity that has not failed from it still signs in', async () => {
    const clean = await newCustomer();
    const sprayed = await newCustomer();
    const sprayer = testIp();
    expect(outcome(await login(sprayer, sprayed, 'summer-2026-pass'))).toBe('INVALID_CREDENTIALS');
    for (let i = 0; i < 9; i++) {
      expect(outcome(await login(sprayer, `nobody-${i}-${unique()}@example.com`, 'summer-2026-pass'))).toBe('INVALID_CREDENTIALS');
    }
    // Over the ceiling: a new failing attempt is refused, and so is an identity that failed from here, right password or not.
    const fresh = await login(sprayer, `nobody-x-${unique()}@example.com`, 'summer-2026-pass');
    expect(codes(fresh)).toEqual(['THROTTLED']);
    expect(retryAfter(fresh)).toBeGreaterThan(0);
    expect(outcome(await login(sprayer, sprayed, 'right-password-1'))).toBe('THROTTLED');
    // Someone behind the same address who has not failed signs in; the sprayed owner does from elsewhere.
    expect(outcome(await login(sprayer, clean, 'right-password-1'))).toBe('SIGNED_IN');
    expect(outcome(await login(testIp(), sprayed, 'right-password-1'))).toBe('SIGNED_IN');
  });

  it('staff: password-change guesses share the sign-in budget, at that address only', async () => {
    const STAFF_LOGIN = 'mutation ($input: LoginInput!) { staffLogin(input: $input) { accessToken userErrors { code } } }';
    const CHANGE = 'mutation ($input: PasswordChangeInput!) { staffPasswordChange(input: $input) { ok userErrors { code } } }';
    const guesser = testIp();
    for (let i = 0; i < 3; i++) {
      const res = await as(guesser, undefined)(CHANGE, {
        input: { email: 'manager@volt.example', currentPassword: `guess-${i}-password`, newPassword: 'takeover-password-1' },
      });
      expect(res.body.data?.staffPasswordChange.userErrors).toEqual([{ code: 'INVALID_CREDENTIALS' }]);
    }
    const input = { email: 'manager@volt.example', password: DEMO_PASSWORD };
    expect(codes(await as(guesser, undefined)(STAFF_LOGIN, { input }))).toEqual(['THROTTLED']);
    expect((await as(testIp(), undefined)(STAFF_LOGIN, { input })).body.data?.staffLogin.accessToken).toEqual(expect.any(String));
  });
});

describe('sessions', () => {
  it('rotates refresh tokens; reusing one ends the whole session', async () => {
    const first = await signIn(stack.router.handler, 'customerLogin', 'conor@example.com', KEYS.volt);
    const gql = client(stack.router.handler, KEYS.volt);
    const renewed = (await gql(RENEW, { t: first.refreshToken })).body.data?.customerAccessTokenRenew;
    expect(renewed.userErrors).toEqual([]);
    expect(renewed.refreshToken).not.toBe(first.refreshToken);
    const reused = (await gql(RENEW, { t: first.refreshToken })).body.data?.customerAccessTokenRenew;
    expect(reused).toMatchObject({ accessToken: null, userErrors: [{ code: 'INVALID_TOKEN' }] });
    // The thief's replay revoked the family: the legitimate newer token is dead too, and so are its access tokens.
    expect((await gql(RENEW, { t: renewed.refreshToken })).body.data?.customerAccessTokenRenew.userErrors).toEqual([
      { code: 'INVALID_TOKEN' },
    ]);
    const me = await client(stack.router.handler, KEYS.volt, { authorization: `Bearer ${renewed.accessToken}` })('{ me { id } }');
    expect(me.status).toBe(401);
  });

  it('a refresh token renews only on its own storefront; presented elsewhere it is refused and stays usable', async () => {
    const session = await signIn(stack.router.handler, 'customerLogin', 'conor@example.com', KEYS.volt);
    const elsewhere = await client(stack.router.handler, KEYS.nimbus)(RENEW, { t: session.refreshToken });
    expect(elsewhere.body.data?.customerAccessTokenRenew).toMatchObject({ accessToken: null, userErrors: [{ code: 'INVALID_TOKEN' }] });
    const keyless = await client(stack.router.handler)(RENEW, { t: session.refreshToken });
    expect(keyless.body.data?.customerAccessTokenRenew.userErrors).toEqual([{ code: 'INVALID_TOKEN' }]);
    const home = (await client(stack.router.handler, KEYS.volt)(RENEW, { t: session.refreshToken })).body.data?.customerAccessTokenRenew;
    expect(home).toMatchObject({ accessToken: expect.any(String), userErrors: [] });

    const staff = await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example');
    const staffElsewhere = await client(stack.router.handler, KEYS.nimbus)(RENEW, { t: staff.refreshToken });
    expect(staffElsewhere.body.data?.customerAccessTokenRenew.userErrors).toEqual([{ code: 'INVALID_TOKEN' }]);
    const staffHome = await client(stack.router.handler, KEYS.volt)(RENEW, { t: staff.refreshToken });
    expect(staffHome.body.data?.customerAccessTokenRenew).toMatchObject({ accessToken: expect.any(String), userErrors: [] });
  });

  it('logout revokes the refresh token and the access token', async () => {
    const session = await signIn(stack.router.handler, 'customerLogin', 'conor@example.com', KEYS.volt);
    expect((await session.gql('{ me { id } }')).body.data?.me).toEqual({ id: customerId('conor') });
    const out = await session.gql('mutation ($t: String!) { customerLogout(input: { refreshToken: $t }) { ok userErrors { code } } }', {
      t: session.refreshToken,
    });
    expect(out.body.data?.customerLogout).toEqual({ ok: true, userErrors: [] });
    expect((await session.gql('{ me { id } }')).status).toBe(401);
    expect(
      (await client(stack.router.handler, KEYS.volt)(RENEW, { t: session.refreshToken })).body.data?.customerAccessTokenRenew.userErrors,
    ).toEqual([{ code: 'INVALID_TOKEN' }]);
  });

  it('staff passwords expire; a new password lets them in', async () => {
    const gql = client(stack.router.handler, undefined, { 'x-forwarded-for': testIp() });
    const login = 'mutation ($input: LoginInput!) { staffLogin(input: $input) { accessToken userErrors { code } } }';
    const expired = await gql(login, { input: { email: 'expired@volt.example', password: DEMO_PASSWORD } });
    expect(expired.body.data?.staffLogin).toEqual({ accessToken: null, userErrors: [{ code: 'PASSWORD_EXPIRED' }] });
    const change = 'mutation ($input: PasswordChangeInput!) { staffPasswordChange(input: $input) { ok userErrors { code } } }';
    const weak = await gql(change, { input: { email: 'expired@volt.example', currentPassword: DEMO_PASSWORD, newPassword: 'short' } });
    expect(weak.body.data?.staffPasswordChange.userErrors).toEqual([{ code: 'WEAK_PASSWORD' }]);
    const changed = await gql(change, {
      input: { email: 'expired@volt.example', currentPassword: DEMO_PASSWORD, newPassword: 'fresh-password-2026' },
    });
    expect(changed.body.data?.staffPasswordChange).toEqual({ ok: true, userErrors: [] });
    const ok = await gql(login, { input: { email: 'expired@volt.example', password: 'fresh-password-2026' } });
    expect(ok.body.data?.staffLogin.accessToken).toEqual(expect.any(String));
  });
});

describe('API keys', () => {
  const CREATE = `mutation ($input: ApiKeyCreateInput!) { apiKeyCreate(input: $input) { secret apiKey { id prefix scopes kind } userErrors { code field } } }`;

  it('staff create a scoped private key, see only its prefix afterwards, rotate and revoke it — effective at once', async () => {
    const manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
    const created = (await manager(CREATE, { input: { kind: 'PRIVATE', name: 'Test bot', scopes: ['customer:lookup'] } })).body.data
      ?.apiKeyCreate;
    expect(created.secret).toMatch(/^dcrm_sk_/);
    expect(created.apiKey.prefix).toBe(created.secret.slice(0, 16));
    const listed = await manager('{ apiKeys { nodes { id prefix } } }');
    expect(JSON.stringify(listed.body)).not.toContain(created.secret);
    const lookup = '{ customerByIdentity(mobile: "+353871000002") { id } }';
    expect((await client(stack.router.handler, created.secret)(lookup)).body.data?.customerByIdentity).toEqual({ id: customerId('conor') });

    const rotated = (
      await manager('mutation ($id: ID!) { apiKeyRotate(input: { id: $id }) { secret apiKey { id } userErrors { code } } }', {
        id: created.apiKey.id,
      })
    ).body.data?.apiKeyRotate;
    expect(rotated.secret).not.toBe(created.secret);
    expect((await client(stack.router.handler, created.secret)(lookup)).status).toBe(401);
    expect((await client(stack.router.handler, rotated.secret)(lookup)).body.data?.customerByIdentity).toEqual({ id: customerId('conor') });

    const revoked = await manager('mutation ($id: ID!) { apiKeyRevoke(input: { id: $id }) { apiKey { revokedAt } userErrors { code } } }', {
      id: rotated.apiKey.id,
    });
    expect(revoked.body.data?.apiKeyRevoke.apiKey.revokedAt).toEqual(expect.any(String));
    const after = await client(stack.router.handler, rotated.secret)(lookup);
    expect(after.status).toBe(401);
    expect(codes(after)).toEqual(['UNAUTHENTICATED']);
  });

  it('validates scopes; partners manage only their own private keys; agents without the scope cannot', async () => {
    const manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
    const bad = (await manager(CREATE, { input: { kind: 'PUBLIC', name: 'Web', scopes: ['customer:lookup'] } })).body.data?.apiKeyCreate;
    expect(bad).toMatchObject({ secret: null, userErrors: [{ code: 'INVALID', field: ['input', 'scopes'] }] });
    const partner = (await signIn(stack.router.handler, 'partnerLogin', 'ops@skyline.example')).gql;
    const mine = (await partner(CREATE, { input: { kind: 'PRIVATE', name: 'Skyline sync', scopes: ['customer:read'] } })).body.data
      ?.apiKeyCreate;
    expect(mine.userErrors).toEqual([]);
    const tooMuch = (await partner(CREATE, { input: { kind: 'PRIVATE', name: 'Sneaky', scopes: ['customer:lookup'] } })).body.data
      ?.apiKeyCreate;
    expect(tooMuch.userErrors).toMatchObject([{ code: 'INVALID' }]);
    const keys = (await partner('{ apiKeys { nodes { id name } } }')).body.data?.apiKeys.nodes as { name: string }[];
    expect(keys.map((k) => k.name)).toEqual(['Skyline sync']);
    const staffKey = (await manager('{ apiKeys { nodes { id name } } }')).body.data?.apiKeys.nodes.find(
      (k: { name: string }) => k.name === 'Volt support chatbot',
    );
    const steal = await partner('mutation ($id: ID!) { apiKeyRevoke(input: { id: $id }) { userErrors { code } } }', { id: staffKey.id });
    expect(steal.body.data?.apiKeyRevoke.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    const agent = (await signIn(stack.router.handler, 'staffLogin', 'agent.consumer@volt.example')).gql;
    expect(codes(await agent('{ apiKeys { nodes { id } } }'))).toEqual(['FORBIDDEN']);
  });
});

describe('the 360° view', () => {
  it('one query, fields from customer and catalog', async () => {
    const agent = (await signIn(stack.router.handler, 'staffLogin', 'agent.business@volt.example')).gql;
    const res = await agent(`{ customer(id: "${customerId('acme-telecom-buyers')}") {
      name type segment lifecycleStage storefront { name } negotiatedPriceList { name scope }
      contacts { name primary } addresses { city default } children { nodes { name } } descendantCount
      interactions(first: 5) { nodes { channel notes } } npsResponses { nodes { score } } consents { channel granted } } }`);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.customer).toMatchObject({
      name: 'Acme Telecom Buyers',
      storefront: { name: 'Volt Mobile' },
      negotiatedPriceList: { scope: 'ACCOUNT' },
      descendantCount: 3,
      contacts: [{ name: 'Dana Acme', primary: true }, { primary: false }],
    });
    expect(res.body.data?.customer.interactions.nodes.length).toBeGreaterThan(0);
  });
});

describe('account self-service', () => {
  it('updates with optimistic locking, consents, preferences, inbox and NPS', async () => {
    // Renaming happens on an account of its own: demo names appear in other files' offers and messages.
    const renamed = await registerCustomer(stack.router.handler, KEYS.volt, { name: 'Rena Name', prefix: 'rename' });
    const { version } = (await renamed.gql('{ me { version } }')).body.data!.me;
    const update =
      'mutation ($input: CustomerUpdateInput!) { customerUpdate(input: $input) { customer { name version } userErrors { code field } } }';
    const stale = await renamed.gql(update, { input: { version: version - 1, name: 'Rena B.' } });
    expect(stale.body.data?.customerUpdate.userErrors).toEqual([{ code: 'CONFLICT', field: ['input', 'version'] }]);
    const done = await renamed.gql(update, { input: { version, name: 'Rena M. Name' } });
    expect(done.body.data?.customerUpdate.customer).toEqual({ name: 'Rena M. Name', version: version + 1 });
    const privileged = await renamed.gql(update, { input: { version: version + 1, status: 'CLOSED' } });
    expect(privileged.body.data?.customerUpdate.userErrors).toEqual([{ code: 'FORBIDDEN', field: ['input'] }]);

    const { gql } = await signIn(stack.router.handler, 'customerLogin', 'aoife@example.com', KEYS.volt);

    const consent = await gql(
      'mutation { customerConsentSet(input: { channel: SMS, granted: true }) { customer { consents { channel granted } } } }',
    );
    expect(consent.body.data?.customerConsentSet.customer.consents).toEqual(expect.arrayContaining([{ channel: 'SMS', granted: true }]));
    const prefs = await gql(
      'mutation { notificationPreferenceSet(input: { type: "OUTAGES", channels: [SMS, EMAIL] }) { customer { notificationPreferences { type channels } } } }',
    );
    expect(prefs.body.data?.notificationPreferenceSet.customer.notificationPreferences).toEqual(
      expect.arrayContaining([{ type: 'OUTAGES', channels: ['SMS', 'EMAIL'] }]),
    );

    const inbox = (await gql('{ me { siteMessages(unreadOnly: true) { nodes { id } } } }')).body.data?.me.siteMessages.nodes as {
      id: string;
    }[];
    const read = await gql(
      'mutation ($ids: [ID!]!) { siteMessagesMarkRead(input: { ids: $ids }) { customer { siteMessages { unreadCount } } userErrors { code } } }',
      {
        ids: [inbox[0].id],
      },
    );
    // A reminder from another test file may arrive meanwhile; the one marked is read either way.
    expect(read.body.data?.siteMessagesMarkRead.userErrors).toEqual([]);
    const still = (await gql('{ me { siteMessages(unreadOnly: true) { nodes { id } } } }')).body.data?.me.siteMessages.nodes as {
      id: string;
    }[];
    expect(still.map((m) => m.id)).not.toContain(inbox[0].id);

    const nps = 'mutation ($input: NpsRespondInput!) { npsRespond(input: $input) { response { score } userErrors { code field } } }';
    expect((await gql(nps, { input: { score: 11, channel: 'WEB' } })).body.data?.npsRespond.userErrors).toEqual([
      { code: 'INVALID', field: ['input', 'score'] },
    ]);
    expect(
      (await gql(nps, { input: { score: 9, channel: 'WEB', contextType: 'ORDER', contextId: 'o-1' } })).body.data?.npsRespond.response,
    ).toEqual({ score: 9 });
  });

  it("NPS score per storefront and segment, within the staff member's segments", async () => {
    const manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
    const all = (await manager('{ npsScore { score responses promoters passives detractors } }')).body.data?.npsScore;
    expect(all.responses).toBe(all.promoters + all.passives + all.detractors);
    expect(all.score).toBeGreaterThanOrEqual(-100);
    const agent = (await signIn(stack.router.handler, 'staffLogin', 'agent.consumer@volt.example')).gql;
    expect((await agent('{ npsScore(segment: "smb") { responses } }')).body.data?.npsScore.responses).toBe(0);
  });
});

describe('staff changes need scopes', () => {
  it('an agent with customer:write edits an account of their segment; interactions need interaction:write', async () => {
    const agent = (await signIn(stack.router.handler, 'staffLogin', 'agent.business@volt.example')).gql;
    const id = customerId('globex');
    const { version } = (await agent(`{ customer(id: "${id}") { version } }`)).body.data!.customer;
    const res = await agent(
      'mutation ($input: CustomerUpdateInput!) { customerUpdate(input: $input) { customer { lifecycleStage } userErrors { code } } }',
      {
        input: { id, version, lifecycleStage: 'AT_RISK' },
      },
    );
    expect(res.body.data?.customerUpdate).toEqual({ customer: { lifecycleStage: 'AT_RISK' }, userErrors: [] });
    const logged = await agent(
      'mutation ($input: InteractionLogInput!) { interactionLog(input: $input) { interaction { channel staff { name } } userErrors { code } } }',
      {
        input: { customerId: id, channel: 'PHONE', direction: 'OUTBOUND', notes: 'Called about renewal' },
      },
    );
    expect(logged.body.data?.interactionLog).toEqual({ interaction: { channel: 'PHONE', staff: { name: 'Ciara Nolan' } }, userErrors: [] });
    const other = await agent('mutation ($input: InteractionLogInput!) { interactionLog(input: $input) { userErrors { code } } }', {
      input: { customerId: customerId('aoife'), channel: 'PHONE', direction: 'OUTBOUND', notes: 'Not my segment' },
    });
    expect(other.body.data?.interactionLog.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
  });
});

describe('addresses, contacts, sub-accounts and surveys', () => {
  const ADD_ADDRESS = `mutation ($input: AddressAddInput!) { customerAddressAdd(input: $input) { customer { addresses { id type city default } } userErrors { code field } } }`;

  it('a customer manages their own addresses and contacts; bad input and other accounts are refused', async () => {
    const { gql } = await signIn(stack.router.handler, 'customerLogin', 'conor@example.com', KEYS.volt);
    const added = await gql(ADD_ADDRESS, {
      input: { type: 'SHIPPING', line1: '3 Quay St', city: 'Galway', postcode: 'H91 AB12', country: 'IE', default: true },
    });
    const addresses = added.body.data?.customerAddressAdd.customer.addresses as { id: string; city: string; default: boolean }[];
    expect(addresses).toEqual(expect.arrayContaining([expect.objectContaining({ city: 'Galway', type: 'SHIPPING', default: true })]));
    const bad = await gql(ADD_ADDRESS, { input: { type: 'SHIPPING', line1: ' ', city: 'X', postcode: 'Y', country: 'Ireland' } });
    expect(bad.body.data?.customerAddressAdd.userErrors.map((e: { code: string; field: string[] }) => [e.code, e.field.at(-1)])).toEqual([
      ['BLANK', 'line1'],
      ['INVALID', 'country'],
    ]);
    const elsewhere = await gql(ADD_ADDRESS, {
      input: { customerId: customerId('aoife'), type: 'BILLING', line1: 'x', city: 'x', postcode: 'x', country: 'IE' },
    });
    expect(elsewhere.body.data?.customerAddressAdd.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'customerId'] }]);
    const galway = addresses.find((a) => a.city === 'Galway') as { id: string };
    const removed = await gql(
      'mutation ($id: ID!) { customerAddressRemove(input: { id: $id }) { customer { addresses { id } } userErrors { code } } }',
      { id: galway.id },
    );
    expect(removed.body.data?.customerAddressRemove.customer.addresses.map((a: { id: string }) => a.id)).not.toContain(galway.id);

    const contact = await gql(
      'mutation ($input: ContactAddInput!) { customerContactAdd(input: $input) { customer { contacts { name primary } } userErrors { code field } } }',
      { input: { name: 'Partner Walsh', phone: '087 123', primary: true } },
    );
    expect(contact.body.data?.customerContactAdd.userErrors).toEqual([{ code: 'INVALID', field: ['input', 'phone'] }]);
  });

  // Harbour Cafe (Nimbus): no other test depends on its hierarchy.
  it('a business holder opens a sub-account; other customers and shoppers cannot', async () => {
    const create = `mutation ($input: CustomerChildCreateInput!) { customerChildCreate(input: $input) { customer { name parent { id } } userErrors { code } } }`;
    const parentId = customerId('nimbus-business');
    const input = { parentId, name: 'Harbour Cafe Quay', email: `quay-${unique()}@harbourcafe.example` };
    const holder = (await signIn(stack.router.handler, 'customerLogin', 'hello@harbourcafe.example', KEYS.nimbus)).gql;
    const before = (await holder('{ me { descendantCount } }')).body.data?.me.descendantCount as number;
    const made = await holder(create, { input });
    expect(made.body.data?.customerChildCreate).toEqual({
      customer: { name: 'Harbour Cafe Quay', parent: { id: parentId } },
      userErrors: [],
    });
    expect((await holder('{ me { descendantCount } }')).body.data?.me.descendantCount).toBe(before + 1);
    const oliver = (await signIn(stack.router.handler, 'customerLogin', 'oliver@example.co.uk', KEYS.nimbus)).gql;
    expect(
      (await oliver(create, { input: { ...input, email: `x-${unique()}@harbourcafe.example` } })).body.data?.customerChildCreate.userErrors,
    ).toEqual([{ code: 'NOT_FOUND' }]);
    const aoife = (await signIn(stack.router.handler, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
    expect(
      (await aoife(create, { input: { ...input, email: `y-${unique()}@harbourcafe.example` } })).body.data?.customerChildCreate.userErrors,
    ).toEqual([{ code: 'NOT_FOUND' }]);
    expect(codes(await client(stack.router.handler, KEYS.nimbus)(create, { input }))).toEqual(['UNAUTHENTICATED']);
  });

  it('staff start a new NPS survey; responses attach to it', async () => {
    const manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
    const res = await manager(
      'mutation { npsSurveyCreate(input: { name: "Q4 relationship", question: "How likely are you to recommend Volt?" }) { survey { name active } userErrors { code } } }',
    );
    expect(res.body.data?.npsSurveyCreate).toEqual({ survey: { name: 'Q4 relationship', active: true }, userErrors: [] });
    const blank = await manager(
      'mutation { npsSurveyCreate(input: { name: " ", question: "?" }) { survey { name } userErrors { code } } }',
    );
    expect(blank.body.data?.npsSurveyCreate).toEqual({ survey: null, userErrors: [{ code: 'BLANK' }] });
  });
});
