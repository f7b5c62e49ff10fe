import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { refusalOf, succeeded } from './support/brand-matrix.js';
import { client, codes, KEYS, registerCustomer, signIn, startTestStack, testIp } from './support/stack.js';

/**
 * A signed-in customer changes their password through the router: the current one is required (and
 * guesses count against sign-in throttling), the kit password policy applies, every other session
 * ends and the caller continues on the fresh session the answer carries.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

const CHANGE = `mutation ($input: CustomerPasswordChangeInput!) {
  customerPasswordChange(input: $input) { accessToken refreshToken customer { id } userErrors { code field } }
}`;
const ORIGINAL = 'fresh-customer-42';
const NEW = 'brand-new-secret-7';

const login = (email: string, password: string) =>
  client(stack.router.handler, KEYS.volt, { 'x-forwarded-for': testIp() })(
    'mutation ($input: LoginInput!) { customerLogin(input: $input) { accessToken userErrors { code } } }',
    { input: { email, password } },
  );
const renew = (refreshToken: string) =>
  client(stack.router.handler, KEYS.volt)(
    'mutation ($input: TokenRenewInput!) { customerAccessTokenRenew(input: $input) { accessToken userErrors { code } } }',
    { input: { refreshToken } },
  );

describe('customerPasswordChange', () => {
  it('refuses a wrong current password, a weak or unchanged new one, and changes nothing', async () => {
    const c = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'pwchange' });
    expect(
      refusalOf(await c.gql(CHANGE, { input: { currentPassword: 'not-my-password-1', newPassword: NEW } }), 'customerPasswordChange'),
    ).toBe('INVALID_CREDENTIALS');
    const weak = await c.gql(CHANGE, { input: { currentPassword: ORIGINAL, newPassword: 'short' } });
    expect(weak.body.data?.customerPasswordChange.userErrors).toEqual([{ code: 'WEAK_PASSWORD', field: ['input', 'newPassword'] }]);
    expect(refusalOf(await c.gql(CHANGE, { input: { currentPassword: ORIGINAL, newPassword: ORIGINAL } }), 'customerPasswordChange')).toBe(
      'UNCHANGED',
    );
    expect((await login(c.email, ORIGINAL)).body.data?.customerLogin.accessToken).toEqual(expect.any(String));
    expect((await c.gql('{ me { id } }')).body.data?.me.id).toBe(c.id);
  });

  it('ends every other session and carries on with a fresh one', async () => {
    const c = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'pwchange' });
    const other = await signIn(stack.router.handler, 'customerLogin', c.email, KEYS.volt, ORIGINAL);
    const changed = succeeded(await c.gql(CHANGE, { input: { currentPassword: ORIGINAL, newPassword: NEW } }), 'customerPasswordChange');
    expect(changed.customer.id).toBe(c.id);
    // The other device and the old tokens of this one are signed out.
    expect((await other.gql('{ me { id } }')).status).toBe(401);
    expect(refusalOf(await renew(other.refreshToken), 'customerAccessTokenRenew')).toBe('INVALID_TOKEN');
    expect((await c.gql('{ me { id } }')).status).toBe(401);
    // The fresh session works, and so does the new password; the old one no longer does.
    const fresh = client(stack.router.handler, KEYS.volt, { authorization: `Bearer ${changed.accessToken}` });
    expect((await fresh('{ me { id } }')).body.data?.me.id).toBe(c.id);
    succeeded(await renew(changed.refreshToken), 'customerAccessTokenRenew');
    expect(refusalOf(await login(c.email, ORIGINAL), 'customerLogin')).toBe('INVALID_CREDENTIALS');
    expect((await login(c.email, NEW)).body.data?.customerLogin.accessToken).toEqual(expect.any(String));
  });

  it('is for signed-in customers only', async () => {
    const staff = await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example');
    expect(codes(await staff.gql(CHANGE, { input: { currentPassword: 'dcrm-demo-2026', newPassword: NEW } }))).toEqual(['FORBIDDEN']);
    const shopper = client(stack.router.handler, KEYS.volt);
    expect(codes(await shopper(CHANGE, { input: { currentPassword: ORIGINAL, newPassword: NEW } }))).not.toEqual([]);
  });
});
