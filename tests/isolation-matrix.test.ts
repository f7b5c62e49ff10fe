import { internalSecret, PRINCIPAL_HEADER, type Principal, seedId, signAccessToken, signPrincipal } from '@dcrm/kit';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
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
  testIp,
} from './support/stack.js';

/**
 * Who sees which account, through the router: every query and nested field that returns customer
 * data, for pairs that must not see each other's.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};

const ID = {
  aoife: customerId('aoife'),
  conor: customerId('conor'),
  acme: customerId('acme-telecom-buyers'),
  acmeDublin: customerId('acme-dublin'),
  acmeCork: customerId('acme-cork'),
  warehouse: customerId('acme-cork-warehouse'),
  globex: customerId('globex'),
  niamh: customerId('connectify-one'),
  kelly: customerId('connectify-two'),
  sean: customerId('skyline-one'),
  oliver: customerId('oliver'),
};

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.conor = (await signIn(h, 'customerLogin', 'conor@example.com', KEYS.volt)).gql;
  as.acme = (await signIn(h, 'customerLogin', 'it@acme.example', KEYS.volt)).gql;
  as.acmeCork = (await signIn(h, 'customerLogin', 'cork@acme.example', KEYS.volt)).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
  as.skyline = (await signIn(h, 'partnerLogin', 'ops@skyline.example')).gql;
  as.connectifyKey = client(h, PRIVATE_KEYS.connectifyPartner);
  as.consumerAgent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.businessAgent = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  as.voltManager = (await signIn(h, 'staffLogin', 'manager@volt.example')).gql;
  as.nimbusAgent = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  as.chatbot = client(h, PRIVATE_KEYS.voltChatbot);
  as.shopper = client(h, KEYS.volt);
});
afterAll(() => stack.stop());

const byId = (gql: Gql, id: string) => gql(`query ($id: ID!) { customer(id: $id) { id name } }`, { id });
const listed = async (gql: Gql) =>
  ((await gql('{ customers(first: 100) { nodes { id } } }')).body.data!.customers.nodes as { id: string }[]).map((n) => n.id).sort();

/**
 * A partner's accounts, each checked to be the partner's: the seeded ones, and whatever sub-accounts other
 * test files open under them meanwhile (a sub-account keeps its parent's partner).
 */
async function partnerListed(gql: Gql): Promise<string[]> {
  const res = await gql('{ customers(first: 100) { nodes { id partner { name } } } }');
  const nodes = res.body.data?.customers.nodes as { id: string; partner: { name: string } | null }[];
  expect(nodes.filter((n) => n.partner?.name !== 'Connectify Resellers')).toEqual([]);
  return nodes.map((n) => n.id);
}

async function sees(gql: Gql, id: string): Promise<boolean> {
  const res = await byId(gql, id);
  if (res.body.data?.customer?.id === id) return true;
  expect(codes(res)).toEqual(['NOT_FOUND']);
  return false;
}

