import { type BootedSubgraph, bootSubgraph, internalSecret, type Principal, SQL_COUNT_HEADER, seedId } from '@dcrm/kit';
import { principals, signedHeaders } from '@dcrm/kit/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { opportunitySubgraph } from '../src/index.js';
import { leadId, opportunityId } from '../src/seed/index.js';

/** The opportunity subgraph alone, through its own HTTP handler: signed principals, `_entities` lookups. */
const VOLT = seedId('storefront', 'volt');
const NIMBUS = seedId('storefront', 'nimbus');
const CONNECTIFY = seedId('partner', 'connectify');
const SALES = ['opportunity:read', 'opportunity:write'];

let opportunity: BootedSubgraph;
beforeAll(async () => {
  opportunity = await bootSubgraph(opportunitySubgraph, {
    databaseUrl: inject('databaseUrl'),
    secret: internalSecret(),
    migrate: false,
    poolSize: 4,
    peers: (name) => {
      throw new Error(`no peer ${name} in this test`);
    },
  });
});
afterAll(async () => {
  await opportunity.server.stop();
  await opportunity.orm.close();
});

type Result = { status: number; body: { data?: Record<string, any> | null; errors?: { extensions?: { code?: string } }[] } };

async function gql(principal: Principal | null, query: string, variables?: Record<string, unknown>): Promise<Result> {
  const body = { query, variables };
  const headers = principal ? signedHeaders(principal, 'opportunity', body) : { 'content-type': 'application/json' };
  const response = await request(opportunity.server.handler).post('/graphql').set(headers).send(body);
  expect(response.headers[SQL_COUNT_HEADER]).toBeDefined();
  return { status: response.status, body: response.body };
}
const codes = (r: Result) => r.body.errors?.map((e) => e.extensions?.code) ?? [];

const staff = (segments: string[], scopes = SALES, storefrontId = VOLT): Principal => ({
  ...principals.staff(storefrontId, scopes),
  roles: segments.map((s) => `segment:${s}`),
});
const partner = (partnerId: string): Principal => ({
  kind: 'partner',
  id: 'test-partner-user',
  storefrontId: VOLT,
  partnerId,
  roles: [],
  scopes: [],
});

const LEADS = '{ leads(first: 100) { nodes { id segment partnerId status tmfStatus channel } pageInfo { hasNextPage } } }';
const OPPORTUNITIES = '{ opportunities(first: 100) { nodes { id segment partnerId stage status type lead { id } } } }';
type Row = { id: string; segment: string; partnerId: string | null };
const nodes = (r: Result, field: string) => (r.body.data?.[field]?.nodes ?? []) as Row[];

