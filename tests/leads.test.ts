import { randomUUID } from 'node:crypto';
import { EVENTS, type LeadCapturedEvent, seedId } from '@dcrm/kit';
import { runPeriodic } from '@dcrm/opportunity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { client, codes, customerId, KEYS, productId, type Response, signIn, startWithManager, testIp } from './support/stack.js';

/**
 * Leads through the router: anonymous capture with a storefront key (rate-limited, consent recorded),
 * a signed-in customer's, staff and partner capture, updates with optimistic versions, matching to an
 * existing account, campaign links and counts, filters and sort, and `lead.captured` on the bus.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
let manager: Gql;
let consumerAgent: Gql;
let connectify: Gql;
let aoife: Gql;
const events: LeadCapturedEvent[] = [];
const CAMPAIGN = seedId('campaign', 'volt-spring-upgrade');
const PLAN = productId('volt-sim-unlimited');

beforeAll(async () => {
  // Low enough to reach in a test; each capture below comes from its own address.
  process.env.DCRM_LEAD_CAPTURE_PER_ADDRESS = '3/3600';
  ({ stack, manager } = await startWithManager());
  await stack.bus.subscribe(EVENTS.leadCaptured, (payload) => void events.push(payload as LeadCapturedEvent));
  const h = stack.router.handler;
  consumerAgent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
  aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
});
afterAll(() => stack.stop());

const unique = () => `lead-${randomUUID().slice(0, 8)}@example.net`;
const shopper = (ip = testIp()) => client(stack.router.handler, KEYS.volt, { 'x-forwarded-for': ip });
const CAPTURE = `mutation ($input: LeadCaptureInput!) { leadCapture(input: $input) { reference userErrors { code field } } }`;
const LEAD = `id version status tmfStatus channel segment email mobile productIds products { id } score
  customer { id } partnerId budget { amount currencyCode } consent { contact marketing at } rejectionReason`;
const byId = async (id: string) =>
  (await manager(`query ($id: ID!) { lead(id: $id) { ${LEAD} campaign { id } } }`, { id })).body.data?.lead;
const errors = (payload: { userErrors: { code: string; field: string[] }[] }) =>
  payload.userErrors.map((e) => `${e.field.join('.')}:${e.code}`).sort();

describe('leadCapture (storefront key)', () => {
  it('captures a web lead with its interest, campaign, budget and consent; the bus hears lead.captured', async () => {
    const email = unique();
    const res = await shopper()(CAPTURE, {
      input: {
        firstName: 'Web',
        email: `  ${email.toUpperCase()} `,
        mobile: '+353 87 555 0101',
        productIds: [PLAN],
        campaignId: CAMPAIGN,
        budget: { amount: '45.00', currencyCode: 'EUR' },
        consent: { contact: true, marketing: true, text: 'v1' },
      },
    });
    expect(res.body.errors).toBeUndefined();
    const reference = res.body.data?.leadCapture.reference as string;
    expect(res.body.data?.leadCapture.userErrors).toEqual([]);
    const lead = await byId(reference);
    expect(lead).toMatchObject({
      status: 'NEW',
      tmfStatus: 'OPEN',
      channel: 'WEB',
      segment: 'consumer',
      email,
      mobile: '+353875550101',
      productIds: [PLAN],
      products: [{ id: PLAN }],
      customer: null,
      campaign: { id: CAMPAIGN },
      budget: { amount: '45.00', currencyCode: 'EUR' },
      consent: { contact: true, marketing: true },
    });
    expect(events.find((e) => e.leadId === reference)).toMatchObject({ channel: 'WEB', campaignId: CAMPAIGN, productIds: [PLAN] });
  });

  it('refuses a lead without consent, contact details or a real product, and captures nothing', async () => {
    const res = await shopper()(CAPTURE, {
      input: { productIds: [productId('nimbus-fibre-75')], consent: { contact: false }, campaignId: randomUUID() },
    });
    expect(res.body.data?.leadCapture.reference).toBeNull();
    expect(errors(res.body.data?.leadCapture)).toEqual(
      [
        'input.consent.contact:CONSENT_REQUIRED',
        'input.email:REQUIRED',
        'input.productIds.0:NOT_FOUND',
        'input.campaignId:NOT_FOUND',
      ].sort(),
    );
    const staffOnly = await shopper()(CAPTURE, { input: { email: unique(), channel: 'PORTAL', consent: { contact: true } } });
    expect(errors(staffOnly.body.data?.leadCapture)).toEqual(['input.channel:INVALID']);
  });

  it('matches an existing account by email or mobile and takes its segment', async () => {
    const res = await shopper()(CAPTURE, { input: { mobile: '+353 87 100 0001', channel: 'IVR', consent: { contact: true } } });
    const lead = await byId(res.body.data?.leadCapture.reference);
    expect(lead).toMatchObject({ channel: 'IVR', customer: { id: customerId('aoife') }, segment: 'consumer' });
  });

  it('is rate-limited per address: THROTTLED with a retry time, other addresses unaffected', async () => {
    const ip = testIp();
    const input = { email: unique(), consent: { contact: true } };
    for (let i = 0; i < 3; i += 1) expect((await shopper(ip)(CAPTURE, { input })).body.data?.leadCapture.reference).toBeTruthy();
    const refused = await shopper(ip)(CAPTURE, { input });
    expect(codes(refused)).toEqual(['THROTTLED']);
    expect((await shopper()(CAPTURE, { input })).body.data?.leadCapture.reference).toBeTruthy();
  });

  it('a signed-in customer captures from self-care, linked to their own account, yet reads no lead', async () => {
    const res = await aoife(CAPTURE, { input: { email: 'aoife@example.com', productIds: [PLAN], consent: { contact: true } } });
    const lead = await byId(res.body.data?.leadCapture.reference);
    expect(lead).toMatchObject({ channel: 'SELF_CARE', customer: { id: customerId('aoife') } });
    expect(codes(await aoife('{ leads { nodes { id } } }'))).toContain('GRAPHQL_VALIDATION_FAILED');
  });
});

const CREATE = `mutation ($input: LeadCreateInput!) { leadCreate(input: $input) { lead { ${LEAD} } userErrors { code field } } }`;
const UPDATE = `mutation ($input: LeadUpdateInput!) { leadUpdate(input: $input) { lead { ${LEAD} } userErrors { code field } } }`;

describe('leadCreate and leadUpdate (staff and partners)', () => {
  it('staff create in their segments only; a partner’s lead is PARTNER and its own', async () => {
    const created = (await consumerAgent(CREATE, { input: { email: unique(), channel: 'EMAIL', rating: 'HOT' } })).body.data?.leadCreate;
    expect(created.userErrors).toEqual([]);
    expect(created.lead).toMatchObject({ channel: 'EMAIL', segment: 'consumer', status: 'NEW' });
    const outside = (await consumerAgent(CREATE, { input: { email: unique(), segment: 'smb' } })).body.data?.leadCreate;
    expect(errors(outside)).toEqual(['input.segment:FORBIDDEN']);
    const partner = (await connectify(CREATE, { input: { mobile: '+353875550999', channel: 'WEB' } })).body.data?.leadCreate;
    expect(partner.lead).toMatchObject({ channel: 'PARTNER', partnerId: seedId('partner', 'connectify') });
  });

  it('a partner never links a lead to an account it does not serve', async () => {
    const res = (await connectify(CREATE, { input: { email: 'aoife@example.com' } })).body.data?.leadCreate;
    expect(res.lead.customer).toBeNull();
    const own = (await connectify(CREATE, { input: { email: 'niamh@example.com' } })).body.data?.leadCreate;
    expect(own.lead.customer).toEqual({ id: customerId('connectify-one') });
  });

  it('updates with the version read; a stale version is CONFLICT and writes nothing', async () => {
    const { lead } = (await manager(CREATE, { input: { email: unique() } })).body.data?.leadCreate ?? {};
    const first = (await manager(UPDATE, { input: { id: lead.id, version: lead.version, status: 'ACKNOWLEDGED', rating: 'WARM' } })).body
      .data?.leadUpdate;
    expect(first.lead).toMatchObject({ status: 'ACKNOWLEDGED', version: lead.version + 1 });
    const stale = (await manager(UPDATE, { input: { id: lead.id, version: lead.version, rating: 'COLD' } })).body.data?.leadUpdate;
    expect(errors(stale)).toEqual(['input.version:CONFLICT']);
    const rejected = (await manager(UPDATE, { input: { id: lead.id, version: first.lead.version, status: 'REJECTED' } })).body.data
      ?.leadUpdate;
    expect(errors(rejected)).toEqual(['input.rejectionReason:REQUIRED']);
    const done = (
      await manager(UPDATE, { input: { id: lead.id, version: first.lead.version, status: 'REJECTED', rejectionReason: 'No budget' } })
    ).body.data?.leadUpdate;
    expect(done.lead).toMatchObject({ status: 'REJECTED', tmfStatus: 'REJECTED', rejectionReason: 'No budget' });
    const converted = (await manager(UPDATE, { input: { id: lead.id, version: done.lead.version, status: 'CONVERTED' } })).body.data
      ?.leadUpdate;
    expect(errors(converted)).toEqual(['input.status:INVALID_TRANSITION']);
  });

  it('another partner’s or segment’s lead is NOT_FOUND', async () => {
    const { lead } = (await connectify(CREATE, { input: { email: unique() } })).body.data?.leadCreate ?? {};
    const skyline = (await signIn(stack.router.handler, 'partnerLogin', 'ops@skyline.example')).gql;
    const res = (await skyline(UPDATE, { input: { id: lead.id, version: lead.version, rating: 'HOT' } })).body.data?.leadUpdate;
    expect(errors(res)).toEqual(['input.id:NOT_FOUND']);
    const smb = (await manager(CREATE, { input: { email: unique(), segment: 'smb' } })).body.data?.leadCreate.lead;
    const agent = (await consumerAgent(UPDATE, { input: { id: smb.id, version: smb.version, rating: 'HOT' } })).body.data?.leadUpdate;
    expect(errors(agent)).toEqual(['input.id:NOT_FOUND']);
  });
});

describe('filters, sort and counts', () => {
  it('filters by status, rating, channel and campaign; sorts by score', async () => {
    const query = `query ($filter: LeadFilter, $sort: LeadSort) { leads(filter: $filter, sort: $sort, first: 100) {
      nodes { id status rating channel score campaign { id } } } }`;
    const hot = (await manager(query, { filter: { rating: ['HOT'], status: ['QUALIFIED', 'CONVERTED'] } })).body.data?.leads.nodes;
    expect(hot.length).toBeGreaterThan(0);
    for (const l of hot) expect(l.rating === 'HOT' && ['QUALIFIED', 'CONVERTED'].includes(l.status)).toBe(true);
    const ivr = (await manager(query, { filter: { channel: ['IVR'] } })).body.data?.leads.nodes;
    expect(ivr.every((l: { channel: string }) => l.channel === 'IVR')).toBe(true);
    const campaign = (await manager(query, { filter: { campaignId: CAMPAIGN } })).body.data?.leads.nodes;
    expect(campaign.map((l: { campaign: { id: string } }) => l.campaign.id)).toContain(CAMPAIGN);
    expect(new Set(campaign.map((l: { campaign: { id: string } }) => l.campaign.id))).toEqual(new Set([CAMPAIGN]));
    const scored = (await manager(query, { sort: 'SCORE' })).body.data?.leads.nodes.map((l: { score: number }) => l.score);
    expect(scored).toEqual([...scored].sort((a: number, b: number) => b - a));
  });

  it('pages by score with a cursor', async () => {
    const page = `query ($after: String) { leads(sort: SCORE, first: 2, after: $after) { nodes { id } pageInfo { endCursor } } }`;
    const one = (await manager(page)).body.data?.leads;
    const two = (await manager(page, { after: one.pageInfo.endCursor })).body.data?.leads;
    expect(two.nodes.map((n: { id: string }) => n.id)).not.toContain(one.nodes[0].id);
  });

  it('Campaign.leads and leadCounts, Customer.leadCounts (the 360° view)', async () => {
    const campaign = await manager(
      `query ($id: ID!) { campaign(id: $id) { leads(first: 100) { nodes { id } } leadCounts { total qualified converted } } }`,
      {
        id: CAMPAIGN,
      },
    );
    expect(campaign.body.errors).toBeUndefined();
    const counts = campaign.body.data?.campaign.leadCounts;
    expect(counts.total).toBe(campaign.body.data?.campaign.leads.nodes.length);
    expect(counts.total).toBeGreaterThanOrEqual(2);
    const globex = await manager(`query ($id: ID!) { customer(id: $id) { leadCounts { total qualified converted } } }`, {
      id: customerId('globex'),
    });
    expect(globex.body.data?.customer.leadCounts).toMatchObject({ qualified: expect.any(Number), converted: expect.any(Number) });
    expect(globex.body.data?.customer.leadCounts.converted).toBeGreaterThanOrEqual(1);
  });
});

describe('the outbox', () => {
  it('publishes what the bus missed: the periodic task sends unpublished lead.captured once', async () => {
    const reference = (await shopper()(CAPTURE, { input: { email: unique(), consent: { contact: true } } })).body.data?.leadCapture
      .reference as string;
    const opportunity = stack.subgraphs.find((s) => s.definition.name === 'opportunity') as Stack['subgraphs'][number];
    const sql = (query: string, params: unknown[] = []) => opportunity.orm.em.fork().getConnection().execute(query, params);
    // As if the bus had been down at commit.
    await sql(`update "opportunity"."outbox" set published_at = null where payload->>'leadId' = ?`, [reference]);
    const heard = () => events.filter((e) => e.leadId === reference).length;
    const before = heard();
    // No notification is due in this subgraph: the customer target is never called.
    const customer = { name: 'customer', ready: async () => true, execute: async () => ({ errors: [{ message: 'unused' }] }) };
    const services = { peers: () => customer, bus: stack.bus, clock: { now: () => new Date() } };
    const first = await runPeriodic(opportunity.orm.em.fork() as never, services as never);
    expect(first.events).toBeGreaterThanOrEqual(1);
    expect(heard()).toBe(before + 1);
    await runPeriodic(opportunity.orm.em.fork() as never, services as never);
    expect(heard()).toBe(before + 1);
  });
});