describe('customer A vs customer B', () => {
  it('a customer sees only their own account, by me, by id and by list', async () => {
    expect((await as.aoife('{ me { id email } }')).body.data?.me).toEqual({ id: ID.aoife, email: 'aoife@example.com' });
    expect(await sees(as.aoife, ID.aoife)).toBe(true);
    expect(await sees(as.aoife, ID.conor)).toBe(false);
    expect(await sees(as.conor, ID.aoife)).toBe(false);
    expect(await listed(as.aoife)).toEqual([ID.aoife]);
  });

  it("a business account's holder sees its descendants, not its parent or siblings", async () => {
    expect(await listed(as.acme)).toEqual([ID.acme, ID.acmeDublin, ID.acmeCork, ID.warehouse].sort());
    const tree = (await as.acme('{ me { descendantCount children { nodes { name children { nodes { name } } } } } }')).body.data?.me;
    expect(tree.descendantCount).toBe(3);
    expect(tree.children.nodes.map((c: { name: string }) => c.name).sort()).toEqual(['Acme Cork Office', 'Acme Dublin Office']);
    expect(await sees(as.acmeCork, ID.warehouse)).toBe(true);
    expect(await sees(as.acmeCork, ID.acme)).toBe(false);
    expect(await sees(as.acmeCork, ID.acmeDublin)).toBe(false);
    expect((await as.acmeCork('{ me { parent { id } } }')).body.data?.me.parent).toBeNull();
  });

  it("keeps a customer's inbox theirs, and agents' identities from customers", async () => {
    const own = (await as.aoife('{ me { siteMessages { unreadCount nodes { title } } interactions { nodes { channel } } } }')).body.data
      ?.me;
    // Other test files may add reminders or read one meanwhile: assert the rule, not a count.
    expect(own.siteMessages.nodes.length).toBeGreaterThanOrEqual(2);
    expect(own.siteMessages.unreadCount).toBeLessThanOrEqual(own.siteMessages.nodes.length);
    expect(own.interactions.nodes.length).toBeGreaterThan(0);
    // An interaction's agent is not in the customer's schema view at all.
    expect(codes(await as.aoife('{ me { interactions { nodes { channel staff { name } } } } }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const agent = await as.consumerAgent(
      `{ customer(id: "${ID.aoife}") { siteMessages { nodes { title } unreadCount } interactions { nodes { staff { name } } } } }`,
    );
    expect(agent.body.data?.customer.siteMessages).toEqual({ nodes: [], unreadCount: 0 });
    expect(agent.body.data?.customer.interactions.nodes.some((i: { staff: unknown }) => i.staff !== null)).toBe(true);
  });
});

describe('partner P1 vs partner P2', () => {
  it('a partner user sees only accounts with its partner id', async () => {
    expect(await partnerListed(as.connectify)).toEqual(expect.arrayContaining([ID.niamh, ID.kelly]));
    expect(await listed(as.skyline)).toEqual([ID.sean]);
    expect(await sees(as.connectify, ID.sean)).toBe(false);
    expect(await sees(as.skyline, ID.niamh)).toBe(false);
    expect(await sees(as.connectify, ID.aoife)).toBe(false);
  });

  it("a partner's API key sees the same and no more", async () => {
    expect(await partnerListed(as.connectifyKey)).toEqual(expect.arrayContaining([ID.niamh, ID.kelly]));
    expect(await sees(as.connectifyKey, ID.sean)).toBe(false);
  });

  it('nested: a partner never reaches a parent or child outside its accounts', async () => {
    const res = await as.connectify(
      `{ customer(id: "${ID.kelly}") { name parent { id } children { nodes { partner { name } } } partner { name } } }`,
    );
    const kelly = res.body.data?.customer;
    expect(kelly).toMatchObject({ name: 'Kelly Plumbing', parent: null, partner: { name: 'Connectify Resellers' } });
    // Other test files open sub-accounts under Kelly meanwhile: each child seen is one of the partner's.
    expect(kelly.children.nodes.every((c: { partner: { name: string } | null }) => c.partner?.name === 'Connectify Resellers')).toBe(true);
  });
});

describe('staff segment X vs segment Y', () => {
  it('staff see the customers of their segments only', async () => {
    expect(await sees(as.consumerAgent, ID.aoife)).toBe(true);
    expect(await sees(as.consumerAgent, ID.acme)).toBe(false);
    expect(await sees(as.businessAgent, ID.acme)).toBe(true);
    expect(await sees(as.businessAgent, ID.globex)).toBe(true);
    expect(await sees(as.businessAgent, ID.aoife)).toBe(false);
    const consumers = await listed(as.consumerAgent);
    expect(consumers).toContain(ID.aoife);
    expect(consumers).not.toContain(ID.acme);
  });

  it('identity lookup respects segments too', async () => {
    const query = 'query ($m: String) { customerByIdentity(mobile: $m) { id } }';
    expect((await as.businessAgent(query, { m: '+353871000010' })).body.data?.customerByIdentity).toEqual({ id: ID.acme });
    expect(codes(await as.consumerAgent(query, { m: '+353871000010' }))).toEqual(['NOT_FOUND']);
  });

  it("children outside an agent's segments are filtered from a visible parent", async () => {
    const manager = await as.voltManager(`{ customer(id: "${ID.acme}") { children { nodes { id } } } }`);
    expect(manager.body.data?.customer.children.nodes).toHaveLength(2);
    // Read backward, the same two.
    const back = await as.voltManager(`{ customer(id: "${ID.acme}") { children(last: 1) { nodes { id } pageInfo { hasPreviousPage } } } }`);
    expect(back.body.data?.customer.children).toMatchObject({
      nodes: [{ id: manager.body.data?.customer.children.nodes[1].id }],
      pageInfo: { hasPreviousPage: true },
    });
  });
});

describe('brand A vs brand B', () => {
  it("staff of one brand never see another brand's customers, even with every segment", async () => {
    expect(await sees(as.voltManager, ID.oliver)).toBe(false);
    expect(await sees(as.nimbusAgent, ID.aoife)).toBe(false);
    expect(await listed(as.nimbusAgent)).not.toContain(ID.aoife);
  });

  it("the same email in two brands is two accounts; lookup finds the brand's own", async () => {
    const res = await as.nimbusAgent('{ customerByIdentity(email: "aoife@example.com") { id storefront { id } } }');
    expect(res.body.data?.customerByIdentity.id).not.toBe(ID.aoife);
    expect(res.body.data?.customerByIdentity.storefront).toEqual({ id: STOREFRONT_IDS.nimbus });
  });

  it("staff of one brand never see another brand's bulk operations, by id or by list; callers without bulk:manage see none", async () => {
    const create = `mutation ($input: BulkOperationCreateInput!) { bulkOperationCreate(input: $input) { bulkOperation { id } } }`;
    const content = 'name,email\nIso Matrix,iso-matrix@example.com';
    const res = await as.voltManager(create, { input: { action: 'customer.import', format: 'CSV', content } });
    const id = res.body.data?.bulkOperationCreate.bulkOperation.id as string;
    const get = (gql: Gql) => gql('query ($id: ID!) { bulkOperation(id: $id) { id } }', { id });
    const list = async (gql: Gql) =>
      ((await gql('{ bulkOperations(first: 100) { edges { node { id } } } }')).body.data?.bulkOperations.edges ?? []).map(
        (e: { node: { id: string } }) => e.node.id,
      );
    expect((await get(as.voltManager)).body.data?.bulkOperation).toEqual({ id });
    expect(await list(as.voltManager)).toContain(id);
    expect((await get(as.nimbusAgent)).body.data?.bulkOperation).toBeNull();
    expect(await list(as.nimbusAgent)).not.toContain(id);
    expect(codes(await get(as.consumerAgent))).toEqual(['FORBIDDEN']);
    for (const outsider of [as.aoife, as.connectify, as.shopper]) expect((await get(outsider)).body.data?.bulkOperation ?? null).toBeNull();
  });

  it("a customer token does not work with another brand's key", async () => {
    const { accessToken } = await signIn(stack.router.handler, 'customerLogin', 'aoife@example.com', KEYS.volt);
    const res = await client(stack.router.handler, KEYS.nimbus, { authorization: `Bearer ${accessToken}` })('{ me { id } }');
    expect(res.status).toBe(401);
  });
});

describe('callers without customer access', () => {
  it('a storefront key sees no customer data; a chatbot key only looks up by identity', async () => {
    expect(codes(await as.shopper(`{ customer(id: "${ID.aoife}") { id } }`))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await as.shopper('{ customers { nodes { id } } }'))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await as.shopper('{ customerByIdentity(mobile: "+353871000001") { id } }'))).toEqual(['FORBIDDEN']);
    expect((await as.chatbot('{ customerByIdentity(mobile: "+353871000001") { id } }')).body.data?.customerByIdentity).toEqual({
      id: ID.aoife,
    });
    expect(codes(await as.chatbot(`{ customer(id: "${ID.aoife}") { id } }`))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('straight to the customer subgraph', () => {
  const entities = `{ _entities(representations: [{ __typename: "Customer", id: "${ID.niamh}" }]) { ... on Customer { name email } } }`;
  const customerServer = () =>
    stack.subgraphs.find((s) => s.definition.name === 'customer')?.server.handler as Parameters<typeof request>[0];
  const principal = (p: Partial<Principal>): Principal => ({
    kind: 'partner',
    id: 'x',
    storefrontId: STOREFRONT_IDS.volt,
    partnerId: null,
    roles: [],
    scopes: [],
    ...p,
  });

  it('_entities with a principal signed by a wrong key is 401', async () => {
    const body = { query: entities };
    const forged = signPrincipal(principal({ kind: 'service', scopes: ['*'] }), 'w'.repeat(48), { audience: 'customer', body });
    const res = await request(customerServer())
      .post('/graphql')
      .set({ 'content-type': 'application/json', [PRINCIPAL_HEADER]: forged })
      .send(body);
    expect(res.status).toBe(401);
  });

  it("_entities with a genuine principal still applies row rules: P2 gets null for P1's account", async () => {
    const body = { query: entities };
    const skyline = signPrincipal(principal({ partnerId: seedId('partner', 'skyline') }), internalSecret(), { audience: 'customer', body });
    const res = await request(customerServer())
      .post('/graphql')
      .set({ 'content-type': 'application/json', [PRINCIPAL_HEADER]: skyline })
      .send(body);
    expect(res.status).toBe(200);
    expect(res.body.data._entities).toEqual([null]);
  });
});

describe('tokens', () => {
  it('an expired token is refused', async () => {
    const p: Principal = { kind: 'customer', id: ID.aoife, storefrontId: STOREFRONT_IDS.volt, partnerId: null, roles: [], scopes: [] };
    const { token } = await signAccessToken(
      p,
      new TextEncoder().encode('dcrm-development-jwt-secret-change-me-please'),
      'sid',
      Date.now() - 3600_000,
    );
    const res = await client(stack.router.handler, undefined, { authorization: `Bearer ${token}` })('{ me { id } }');
    expect(res.status).toBe(401);
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
  });

  it('a tampered token is refused', async () => {
    const { accessToken } = await signIn(stack.router.handler, 'customerLogin', 'conor@example.com', KEYS.volt);
    const [header, payload, signature] = accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: ID.aoife })).toString('base64url');
    const res = await client(stack.router.handler, undefined, { authorization: `Bearer ${header}.${forged}.${signature}` })(
      '{ me { id } }',
    );
    expect(res.status).toBe(401);
  });
});

describe('audit trail: brand A vs brand B, and who may read it', () => {
  const trail = (id: string) =>
    `{ auditTrail(entityType: "Customer", entityId: "${id}") { edges { node { entityId storefrontId actorKind } } } }`;
  const entries = async (gql: Gql, id: string) => ((await gql(trail(id))).body.data?.auditTrail.edges ?? []) as unknown[];

  it("staff with audit:read read their brands' records only; a grant of two brands reads both", async () => {
    expect(await entries(as.voltManager, ID.aoife)).not.toEqual([]);
    expect(await entries(as.voltManager, ID.oliver)).toEqual([]);
    expect(await entries(as.nimbusAgent, ID.aoife)).toEqual([]);
    expect(await entries(as.nimbusAgent, ID.oliver)).not.toEqual([]);
    const regional = (await signIn(stack.router.handler, 'staffLogin', 'regional@dcrm.example')).gql;
    expect(await entries(regional, ID.aoife)).not.toEqual([]);
    expect(await entries(regional, ID.oliver)).not.toEqual([]);
    // Another brand's account is not found, so neither is its trail.
    expect(codes(await as.nimbusAgent(`{ customer(id: "${ID.aoife}") { auditTrail { edges { cursor } } } }`))).toEqual(['NOT_FOUND']);
  });

  it('staff without audit:read are refused; customers, partners and keys cannot name it', async () => {
    expect(codes(await as.consumerAgent(trail(ID.aoife)))).toEqual(['FORBIDDEN']);
    for (const gql of [as.aoife, as.connectify, as.connectifyKey, as.chatbot, as.shopper]) {
      expect(codes(await gql(trail(ID.aoife)))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    }
  });

  it("each subgraph's _auditRecords answers service calls only, within the brands they carry", async () => {
    const query = `{ _auditRecords(entityType: "Customer", entityId: "${ID.aoife}") { id } }`;
    const ask = (p: Principal) => {
      const body = { query };
      const header = signPrincipal(p, internalSecret(), { audience: 'customer', body });
      return request(stack.subgraphs.find((s) => s.definition.name === 'customer')?.server.handler as Parameters<typeof request>[0])
        .post('/graphql')
        .set({ 'content-type': 'application/json', [PRINCIPAL_HEADER]: header })
        .send(body);
    };
    const base = { id: 'customer', partnerId: null, roles: [], scopes: ['audit:read'] };
    const staff = await ask({ ...base, kind: 'staff', storefrontId: STOREFRONT_IDS.volt });
    expect(staff.body.errors?.map((e: { extensions?: { code?: string } }) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const volt = await ask({ ...base, kind: 'service', storefrontId: STOREFRONT_IDS.volt, storefronts: [STOREFRONT_IDS.volt] });
    expect(volt.body.data._auditRecords.length).toBeGreaterThan(0);
    const nimbus = await ask({ ...base, kind: 'service', storefrontId: STOREFRONT_IDS.nimbus, storefronts: [STOREFRONT_IDS.nimbus] });
    expect(nimbus.body.data._auditRecords).toEqual([]);
  });
});

describe('administration: staff directory, access groups, partner users', () => {
  const STAFF = { voltConsumer: seedId('staff', 'volt-consumer'), nimbusAgent: seedId('staff', 'nimbus-agent') };
  const PARTNER = { connectify: seedId('partner', 'connectify'), skyline: seedId('partner', 'skyline') };
  const members = async (gql: Gql) =>
    ((await gql('{ staffMembers(first: 100) { nodes { id } } }')).body.data?.staffMembers.nodes ?? []).map((n: { id: string }) => n.id);
  const partnerUsers = (gql: Gql, partnerId?: string) =>
    gql('query ($p: ID) { partnerUsers(partnerId: $p, first: 100) { nodes { email partner { id } } } }', { p: partnerId });

  it("staff administrators see their brand's members only; agents without staff:manage see none", async () => {
    expect(await members(as.voltManager)).toContain(STAFF.voltConsumer);
    expect(await members(as.voltManager)).not.toContain(STAFF.nimbusAgent);
    expect(await members(as.nimbusAgent)).not.toContain(STAFF.voltConsumer);
    const other = await as.voltManager('query ($id: ID!) { staff(id: $id) { id } }', { id: STAFF.nimbusAgent });
    expect(codes(other)).toEqual(['NOT_FOUND']);
    expect(codes(await as.consumerAgent('{ staffMembers { nodes { id } } }'))).toEqual(['FORBIDDEN']);
    expect(codes(await as.consumerAgent('{ accessGroups { id } }'))).toEqual(['FORBIDDEN']);
  });

  it("partner users: a partner admin sees its own only, staff their brand's partners, keys none", async () => {
    const own = (await partnerUsers(as.connectify)).body.data?.partnerUsers.nodes;
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((u: { partner: { id: string } }) => u.partner.id === PARTNER.connectify)).toBe(true);
    expect(codes(await partnerUsers(as.skyline, PARTNER.connectify))).toEqual(['NOT_FOUND']);
    expect(codes(await partnerUsers(as.nimbusAgent, PARTNER.connectify))).toEqual(['NOT_FOUND']);
    expect((await partnerUsers(as.voltManager, PARTNER.skyline)).body.data?.partnerUsers.nodes.length).toBeGreaterThan(0);
    expect(codes(await partnerUsers(as.connectifyKey))).toEqual(['FORBIDDEN']);
    expect(codes(await partnerUsers(as.consumerAgent, PARTNER.connectify))).toEqual(['FORBIDDEN']);
  });
});

describe('notifications: templates and sent history', () => {
  const HISTORY = `query ($id: ID!) { notificationsSent(filter: { customerId: $id }) { nodes { id channel } } }`;
  const OWN = `query ($id: ID!) { customer(id: $id) { notificationsSent { nodes { id } } } }`;

  beforeAll(async () => {
    // A recorded message for Aoife (a reset code by email; her password stays as it is). A reset request
    // counts as a failed sign-in of (email, address) for a day, in Redis shared by every run on this
    // machine: a fresh address per run keeps repeated runs from throttling each other.
    const res = await client(stack.router.handler, KEYS.volt, { 'x-forwarded-for': testIp() })(
      'mutation { customerPasswordResetRequest(input: { email: "aoife@example.com" }) { ok } }',
    );
    expect(res.body).toMatchObject({ data: { customerPasswordResetRequest: { ok: true } } });
  });

  it('the account holder and staff of its segment see its history; other segments, brands and customers do not', async () => {
    const own = (await as.aoife('{ me { notificationsSent { nodes { channel } } } }')).body.data?.me.notificationsSent.nodes;
    expect(own.length).toBeGreaterThanOrEqual(1);
    expect((await as.consumerAgent(OWN, { id: ID.aoife })).body.data?.customer.notificationsSent.nodes.length).toBeGreaterThanOrEqual(1);
    expect((await as.consumerAgent(HISTORY, { id: ID.aoife })).body.data?.notificationsSent.nodes.length).toBeGreaterThanOrEqual(1);
    expect((await as.businessAgent(HISTORY, { id: ID.aoife })).body.data?.notificationsSent.nodes).toEqual([]);
    expect((await as.nimbusAgent(HISTORY, { id: ID.aoife })).body.data?.notificationsSent.nodes).toEqual([]);
    expect(codes(await as.conor(OWN, { id: ID.aoife }))).toEqual(['NOT_FOUND']);
  });

  it('partners, their keys, chatbots and shoppers never read sent messages or templates', async () => {
    // Outside the partner's schema view (400), or null and FORBIDDEN.
    const partner = await as.connectify(OWN, { id: ID.niamh });
    expect(partner.body.data?.customer?.notificationsSent ?? null).toBeNull();
    expect(partner.status === 400 || codes(partner).includes('FORBIDDEN')).toBe(true);
    for (const caller of [as.connectify, as.connectifyKey, as.chatbot, as.shopper, as.aoife]) {
      const res = await caller(HISTORY, { id: ID.aoife });
      expect(res.body.data?.notificationsSent ?? null).toBeNull();
      expect(res.status === 400 || codes(res).includes('FORBIDDEN')).toBe(true);
      expect((await caller('{ notificationTemplates { id } }')).body.data?.notificationTemplates ?? null).toBeNull();
    }
  });

  it("staff of one brand see their brand's templates and the defaults only", async () => {
    const nimbus = (await as.nimbusAgent('{ notificationTemplates { storefront { id } } }')).body.data?.notificationTemplates as {
      storefront: { id: string } | null;
    }[];
    expect(nimbus.length).toBeGreaterThan(0);
    expect(nimbus.every((t) => t.storefront === null || t.storefront.id === STOREFRONT_IDS.nimbus)).toBe(true);
  });
});

describe('NPS read back: brand and segment', () => {
  const VOLT_SURVEY = seedId('nps-survey', 'volt');
  const period = { from: new Date(Date.now() - 60 * 86_400_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() };
  const report = `query ($surveyId: ID, $segment: String, $from: DateTime!, $to: DateTime!) {
    npsReport(surveyId: $surveyId, segment: $segment, from: $from, to: $to) { summary { responses } segments { segment } }
  }`;
  const responses = 'query ($surveyId: ID) { npsSurveyResponses(surveyId: $surveyId, first: 100) { nodes { segment } } }';

  it("staff of another brand get NOT_FOUND for a brand's survey and none of its surveys in their list", async () => {
    expect(codes(await as.nimbusAgent(report, { surveyId: VOLT_SURVEY, ...period }))).toEqual(['NOT_FOUND']);
    expect(codes(await as.nimbusAgent(responses, { surveyId: VOLT_SURVEY }))).toEqual(['NOT_FOUND']);
    const listed = (await as.nimbusAgent('{ npsSurveys(first: 100) { nodes { id } } }')).body.data?.npsSurveys.nodes as { id: string }[];
    expect(listed.map((s) => s.id)).not.toContain(VOLT_SURVEY);
  });

  it('staff read NPS of their segments only; another segment reads as empty', async () => {
    const own = (await as.consumerAgent(report, { surveyId: VOLT_SURVEY, ...period })).body.data?.npsReport;
    expect(own.segments).toEqual([{ segment: 'consumer' }]);
    expect((await as.businessAgent(report, { surveyId: VOLT_SURVEY, segment: 'consumer', ...period })).body.data?.npsReport).toEqual({
      summary: { responses: 0 },
      segments: [],
    });
    const rows = (await as.businessAgent(responses, { surveyId: VOLT_SURVEY })).body.data?.npsSurveyResponses.nodes as {
      segment: string;
    }[];
    expect(rows.every((r) => ['smb', 'enterprise'].includes(r.segment))).toBe(true);
  });

  it("customers, partners and keys reach no staff NPS query; a customer's active survey is their brand's", async () => {
    for (const gql of [as.aoife, as.connectify, as.connectifyKey, as.shopper])
      expect(codes(await gql('{ npsSurveys { nodes { id } } }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(distinctCodes(await as.chatbot(report, period))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const active = (await as.aoife('{ npsActiveSurvey { question } }')).body.data?.npsActiveSurvey;
    expect(active === null || typeof active.question === 'string').toBe(true);
  });
});

describe('quotes', () => {
  const QUOTE = (key: string) => seedId('quote', key);
  const quotes = async (gql: Gql) =>
    ((await gql('{ quotes(first: 100) { nodes { id } } }')).body.data?.quotes.nodes as { id: string }[] | undefined)?.map((q) => q.id);
  const quote = (gql: Gql, key: string) => gql('query ($id: ID!) { quote(id: $id) { id } }', { id: QUOTE(key) });

  it("a customer reads their own quotes only; another customer's is NOT_FOUND", async () => {
    // Other test files may create quotes for these accounts meanwhile: only their own, never another's.
    const owners = async (gql: Gql) => {
      const nodes = ((await gql('{ quotes(first: 100) { nodes { customer { id } } } }')).body.data?.quotes.nodes ?? []) as {
        customer: { id: string } | null;
      }[];
      return new Set(nodes.map((q) => q.customer?.id));
    };
    expect(await quotes(as.aoife)).toContain(QUOTE('aoife-1'));
    expect(await owners(as.aoife)).toEqual(new Set([ID.aoife]));
    expect(await quotes(as.conor)).not.toContain(QUOTE('aoife-1'));
    expect([...(await owners(as.conor))].filter((id) => id !== ID.conor)).toEqual([]);
    expect(codes(await quote(as.conor, 'aoife-1'))).toEqual(['NOT_FOUND']);
    expect(codes(await quote(as.aoife, 'acme-1'))).toEqual(['NOT_FOUND']);
  });

  it("partners read their accounts' quotes only", async () => {
    const connectify = await quotes(as.connectify);
    expect(connectify).toContain(QUOTE('niamh-1'));
    for (const key of ['aoife-1', 'acme-1', 'prospect-1']) expect(connectify).not.toContain(QUOTE(key));
    expect(await quotes(as.skyline)).not.toContain(QUOTE('niamh-1'));
    expect(codes(await quote(as.skyline, 'niamh-1'))).toEqual(['NOT_FOUND']);
  });

  it('staff read the quotes of their segments and brand only', async () => {
    expect(await quotes(as.consumerAgent)).not.toContain(QUOTE('acme-1'));
    expect(codes(await quote(as.consumerAgent, 'acme-1'))).toEqual(['NOT_FOUND']);
    expect(await quotes(as.businessAgent)).not.toContain(QUOTE('aoife-1'));
    expect(codes(await quote(as.businessAgent, 'aoife-1'))).toEqual(['NOT_FOUND']);
    expect(await quotes(as.nimbusAgent)).not.toContain(QUOTE('aoife-1'));
    expect(codes(await quote(as.nimbusAgent, 'aoife-1'))).toEqual(['NOT_FOUND']);
    expect(codes(await quote(as.voltManager, 'oliver-1'))).toEqual(['NOT_FOUND']);
  });

  it("a customer's quotes through another account's 360° view stay hidden", async () => {
    const res = await as.conor('{ me { quotes { nodes { id } } } }');
    expect(res.body.data?.me.quotes.nodes).toEqual([]);
  });

  it('quote writes reach only the rows a caller may see; nothing else is changed', async () => {
    const UPDATE = 'mutation ($input: QuoteUpdateInput!) { quoteUpdate(input: $input) { quote { id } userErrors { code } } }';
    const CREATE = 'mutation ($input: QuoteCreateInput!) { quoteCreate(input: $input) { quote { id } userErrors { code } } }';
    const update = async (gql: Gql, key: string) =>
      (await gql(UPDATE, { input: { id: QUOTE(key), version: 1, promoCodes: [] } })).body.data?.quoteUpdate.userErrors.map(
        (e: { code: string }) => e.code,
      );
    expect(await update(as.consumerAgent, 'acme-1')).toEqual(['NOT_FOUND']);
    expect(await update(as.businessAgent, 'aoife-1')).toEqual(['NOT_FOUND']);
    expect(await update(as.nimbusAgent, 'aoife-1')).toEqual(['NOT_FOUND']);
    expect(await update(as.conor, 'aoife-1')).toEqual(['NOT_FOUND']);
    expect(await update(as.skyline, 'niamh-1')).toEqual(['NOT_FOUND']);
    const lines = [{ productId: seedId('product', 'volt-sim-5gb') }];
    const create = async (gql: Gql, customer: string) =>
      (await gql(CREATE, { input: { customerId: customer, lines } })).body.data?.quoteCreate.userErrors.map(
        (e: { code: string }) => e.code,
      );
    expect(await create(as.consumerAgent, ID.acme)).toEqual(['NOT_FOUND']);
    expect(await create(as.skyline, ID.niamh)).toEqual(['NOT_FOUND']);
    expect(await create(as.conor, ID.aoife)).toEqual(['NOT_FOUND']);
    expect(await create(as.nimbusAgent, ID.aoife)).toEqual(['NOT_FOUND']);
    for (const gql of [as.shopper, as.chatbot])
      expect(codes(await gql(UPDATE, { input: { id: QUOTE('aoife-1'), version: 1 } }))).toEqual(['UNAUTHENTICATED']);
  });

  it('anonymous keys and the chatbot reach no quote', async () => {
    for (const gql of [as.shopper, as.chatbot]) expect(codes(await gql('{ quotes { nodes { id } } }'))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('teams: brand A vs brand B, and who may read them', () => {
  const TEAMS = {
    voltSales: seedId('team', 'volt-sales'),
    nimbusSales: seedId('team', 'nimbus-sales'),
    finance: seedId('team', 'finance'),
  };
  const listed = async (gql: Gql) =>
    ((await gql('{ teams(first: 100) { nodes { id } } }')).body.data?.teams.nodes ?? []).map((t: { id: string }) => t.id);

  it("staff list their brand's teams and the shared ones, never the other brand's; nested members stay in the brand", async () => {
    expect(await listed(as.consumerAgent)).toEqual(expect.arrayContaining([TEAMS.voltSales, TEAMS.finance]));
    expect(await listed(as.consumerAgent)).not.toContain(TEAMS.nimbusSales);
    expect(await listed(as.nimbusAgent)).toEqual(expect.arrayContaining([TEAMS.nimbusSales, TEAMS.finance]));
    expect(await listed(as.nimbusAgent)).not.toContain(TEAMS.voltSales);
    const own = (await as.nimbusAgent('{ staffMe { teams { id members(first: 100) { nodes { email } } } } }')).body.data?.staffMe.teams as {
      id: string;
      members: { nodes: { email: string }[] };
    }[];
    expect(own.map((t) => t.id)).not.toContain(TEAMS.voltSales);
    expect(own.flatMap((t) => t.members.nodes.map((m) => m.email)).every((e) => !e.endsWith('@volt.example'))).toBe(true);
  });

  it('a team of another brand resolves to null by reference, for staff and for a service of the other brand', async () => {
    const query = `{ _entities(representations: [{ __typename: "Team", id: "${TEAMS.voltSales}" }]) { ... on Team { name } } }`;
    const ask = (p: Principal) => {
      const body = { query };
      return request(stack.subgraphs.find((s) => s.definition.name === 'customer')?.server.handler as Parameters<typeof request>[0])
        .post('/graphql')
        .set({ 'content-type': 'application/json', [PRINCIPAL_HEADER]: signPrincipal(p, internalSecret(), { audience: 'customer', body }) })
        .send(body);
    };
    const base = { id: 'x', partnerId: null, roles: [], scopes: [] };
    expect((await ask({ ...base, kind: 'staff', storefrontId: STOREFRONT_IDS.volt })).body.data._entities).toEqual([
      { name: 'Volt sales' },
    ]);
    expect((await ask({ ...base, kind: 'staff', storefrontId: STOREFRONT_IDS.nimbus })).body.data._entities).toEqual([null]);
    expect((await ask({ ...base, kind: 'service', storefrontId: STOREFRONT_IDS.nimbus })).body.data._entities).toEqual([null]);
    expect((await ask({ ...base, kind: 'customer', storefrontId: STOREFRONT_IDS.volt })).body.data._entities).toEqual([null]);
  });

  it('customers, partners, their keys and storefront keys cannot name teams', async () => {
    for (const gql of [as.aoife, as.connectify, as.connectifyKey, as.chatbot, as.shopper])
      expect(distinctCodes(await gql('{ teams { id } }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});

describe('tickets: customer, partner, segment and brand', () => {
  const TICKET = {
    aoife: seedId('ticket', 'aoife-no-data'),
    acme: seedId('ticket', 'acme-pbx-down'),
    connectify: seedId('ticket', 'connectify-sim'),
    skyline: seedId('ticket', 'skyline-port'),
    oliver: seedId('ticket', 'oliver-broadband'),
  };
  const ticketIds = async (gql: Gql) =>
    ((await gql('{ tickets(first: 100) { nodes { id } } }')).body.data?.tickets.nodes ?? []).map((n: { id: string }) => n.id);
  const seesTicket = async (gql: Gql, id: string) => {
    const res = await gql('query ($id: ID!) { ticket(id: $id) { id } }', { id });
    if (res.body.data?.ticket?.id === id) return true;
    expect(codes(res)).toEqual(['NOT_FOUND']);
    return false;
  };

  it('customer A never sees customer B’s tickets; partners only their accounts’', async () => {
    expect(await seesTicket(as.aoife, TICKET.aoife)).toBe(true);
    expect(await seesTicket(as.conor, TICKET.aoife)).toBe(false);
    expect(await ticketIds(as.conor)).not.toContain(TICKET.aoife);
    // Other test files raise tickets on partners' accounts too: whose tickets, not how many.
    const accounts = async (gql: Gql) =>
      new Set(
        ((await gql('{ tickets(first: 100) { nodes { customer { id } } } }')).body.data?.tickets.nodes ?? []).map(
          (n: { customer: { id: string } }) => n.customer.id,
        ),
      );
    for (const gql of [as.connectify, as.connectifyKey]) {
      expect(await ticketIds(gql)).toContain(TICKET.connectify);
      expect([...(await accounts(gql))].every((id) => id === ID.niamh || id === ID.kelly)).toBe(true);
    }
    expect(await ticketIds(as.skyline)).toContain(TICKET.skyline);
    expect([...(await accounts(as.skyline))]).toEqual([ID.sean]);
    expect(await seesTicket(as.skyline, TICKET.connectify)).toBe(false);
  });

  it('staff see their segments’ tickets in their brands only', async () => {
    expect(await seesTicket(as.consumerAgent, TICKET.aoife)).toBe(true);
    expect(await seesTicket(as.consumerAgent, TICKET.acme)).toBe(false);
    expect(await seesTicket(as.businessAgent, TICKET.acme)).toBe(true);
    expect(await seesTicket(as.businessAgent, TICKET.aoife)).toBe(false);
    expect(await seesTicket(as.voltManager, TICKET.oliver)).toBe(false);
    expect(await seesTicket(as.nimbusAgent, TICKET.aoife)).toBe(false);
    expect(await ticketIds(as.nimbusAgent)).toContain(TICKET.oliver);
  });

  it('storefront and chatbot keys read no tickets', async () => {
    for (const gql of [as.shopper, as.chatbot]) expect(await ticketIds(gql)).toEqual([]);
  });

  it('_entities straight to the ticket subgraph keeps the row rules', async () => {
    const query = `{ _entities(representations: [{ __typename: "Ticket", id: "${TICKET.aoife}" }]) { ... on Ticket { id } } }`;
    const ask = (p: Principal) => {
      const body = { query };
      const header = signPrincipal(p, internalSecret(), { audience: 'ticket', body });
      return request(stack.subgraphs.find((s) => s.definition.name === 'ticket')?.server.handler as Parameters<typeof request>[0])
        .post('/graphql')
        .set({ 'content-type': 'application/json', [PRINCIPAL_HEADER]: header })
        .send(body);
    };
    const base = { storefrontId: STOREFRONT_IDS.volt, partnerId: null, roles: [], scopes: [] };
    expect((await ask({ ...base, kind: 'customer', id: ID.aoife })).body.data._entities).toEqual([{ id: TICKET.aoife }]);
    expect((await ask({ ...base, kind: 'customer', id: ID.conor })).body.data._entities).toEqual([null]);
    const agent = { ...base, kind: 'staff' as const, id: 'x', roles: ['segment:consumer'] };
    expect((await ask({ ...agent, scopes: ['ticket:read'] })).body.data._entities).toEqual([{ id: TICKET.aoife }]);
    expect((await ask(agent)).body.data._entities).toEqual([null]);
    expect((await ask({ ...agent, scopes: ['ticket:read'], roles: ['segment:smb'] })).body.data._entities).toEqual([null]);
    expect((await ask({ ...base, kind: 'partner', id: 'x', partnerId: seedId('partner', 'skyline') })).body.data._entities).toEqual([null]);
  });
});
