import { SERVICE_SCOPES, servicePrincipal } from '@dcrm/kit';
import { codes, gql, principals } from '@dcrm/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import {
  client,
  customerId,
  KEYS,
  PRIVATE_KEYS,
  type Response,
  codes as routerCodes,
  STOREFRONT_IDS,
  signIn,
  startWithManager,
} from './support/stack.js';

/**
 * `_customersByIdentity` (customer subgraph; the opportunity subgraph's lead import links rows to accounts
 * with it) and the bulk module fields: never on the public API, services with `customer:lookup` only, and
 * only the signed storefront's accounts.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};

beforeAll(async () => {
  ({ stack, manager: as.voltManager } = await startWithManager());
  const h = stack.router.handler;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.chatbot = client(h, PRIVATE_KEYS.voltChatbot);
  as.shopper = client(h, KEYS.volt);
});
afterAll(() => stack.stop());

const customer = () => stack.subgraphs.find((s) => s.definition.name === 'customer') as Stack['subgraphs'][number];
const LOOKUP = `query ($emails: [String!]!, $mobiles: [String!]!) { _customersByIdentity(emails: $emails, mobiles: $mobiles) { id } }`;
const AOIFE = { emails: ['Aoife@Example.com'], mobiles: [] };

describe('_customersByIdentity', () => {
  it('is not on the public API, for anyone', async () => {
    for (const who of ['voltManager', 'aoife', 'chatbot', 'shopper'])
      expect(routerCodes(await as[who](LOOKUP, AOIFE))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(routerCodes(await as.voltManager('{ _bulkValidate(input: { action: "price.update", rows: [] }) { row } }'))).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
  });

  it('answers services with customer:lookup only, and only accounts of the storefront they sign for', async () => {
    const direct = (principal: Parameters<typeof gql>[1], variables = AOIFE) => gql(customer(), principal, LOOKUP, variables);
    expect(codes(await direct(principals.staff(STOREFRONT_IDS.volt, ['customer:read', 'customer:lookup'])))).toEqual(['FORBIDDEN']);
    expect(codes(await direct(servicePrincipal('opportunity', STOREFRONT_IDS.volt, [])))).toEqual(['FORBIDDEN']);
    const lookup = (storefrontId: string) => servicePrincipal('opportunity', storefrontId, [SERVICE_SCOPES.customerLookup]);
    expect((await direct(lookup(STOREFRONT_IDS.volt))).body.data?._customersByIdentity).toEqual([{ id: customerId('aoife') }]);
    // Nimbus has its own account with that e-mail: never Volt's.
    const nimbus = (await direct(lookup(STOREFRONT_IDS.nimbus))).body.data?._customersByIdentity as { id: string }[];
    expect(nimbus.map((c) => c.id)).not.toContain(customerId('aoife'));
    const tooMany = { emails: Array.from({ length: 251 }, (_, i) => `x${i}@example.com`), mobiles: [] };
    expect(codes(await direct(lookup(STOREFRONT_IDS.volt), tooMany))).toEqual(['BAD_USER_INPUT']);
  });
});
