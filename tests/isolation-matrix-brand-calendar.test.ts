import { internalSecret, PRINCIPAL_HEADER, type Principal, seedId, signPrincipal } from '@dcrm/kit';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { distinctCodes, KEYS, type Response, STOREFRONT_IDS, signIn, startTestStack } from './support/stack.js';

/**
 * `brandBusinessCalendar` (ticket): the brand's business calendar for another subgraph's clocks (the
 * opportunity subgraph's idle escalation). Service-only with `calendar:read`, never in the public API;
 * a service gets the calendar of the brand it is signed for, and nothing else.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const QUERY = '{ brandBusinessCalendar { timeZone } }';

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.manager = (await signIn(h, 'staffLogin', 'manager@volt.example')).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
});
afterAll(() => stack.stop());

const ticket = () => stack.subgraphs.find((s) => s.definition.name === 'ticket') as Stack['subgraphs'][number];
const direct = async (principal: Principal) => {
  const body = { query: QUERY };
  const header = signPrincipal(principal, internalSecret(), { audience: 'ticket', body });
  return request(ticket().server.handler as Parameters<typeof request>[0])
    .post('/graphql')
    .set({ 'content-type': 'application/json', [PRINCIPAL_HEADER]: header })
    .send(body);
};
const base = { storefrontId: STOREFRONT_IDS.volt, partnerId: null, roles: [] as string[], scopes: [] as string[] };

describe('brandBusinessCalendar: other subgraphs of the brand only', () => {
  it('is not in the public API for customers, staff or partners', async () => {
    for (const gql of [as.aoife, as.manager, as.connectify]) expect(distinctCodes(await gql(QUERY))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('straight to the subgraph: refused to anyone but a service with calendar:read', async () => {
    const refused = async (p: Principal) => (await direct(p)).body.errors?.[0]?.extensions?.code;
    expect(await refused({ ...base, kind: 'customer', id: seedId('customer', 'aoife') })).toBe('FORBIDDEN');
    expect(
      await refused({
        ...base,
        kind: 'staff',
        id: seedId('staff', 'volt-manager'),
        roles: ['segment:*'],
        scopes: ['ticket:read', 'calendar:read'],
      }),
    ).toBe('FORBIDDEN');
    expect(await refused({ ...base, kind: 'service', id: 'opportunity' })).toBe('FORBIDDEN');
  });

  it('a service gets the calendar of the brand it is signed for', async () => {
    const of = async (storefrontId: string) =>
      (await direct({ ...base, storefrontId, kind: 'service', id: 'opportunity', scopes: ['calendar:read'] })).body.data
        ?.brandBusinessCalendar;
    expect(await of(STOREFRONT_IDS.volt)).toEqual({ timeZone: 'Europe/Dublin' });
    expect(await of(STOREFRONT_IDS.nimbus)).toEqual({ timeZone: 'Europe/London' });
  });
});
