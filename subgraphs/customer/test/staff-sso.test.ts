import { type BootedSubgraph, type Principal, SERVICE_SCOPES, servicePrincipal } from '@dcrm/kit';
import { bootForTest, codes, gql, principals } from '@dcrm/kit/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { customerSubgraph } from '../src/index.js';
import { staffId, storefrontId } from '../src/seed/index.js';

const SIGN_IN = `mutation ($input: StaffSsoSignInInput!) {
  staffSsoSignIn(input: $input) { accessToken staff { id } userErrors { code } } }`;
const router = servicePrincipal('router', null, [SERVICE_SCOPES.ssoSignIn]);

let customer: BootedSubgraph;
beforeAll(async () => {
  customer = await bootForTest(customerSubgraph, inject('databaseUrl'));
});
afterAll(async () => {
  await customer.server.stop();
  await customer.orm.close();
});

// Each run its own provider, so links made by earlier runs never match.
const issuer = `https://idp-${Math.random().toString(36).slice(2, 10)}.example`;
const signIn = (principal: Principal, input: Record<string, unknown>) =>
  gql(customer, principal, SIGN_IN, { input: { issuer, emailVerified: true, groups: [], ...input } });

describe('staffSsoSignIn (the router only)', () => {
  it('is refused to anyone but a service holding sso:signin', async () => {
    const input = { subject: 'x', email: 'agent.consumer@volt.example' };
    for (const caller of [
      principals.staff(storefrontId('volt'), ['*']),
      { ...principals.shopper(storefrontId('volt')), kind: 'anonymous' as const },
      servicePrincipal('router', null, [SERVICE_SCOPES.apiKeyVerify]),
    ]) {
      const result = await signIn(caller, input);
      expect(['FORBIDDEN', 'UNAUTHENTICATED'], caller.kind).toContain(codes(result)[0]);
      expect(result.body.data?.staffSsoSignIn ?? null).toBeNull();
    }
  });

  it('links the member by verified email once; another account of the same provider with that email is refused', async () => {
    const first = await signIn(router, { subject: 'liam-1', email: ' Agent.Consumer@volt.example ' });
    expect(first.body.data?.staffSsoSignIn).toMatchObject({ userErrors: [], staff: { id: staffId('volt-consumer') } });
    expect(first.body.data?.staffSsoSignIn.accessToken).toBeTruthy();

    const other = await signIn(router, { subject: 'liam-2', email: 'agent.consumer@volt.example' });
    expect(other.body.data?.staffSsoSignIn).toMatchObject({ accessToken: null, userErrors: [{ code: 'IDENTITY_CONFLICT' }] });

    // The linked account signs in by its subject alone, even without an email.
    const again = await signIn(router, { subject: 'liam-1', email: null, emailVerified: false });
    expect(again.body.data?.staffSsoSignIn).toMatchObject({ userErrors: [], staff: { id: staffId('volt-consumer') } });
  });

  it('answers bad input with a userError', async () => {
    const result = await signIn(router, { subject: ' ', email: 'agent.consumer@volt.example' });
    expect(result.body.data?.staffSsoSignIn).toMatchObject({ accessToken: null, userErrors: [{ code: 'INVALID' }] });
  });
});