describe('leads and opportunities: who sees what', () => {
  it('staff see the leads of their segments in their brand, with TMF699 status', async () => {
    const all = nodes(await gql(staff(['*']), LEADS), 'leads');
    expect(all.map((l) => l.id)).toEqual(expect.arrayContaining([leadId('volt-web-new'), leadId('volt-portal-converted')]));
    expect(all.map((l) => l.id)).not.toContain(leadId('nimbus-web-new'));
    const consumer = nodes(await gql(staff(['consumer']), LEADS), 'leads');
    expect(consumer.length).toBeGreaterThan(0);
    expect(new Set(consumer.map((l) => l.segment))).toEqual(new Set(['consumer']));
    const lead = await gql(staff(['*']), `query ($id: ID!) { lead(id: $id) { status tmfStatus channel } }`, {
      id: leadId('volt-ivr-ack'),
    });
    expect(lead.body.data?.lead).toEqual({ status: 'ACKNOWLEDGED', tmfStatus: 'OPEN', channel: 'IVR' });
  });

  it('a lead outside the caller’s segment or brand is NOT_FOUND, like an unknown id', async () => {
    const query = `query ($id: ID!) { lead(id: $id) { id } }`;
    expect(codes(await gql(staff(['consumer']), query, { id: leadId('volt-email-qualified') }))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(staff(['*'], SALES, NIMBUS), query, { id: leadId('volt-web-new') }))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(staff(['*']), query, { id: 'not-a-uuid' }))).toEqual(['NOT_FOUND']);
  });

  it('staff without opportunity:read are refused; customers and anonymous callers too', async () => {
    expect(codes(await gql(staff(['*'], ['customer:read']), LEADS))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(principals.customer(seedId('customer', 'aoife'), VOLT), LEADS))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(principals.shopper(VOLT), OPPORTUNITIES))).toEqual(['UNAUTHENTICATED']);
    expect((await gql(null, LEADS)).status).toBe(401);
  });

  it('a partner sees only its own leads and opportunities', async () => {
    const leads = nodes(await gql(partner(CONNECTIFY), LEADS), 'leads');
    expect(leads.map((l) => l.id)).toContain(leadId('volt-partner-new'));
    expect(new Set(leads.map((l) => l.partnerId))).toEqual(new Set([CONNECTIFY]));
    const opportunities = nodes(await gql(partner(CONNECTIFY), OPPORTUNITIES), 'opportunities');
    expect(opportunities.map((o) => o.id)).toContain(opportunityId('volt-connectify-renewal'));
    expect(new Set(opportunities.map((o) => o.partnerId))).toEqual(new Set([CONNECTIFY]));
    expect(nodes(await gql(partner(seedId('partner', 'skyline')), LEADS), 'leads')).toEqual([]);
  });

  it('opportunities page newest first, at most 100 a page', async () => {
    const first = await gql(staff(['*']), '{ opportunities(first: 1) { nodes { id } pageInfo { hasNextPage endCursor } } }');
    expect(first.body.data?.opportunities.nodes).toHaveLength(1);
    expect(first.body.data?.opportunities.pageInfo.hasNextPage).toBe(true);
    const next = await gql(staff(['*']), 'query ($after: String) { opportunities(first: 1, after: $after) { nodes { id } } }', {
      after: first.body.data?.opportunities.pageInfo.endCursor,
    });
    expect(next.body.data?.opportunities.nodes[0].id).not.toBe(first.body.data?.opportunities.nodes[0].id);
    expect(codes(await gql(staff(['*']), '{ opportunities(first: 101) { nodes { id } } }'))).toEqual(['BAD_USER_INPUT']);
  });

  it('_entities resolves a lead or opportunity only within the caller’s rows', async () => {
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Lead { id } ... on Opportunity { id name } } }`;
    const r = [
      { __typename: 'Lead', id: leadId('volt-email-qualified') },
      { __typename: 'Opportunity', id: opportunityId('volt-walsh-new') },
    ];
    const business = await gql(staff(['smb']), query, { r });
    expect(business.body.data?._entities.map((e: { id: string } | null) => e?.id)).toEqual(r.map((x) => x.id));
    const consumer = await gql(staff(['consumer']), query, { r });
    expect(consumer.body.data?._entities).toEqual([null, null]);
    const customer = await gql(principals.customer(seedId('customer', 'aoife'), VOLT), query, { r });
    expect(customer.body.data?._entities).toEqual([null, null]);
  });

  it('Customer.leads and Customer.opportunities: the 360° view, within the caller’s rows', async () => {
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { leads(first: 100) { nodes { id } } opportunities(first: 100) { nodes { id stage } } } } }`;
    const r = [{ __typename: 'Customer', id: seedId('customer', 'globex') }];
    const manager = await gql(staff(['*']), query, { r });
    expect(manager.body.data?._entities[0].leads.nodes.map((l: { id: string }) => l.id)).toContain(leadId('volt-portal-converted'));
    expect(manager.body.data?._entities[0].opportunities.nodes).toContainEqual({
      id: opportunityId('volt-globex-upsell'),
      stage: 'PROPOSAL',
    });
    const consumer = await gql(staff(['consumer']), query, { r });
    expect(consumer.body.data?._entities[0]).toEqual({ leads: { nodes: [] }, opportunities: { nodes: [] } });
  });
});
