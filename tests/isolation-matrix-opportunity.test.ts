import { randomUUID } from 'node:crypto';
import { SERVICE_SCOPES, seedId, servicePrincipal } from '@dcrm/kit';
import { signedHeaders } from '@dcrm/kit/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { staffMutations } from './support/brand-matrix.js';
import {
  client,
  codes,
  customerId,
  distinctCodes,
  KEYS,
  PRIVATE_KEYS,
  type Response,
  STOREFRONT_IDS,
  signIn,
  startTestStack,
} from './support/stack.js';

/**
 * Who sees which lead and opportunity, through the router: staff by brand and segment (with
 * `opportunity:read`), partners their own, customers and storefront keys none. The queries and the
 * 360° fields of the opportunity subgraph; a new staff mutation of it must join the COVERED list below.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};

const lead = (key: string) => seedId('lead', key);
const opportunity = (key: string) => seedId('opportunity', key);
const CONNECTIFY = seedId('partner', 'connectify');

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
  as.skyline = (await signIn(h, 'partnerLogin', 'ops@skyline.example')).gql;
  as.consumerAgent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.businessAgent = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  as.voltManager = (await signIn(h, 'staffLogin', 'manager@volt.example')).gql;
  as.nimbusAgent = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  as.catalogAdmin = (await signIn(h, 'staffLogin', 'admin@dcrm.example')).gql;
  as.chatbot = client(h, PRIVATE_KEYS.voltChatbot);
  as.shopper = client(h, KEYS.volt);
});
afterAll(() => stack.stop());

type Row = { id: string; segment: string; partnerId: string | null };
const LEADS = '{ leads(first: 100) { nodes { id segment partnerId } } }';
const OPPORTUNITIES = '{ opportunities(first: 100) { nodes { id segment partnerId } } }';
const leads = async (gql: Gql) => ((await gql(LEADS)).body.data?.leads.nodes ?? []) as Row[];
const opportunities = async (gql: Gql) => ((await gql(OPPORTUNITIES)).body.data?.opportunities.nodes ?? []) as Row[];
const ids = (rows: Row[]) => rows.map((r) => r.id);

async function seesLead(gql: Gql, id: string): Promise<boolean> {
  const res = await gql('query ($id: ID!) { lead(id: $id) { id } }', { id });
  if (res.body.data?.lead?.id === id) return true;
  expect(codes(res)).toEqual(['NOT_FOUND']);
  return false;
}
async function seesOpportunity(gql: Gql, id: string): Promise<boolean> {
  const res = await gql('query ($id: ID!) { opportunity(id: $id) { id } }', { id });
  if (res.body.data?.opportunity?.id === id) return true;
  expect(codes(res)).toEqual(['NOT_FOUND']);
  return false;
}

describe('staff: brand and segment', () => {
  it('staff see the leads and opportunities of their segments only', async () => {
    const consumer = await leads(as.consumerAgent);
    expect(ids(consumer)).toContain(lead('volt-web-new'));
    expect(new Set(consumer.map((l) => l.segment))).toEqual(new Set(['consumer']));
    const business = await opportunities(as.businessAgent);
    expect(ids(business)).toEqual(expect.arrayContaining([opportunity('volt-globex-upsell'), opportunity('volt-walsh-new')]));
    expect(business.every((o) => ['smb', 'enterprise'].includes(o.segment))).toBe(true);
    expect(await seesLead(as.consumerAgent, lead('volt-email-qualified'))).toBe(false);
    expect(await seesLead(as.businessAgent, lead('volt-email-qualified'))).toBe(true);
    expect(await seesOpportunity(as.consumerAgent, opportunity('volt-globex-upsell'))).toBe(false);
    expect(await seesOpportunity(as.voltManager, opportunity('volt-globex-upsell'))).toBe(true);
  });

  it('staff of one brand never see the other’s', async () => {
    expect(ids(await leads(as.voltManager))).not.toContain(lead('nimbus-web-new'));
    expect(ids(await leads(as.nimbusAgent))).toContain(lead('nimbus-web-new'));
    expect(ids(await leads(as.nimbusAgent))).not.toContain(lead('volt-web-new'));
    expect(await seesLead(as.nimbusAgent, lead('volt-web-new'))).toBe(false);
    expect(await seesOpportunity(as.nimbusAgent, opportunity('volt-walsh-new'))).toBe(false);
    expect(await seesOpportunity(as.voltManager, opportunity('nimbus-harbour-new'))).toBe(false);
  });

  it('staff without opportunity:read are refused', async () => {
    expect(distinctCodes(await as.catalogAdmin(LEADS))).toEqual(['FORBIDDEN']);
    expect(distinctCodes(await as.catalogAdmin(OPPORTUNITIES))).toEqual(['FORBIDDEN']);
  });

  it('Customer.leads and Customer.opportunities keep to the agent’s rows (the 360° view)', async () => {
    const query = `query ($id: ID!) { customer(id: $id) { leads { id } opportunities { id } } }`;
    const manager = (await as.voltManager(query, { id: customerId('globex') })).body.data?.customer;
    expect(ids(manager.leads)).toContain(lead('volt-portal-converted'));
    expect(ids(manager.opportunities)).toContain(opportunity('volt-globex-upsell'));
    const business = (await as.businessAgent(query, { id: customerId('globex') })).body.data?.customer;
    expect(ids(business.opportunities)).toContain(opportunity('volt-globex-upsell'));
  });
});

describe('partner P1 vs partner P2', () => {
  it('a partner sees only its own leads and opportunities', async () => {
    const own = await leads(as.connectify);
    expect(ids(own)).toContain(lead('volt-partner-new'));
    expect(new Set(own.map((l) => l.partnerId))).toEqual(new Set([CONNECTIFY]));
    expect(ids(await opportunities(as.connectify))).toContain(opportunity('volt-connectify-renewal'));
    expect(ids(await leads(as.skyline))).not.toContain(lead('volt-partner-new'));
    expect(ids(await opportunities(as.skyline))).not.toContain(opportunity('volt-connectify-renewal'));
    expect(await seesLead(as.skyline, lead('volt-partner-new'))).toBe(false);
    expect(await seesLead(as.connectify, lead('volt-web-new'))).toBe(false);
    expect(await seesOpportunity(as.connectify, opportunity('volt-globex-upsell'))).toBe(false);
  });

  it('through a customer it serves, a partner sees that customer’s opportunities of its own only', async () => {
    const query = `query ($id: ID!) { customer(id: $id) { opportunities { id partnerId } } }`;
    const rows = (await as.connectify(query, { id: customerId('connectify-one') })).body.data?.customer.opportunities as Row[];
    expect(ids(rows)).toContain(opportunity('volt-connectify-renewal'));
    expect(new Set(rows.map((o) => o.partnerId))).toEqual(new Set([CONNECTIFY]));
  });
});

describe('customers and storefront keys', () => {
  it('see no lead and no opportunity: the fields are not in their schema view', async () => {
    for (const gql of [as.aoife, as.shopper, as.chatbot]) {
      expect(distinctCodes(await gql(LEADS))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(distinctCodes(await gql(OPPORTUNITIES))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    }
    expect(distinctCodes(await as.aoife('{ me { leads { id } opportunities { id } } }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});

describe('writes: brand, segment and partner', () => {
  const UPDATE = `mutation ($input: LeadUpdateInput!) { leadUpdate(input: $input) { lead { id } userErrors { code field } } }`;
  const CREATE = `mutation ($input: LeadCreateInput!) { leadCreate(input: $input) { lead { id } userErrors { code field } } }`;
  const row = async (id: string) =>
    (await stack.subgraphs
      .find((s) => s.definition.name === 'opportunity')
      ?.orm.em.fork()
      .getConnection()
      .execute('select * from "opportunity"."lead" where id = ?', [id])) as unknown[];
  const refusal = (res: Response, name: string) =>
    (res.body.data?.[name]?.userErrors as { code: string }[] | undefined)?.[0]?.code ?? res.body.errors?.[0]?.extensions?.code;

  it('leadUpdate of another brand’s, segment’s or partner’s lead is NOT_FOUND and changes nothing', async () => {
    for (const [gql, key] of [
      [as.voltManager, 'nimbus-web-new'],
      [as.nimbusAgent, 'volt-web-new'],
      [as.consumerAgent, 'volt-email-qualified'],
      [as.skyline, 'volt-partner-new'],
      [as.connectify, 'volt-web-new'],
    ] as const) {
      const before = await row(lead(key));
      const res = await gql(UPDATE, { input: { id: lead(key), version: 1, rating: 'HOT', description: 'changed' } });
      expect(refusal(res, 'leadUpdate')).toBe('NOT_FOUND');
      expect(await row(lead(key))).toEqual(before);
    }
    // The owner's side of the same write succeeds (the refusals are the rule, not a broken fixture).
    const own = (await as.nimbusAgent(CREATE, { input: { email: 'own@example.co.uk' } })).body.data?.leadCreate.lead;
    const ok = await as.nimbusAgent(UPDATE, { input: { id: own.id, version: 1, description: 'Nimbus note' } });
    expect(ok.body.data?.leadUpdate.userErrors).toEqual([]);
  });

  it('leadCreate naming another brand’s product or campaign is NOT_FOUND; customers and keys cannot create', async () => {
    const nimbusPlan = seedId('product', 'nimbus-fibre-75');
    const res = await as.voltManager(CREATE, {
      input: { email: 'x-brand@example.net', productIds: [nimbusPlan], campaignId: seedId('campaign', 'volt-spring-upgrade') },
    });
    expect(res.body.data?.leadCreate.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'productIds', '0'] }]);
    const campaign = await as.nimbusAgent(CREATE, {
      input: { email: 'x-brand@example.net', campaignId: seedId('campaign', 'volt-spring-upgrade') },
    });
    expect(campaign.body.data?.leadCreate.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'campaignId'] }]);
    for (const gql of [as.aoife, as.shopper]) {
      expect(distinctCodes(await gql(CREATE, { input: { email: 'x@example.net' } }))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    }
    expect(distinctCodes(await as.catalogAdmin(CREATE, { input: { email: 'x@example.net' } }))).toEqual(['FORBIDDEN']);
  });
});

describe('sale orders: conversion, lines and Order.opportunity', () => {
  const CONVERT = `mutation ($id: ID!) { opportunityConvert(id: $id, idempotencyKey: "matrix-key-0001") { opportunity { id } userErrors { code } } }`;
  const ADD = `mutation ($input: OpportunityLineAddInput!) { opportunityLineAdd(input: $input) { opportunity { id } userErrors { code } } }`;
  const REMOVE = `mutation ($input: OpportunityLineRemoveInput!) { opportunityLineRemove(input: $input) { opportunity { id } userErrors { code } } }`;
  const refused = (res: Response, name: string) =>
    (res.body.data?.[name]?.userErrors as { code: string }[] | undefined)?.[0]?.code ?? res.body.errors?.[0]?.extensions?.code;
  const orderRows = (id: string) =>
    stack.subgraphs
      .find((s) => s.definition.name === 'cart')
      ?.orm.em.fork()
      .getConnection()
      .execute('select id from "cart"."customer_order" where source_id = ?', [id]) as Promise<unknown[]>;
  const lineRows = (id: string) =>
    stack.subgraphs
      .find((s) => s.definition.name === 'opportunity')
      ?.orm.em.fork()
      .getConnection()
      .execute('select * from "opportunity"."opportunity_line" where opportunity_id = ?', [id]) as Promise<unknown[]>;

  it('another brand’s, segment’s or partner’s opportunity is NOT_FOUND to convert and to change lines; nothing ordered', async () => {
    const plan = seedId('product', 'volt-sim-unlimited');
    for (const [gql, key] of [
      [as.nimbusAgent, 'volt-walsh-new'],
      [as.voltManager, 'nimbus-harbour-new'],
      [as.consumerAgent, 'volt-globex-upsell'],
      [as.skyline, 'volt-connectify-renewal'],
      [as.connectify, 'volt-globex-upsell'],
    ] as const) {
      const id = opportunity(key);
      expect(refused(await gql(CONVERT, { id }), 'opportunityConvert')).toBe('NOT_FOUND');
      expect(await orderRows(id)).toEqual([]);
      const before = await lineRows(id);
      expect(refused(await gql(ADD, { input: { opportunityId: id, productId: plan } }), 'opportunityLineAdd')).toBe('NOT_FOUND');
      expect(await lineRows(id)).toEqual(before);
    }
    expect(refused(await as.skyline(REMOVE, { input: { lineId: seedId('opportunity-line', 'none') } }), 'opportunityLineRemove')).toBe(
      'NOT_FOUND',
    );
    // The owner's side: a seeded opportunity that is not won is refused for that reason, not for access.
    expect(refused(await as.connectify(CONVERT, { id: opportunity('volt-connectify-renewal') }), 'opportunityConvert')).toBe('NOT_WON');
  });

  it('customers and keys cannot convert; staff without opportunity:write are FORBIDDEN', async () => {
    const id = opportunity('volt-globex-upsell');
    for (const gql of [as.aoife, as.shopper, as.chatbot])
      expect(distinctCodes(await gql(CONVERT, { id }))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(distinctCodes(await as.catalogAdmin(CONVERT, { id }))).toEqual(['FORBIDDEN']);
  });

  it('Order.opportunity: not in a customer’s schema; null for an order not from an opportunity', async () => {
    // An order from a quote, placed the way a sale service places it.
    const body = {
      query: 'mutation ($input: OrderPlaceForSaleInput!) { orderPlaceForSale(input: $input) { order { id } } }',
      variables: {
        input: {
          customerId: customerId('acme-telecom-buyers'),
          lines: [{ productId: seedId('product', 'volt-sim-unlimited'), quantity: 1 }],
          source: { kind: 'QUOTE', id: randomUUID() },
          idempotencyKey: `matrix:${randomUUID()}`,
          actedBy: randomUUID(),
        },
      },
    };
    const principal = servicePrincipal('quote', STOREFRONT_IDS.volt, [SERVICE_SCOPES.orderPlaceForSale]);
    const cart = stack.subgraphs.find((s) => s.definition.name === 'cart')?.server.handler as Parameters<typeof request>[0];
    const placed = await request(cart)
      .post('/graphql')
      .set(signedHeaders(principal, 'cart', body))
      .send(body);
    const id = placed.body.data?.orderPlaceForSale.order.id as string;
    const QUERY = 'query ($id: ID!) { order(id: $id) { id opportunity { id } } }';
    expect(distinctCodes(await as.aoife(QUERY, { id }))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const staff = await as.voltManager(QUERY, { id });
    expect(staff.body.data?.order).toEqual({ id, opportunity: null });
  });
});

// Staff mutations of the opportunity subgraph and the cases (in this file or the writes matrices) that cover them.
const COVERED: string[] = ['leadCreate', 'leadUpdate', 'opportunityConvert', 'opportunityLineAdd', 'opportunityLineRemove'];

describe('coverage', () => {
  it('every staff mutation of the opportunity subgraph is in the matrix', () => {
    const all = staffMutations(new URL('../subgraphs/opportunity/src/schema.graphql', import.meta.url));
    expect(all.filter((m) => !COVERED.includes(m))).toEqual([]);
  });
});
