import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows } from './support/brand-matrix.js';
import { client, codes, KEYS, registerCustomer, signIn, startTestStack, testIp } from './support/stack.js';

/**
 * A customer who forgot their password: a one-time code by email through the notification service
 * (the same answer whether or not the email has an account), a new password with it, every session
 * signed out. The code is read from the delivered message (the default adapter's outbox); the sent
 * history keeps it redacted.
 */
let stack: Stack;
const REQUEST = `mutation ($input: CustomerPasswordResetRequestInput!) { customerPasswordResetRequest(input: $input) { ok userErrors { code field } } }`;
const RESET = `mutation ($input: CustomerPasswordResetInput!) { customerPasswordReset(input: $input) { ok userErrors { code field } } }`;
const RENEW = `mutation ($input: TokenRenewInput!) { customerAccessTokenRenew(input: $input) { accessToken userErrors { code } } }`;
const NEW_PASSWORD = 'brand-new-secret-77';

const customerSql = (sql: string, params: unknown[] = []) => dbRows(stack, 'customer', sql, params) as Promise<Record<string, unknown>[]>;
const shopper = (key: string = KEYS.volt) => client(stack.router.handler, key, { 'x-forwarded-for': testIp() });

/** The reset codes delivered to an address, oldest first. */
async function codesSentTo(email: string): Promise<string[]> {
  const rows = await customerSql(
    `select body from "customer"."notification_outbox" where recipient = ? and channel = 'EMAIL' order by id`,
    [email],
  );
  return rows.map((r) => /(pr_[A-Za-z0-9_-]+)/.exec(r.body as string)?.[1] ?? '');
}

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

describe('customer password reset', () => {
  it('sends a one-time code, sets the new password with it and signs every session out', async () => {
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'reset' });
    const gql = shopper();
    const asked = (await gql(REQUEST, { input: { email: customer.email.toUpperCase() } })).body.data?.customerPasswordResetRequest;
    const unknown = (await gql(REQUEST, { input: { email: `nobody-${Date.now()}@example.com` } })).body.data?.customerPasswordResetRequest;
    expect(asked).toEqual({ ok: true, userErrors: [] });
    expect(unknown).toEqual(asked);

    const [token] = await codesSentTo(customer.email);
    expect(token).toMatch(/^pr_/);
    // The history records the message without the code, and it cannot be resent.
    const [recorded] = await customerSql(
      `select body, resendable, template_key from "customer"."notification_sent" where customer_id = ? and channel = 'EMAIL'`,
      [customer.id],
    );
    expect(recorded).toMatchObject({ template_key: 'customer.passwordReset', resendable: false });
    expect(recorded.body).toContain('[redacted]');
    expect(recorded.body).not.toContain(token);
    expect(await customerSql('select hash from "customer"."password_reset_token" where hash = ?', [token])).toEqual([]);

    // Bad input changes nothing: a weak password, another brand's storefront key.
    expect((await gql(RESET, { input: { token, password: 'short' } })).body.data?.customerPasswordReset).toEqual({
      ok: false,
      userErrors: [{ code: 'WEAK_PASSWORD', field: ['input', 'password'] }],
    });
    expect(
      (await shopper(KEYS.nimbus)(RESET, { input: { token, password: NEW_PASSWORD } })).body.data?.customerPasswordReset.userErrors,
    ).toEqual([{ code: 'INVALID_TOKEN', field: ['input', 'token'] }]);

    expect((await gql(RESET, { input: { token, password: NEW_PASSWORD } })).body.data?.customerPasswordReset).toEqual({
      ok: true,
      userErrors: [],
    });
    // Once only; the session signed in before is gone; the new password signs in, the old one does not.
    expect(
      (await gql(RESET, { input: { token, password: 'another-secret-88' } })).body.data?.customerPasswordReset.userErrors[0].code,
    ).toBe('INVALID_TOKEN');
    const renewed = (await gql(RENEW, { input: { refreshToken: customer.refreshToken } })).body.data?.customerAccessTokenRenew;
    expect(renewed).toMatchObject({ accessToken: null, userErrors: [{ code: 'INVALID_TOKEN' }] });
    await expect(signIn(stack.router.handler, 'customerLogin', customer.email, KEYS.volt, 'fresh-customer-42')).rejects.toThrow();
    const again = await signIn(stack.router.handler, 'customerLogin', customer.email, KEYS.volt, NEW_PASSWORD);
    expect((await again.gql('{ me { id } }')).body.data?.me).toEqual({ id: customer.id });
  });

  it('a newer code replaces the older one, and an expired code does not work', async () => {
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'reset' });
    const gql = shopper();
    await gql(REQUEST, { input: { email: customer.email } });
    await gql(REQUEST, { input: { email: customer.email } });
    const [older, newer] = await codesSentTo(customer.email);
    expect(
      (await gql(RESET, { input: { token: older, password: NEW_PASSWORD } })).body.data?.customerPasswordReset.userErrors[0].code,
    ).toBe('INVALID_TOKEN');
    await customerSql(
      `update "customer"."password_reset_token" set expires_at = now() - interval '1 minute' where customer_id = ? and used_at is null`,
      [customer.id],
    );
    expect(
      (await gql(RESET, { input: { token: newer, password: NEW_PASSWORD } })).body.data?.customerPasswordReset.userErrors[0].code,
    ).toBe('INVALID_TOKEN');
  });

  it('needs a storefront key, refuses malformed emails, and throttles repeated requests like sign-in', async () => {
    expect(codes(await client(stack.router.handler)(REQUEST, { input: { email: 'a@example.com' } }))).toEqual(['UNAUTHENTICATED']);
    expect((await shopper()(REQUEST, { input: { email: 'not-an-email' } })).body.data?.customerPasswordResetRequest.userErrors).toEqual([
      { code: 'INVALID', field: ['input', 'email'] },
    ]);
    const gql = shopper();
    const email = `target-${Date.now()}@example.com`;
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await gql(REQUEST, { input: { email } }));
    expect(answers.slice(0, 3).every((r) => r.body.data?.customerPasswordResetRequest.ok)).toBe(true);
    expect(answers.some((r) => codes(r).includes('THROTTLED'))).toBe(true);
  });
});
