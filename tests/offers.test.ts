import { randomUUID } from 'node:crypto';
import { EVENTS, type ProductViewedEvent } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import {
  client,
  codes,
  customerId,
  distinctCodes,
  KEYS,
  PRIVATE_KEYS,
  productId,
  registerCustomer,
  STOREFRONT_IDS,
  signIn,
  startTestStack,
} from './support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

const PLAN = productId('volt-sim-unlimited');
const OTHER_PLAN = productId('volt-sim-20gb');
const AOIFE = customerId('aoife');
const OFFER = 'id source title message couponCode status score product { id name } customer { id }';
const CREATE = `mutation ($input: OfferCreateInput!) { offerCreate(input: $input) { offer { ${OFFER} } userErrors { code field } } }`;
const MY_OFFERS = `{ me { offers { nodes { ${OFFER} } } } }`;
const manager = () => signIn(stack.router.handler, 'staffLogin', 'manager@volt.example');
const unique = (label: string) => `${label} ${randomUUID().slice(0, 8)}`;

describe('agent and public offers', () => {
  it('staff make a personal offer: its customer sees it with catalog fields, nobody else does', async () => {
    const staff = await manager();
    const a = await registerCustomer(stack.router.handler, KEYS.volt, { name: 'Orla Offer', prefix: 'offer' });
    const b = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'offer' });
    const title = unique('Upgrade for {{name}}');
    const made = (
      await staff.gql(CREATE, { input: { customerId: a.id, productId: PLAN, template: { title, message: 'Try {{product}}' } } })
    ).body.data?.offerCreate;
    expect(made.userErrors).toEqual([]);
    expect(made.offer).toMatchObject({ source: 'AGENT', status: 'NEW', customer: { id: a.id }, product: { id: PLAN } });
    expect(made.offer.title).toMatch(/^Upgrade for Orla Offer /);
    expect(made.offer.message).toBe(`Try ${made.offer.product.name}`);

    const mine = (await a.gql(MY_OFFERS)).body.data?.me.offers.nodes;
    expect(mine.map((o: { id: string }) => o.id)).toContain(made.offer.id);
    expect((await b.gql(MY_OFFERS)).body.data?.me.offers.nodes.map((o: { id: string }) => o.id)).not.toContain(made.offer.id);
    // By id: the owner yes, another customer and another brand NOT_FOUND.
    expect((await a.gql(`{ offer(id: "${made.offer.id}") { id } }`)).body.data?.offer).toEqual({ id: made.offer.id });
    expect(codes(await b.gql(`{ offer(id: "${made.offer.id}") { id } }`))).toEqual(['NOT_FOUND']);
    expect(codes(await client(stack.router.handler, KEYS.nimbus)(`{ offer(id: "${made.offer.id}") { id } }`))).toEqual(['NOT_FOUND']);
    // Staff see it in the 360° view.
    const view = await staff.gql(`{ customer(id: "${a.id}") { offers { nodes { id } } } }`);
    expect(view.body.data?.customer.offers.nodes.map((o: { id: string }) => o.id)).toContain(made.offer.id);
    // Product.offers: the owner's own offers about the product; another customer gets none of them.
    const about = `{ product(id: "${PLAN}") { offers { nodes { id } } } }`;
    expect((await a.gql(about)).body.data?.product.offers.nodes.map((o: { id: string }) => o.id)).toContain(made.offer.id);
    expect((await b.gql(about)).body.data?.product.offers.nodes.map((o: { id: string }) => o.id)).not.toContain(made.offer.id);
  });

  it("a partner sees its accounts' offers in the 360° view, another partner does not", async () => {
    const staff = await manager();
    const account = customerId('connectify-one');
    const title = unique('Partner deal');
    const made = (await staff.gql(CREATE, { input: { customerId: account, template: { title, message: 'm' } } })).body.data?.offerCreate;
    expect(made.userErrors).toEqual([]);
    const view = `{ customer(id: "${account}") { offers { nodes { id } } } }`;
    const connectify = client(stack.router.handler, PRIVATE_KEYS.connectifyPartner);
    expect((await connectify(view)).body.data?.customer.offers.nodes.map((o: { id: string }) => o.id)).toContain(made.offer.id);
    const skyline = (await signIn(stack.router.handler, 'partnerLogin', 'ops@skyline.example')).gql;
    expect(codes(await skyline(view))).toEqual(['NOT_FOUND']);
    expect(codes(await skyline(`{ offer(id: "${made.offer.id}") { id } }`))).toEqual(['NOT_FOUND']);
  });

  it('refuses bad input all at once and writes nothing; staff outside the segment cannot target the account', async () => {
    const staff = await manager();
    const before = (await signIn(stack.router.handler, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
    const count = async () =>
      (await before(`{ me { offers(status: [NEW, SEEN, ACCEPTED, DISMISSED, REDEEMED, EXPIRED], first: 100) { nodes { id } } } }`)).body
        .data?.me.offers.nodes.length;
    const start = await count();
    const bad = await staff.gql(CREATE, {
      input: {
        customerId: 'nope',
        productId: randomUUID(),
        template: { title: ' ', message: 'x', link: 'ftp://x' },
        score: -1,
        ttlHours: 0,
      },
    });
    expect(
      bad.body.data?.offerCreate.userErrors.map((e: { code: string; field: string[] }) => `${e.field.join('.')}:${e.code}`).sort(),
    ).toEqual([
      'input.customerId:INVALID',
      'input.score:OUT_OF_RANGE',
      'input.template.link:INVALID',
      'input.template.title:BLANK',
      'input.ttlHours:OUT_OF_RANGE',
    ]);
    const unknownProduct = await staff.gql(CREATE, {
      input: { customerId: AOIFE, productId: randomUUID(), template: { title: 't', message: 'm' } },
    });
    expect(unknownProduct.body.data?.offerCreate.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'productId'] }]);
    // Another brand's marketer cannot reach a Volt account; care agents have no promotion:write at all.
    const nimbus = await signIn(stack.router.handler, 'staffLogin', 'agent@nimbus.example');
    const foreign = await nimbus.gql(CREATE, { input: { customerId: AOIFE, template: { title: 't', message: 'm' } } });
    expect(foreign.body.data?.offerCreate.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'customerId'] }]);
    const care = await signIn(stack.router.handler, 'staffLogin', 'agent.consumer@volt.example');
    expect(codes(await care.gql(CREATE, { input: { customerId: AOIFE, template: { title: 't', message: 'm' } } }))).toEqual(['FORBIDDEN']);
    expect(await count()).toBe(start);
    // Customers cannot make offers at all: offerCreate is not in their schema view.
    expect(distinctCodes(await before(CREATE, { input: { template: { title: 't', message: 'm' } } }))).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
  });

  it('a customer accepts, sees and dismisses their offer; expired offers cannot be accepted', async () => {
    const staff = await manager();
    const a = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'offer' });
    const make = async (ttlHours: number) =>
      (await staff.gql(CREATE, { input: { customerId: a.id, ttlHours, template: { title: unique('Deal'), message: 'm' } } })).body.data
        ?.offerCreate.offer.id as string;
    const id = await make(24);
    const act = (name: string, offerId = id) =>
      a
        .gql(`mutation { ${name}(input: { id: "${offerId}" }) { offer { id status } userErrors { code } } }`)
        .then((r) => r.body.data?.[name]);
    expect(await act('offerSeen')).toEqual({ offer: { id, status: 'SEEN' }, userErrors: [] });
    expect(await act('offerAccept')).toEqual({ offer: { id, status: 'ACCEPTED' }, userErrors: [] });
    expect(await act('offerAccept')).toEqual({ offer: { id, status: 'ACCEPTED' }, userErrors: [] });
    expect(await act('offerSeen')).toMatchObject({ offer: null, userErrors: [{ code: 'INVALID_TRANSITION' }] });
    expect(await act('offerDismiss')).toEqual({ offer: { id, status: 'DISMISSED' }, userErrors: [] });
    // Dismissed offers leave the default (open) list.
    expect((await a.gql(MY_OFFERS)).body.data?.me.offers.nodes.map((o: { id: string }) => o.id)).not.toContain(id);

    const expired = await make(1);
    const promotion = stack.subgraphs.find((s) => s.definition.name === 'promotion');
    await promotion?.orm.em
      .fork()
      .getConnection()
      .execute(`update "promotion"."offer" set expires_at = now() - interval '1 minute' where id = ?`, [expired]);
    expect(await act('offerAccept', expired)).toMatchObject({ offer: null, userErrors: [{ code: 'EXPIRED' }] });
    const listed = await a.gql(`{ me { offers(status: [EXPIRED]) { nodes { id status } } } }`);
    expect(listed.body.data?.me.offers.nodes).toContainEqual({ id: expired, status: 'EXPIRED' });
    // Someone else's offer does not exist for this customer.
    const b = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'offer' });
    const foreign = await b.gql(`mutation { offerAccept(input: { id: "${id}" }) { userErrors { code } } }`);
    expect(foreign.body.data?.offerAccept.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
  });

  it('public live offers reach every shopper of the brand, and only that brand', async () => {
    const staff = await manager();
    const title = unique('Flash sale');
    const made = (await staff.gql(CREATE, { input: { template: { title, message: 'Today only' }, score: 100 } })).body.data?.offerCreate;
    expect(made.offer).toMatchObject({ source: 'STOREFRONT', customer: null });
    const live = `{ storefrontLiveOffers(first: 50) { nodes { id title } } }`;
    expect((await client(stack.router.handler, KEYS.volt)(live)).body.data?.storefrontLiveOffers.nodes).toContainEqual({
      id: made.offer.id,
      title,
    });
    expect(
      (await client(stack.router.handler, KEYS.nimbus)(live)).body.data?.storefrontLiveOffers.nodes.map((o: { id: string }) => o.id),
    ).not.toContain(made.offer.id);
    // A shopper with the key reads it by id; a customer cannot accept the storefront's offer as theirs.
    expect((await client(stack.router.handler, KEYS.volt)(`{ offer(id: "${made.offer.id}") { title } }`)).body.data?.offer).toEqual({
      title,
    });
    const a = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'offer' });
    const accept = await a.gql(`mutation { offerAccept(input: { id: "${made.offer.id}" }) { userErrors { code } } }`);
    expect(accept.body.data?.offerAccept.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
  });
});

describe('real-time rules', () => {
  const promotion = () => stack.subgraphs.find((s) => s.definition.name === 'promotion') as Stack['subgraphs'][number];
  const realTime = async (gql: (q: string) => Promise<{ body: { data?: Record<string, any> | null } }>) =>
    ((await gql(`{ me { offers { nodes { source title product { id } couponCode } } } }`)).body.data?.me.offers.nodes ?? []).filter(
      (o: { source: string }) => o.source === 'REAL_TIME',
    );

  it('three views of one product become one offer for that customer (the seeded rule), not four', async () => {
    const a = await registerCustomer(stack.router.handler, KEYS.volt, { name: 'Vera Viewer', prefix: 'rt' });
    const view = (id: string) => a.gql(`mutation { productViewed(input: { productId: "${id}" }) { recorded } }`);
    await view(PLAN);
    await view(OTHER_PLAN);
    await view(PLAN);
    // Two views of PLAN, one of another: nothing yet.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await realTime(a.gql)).toEqual([]);
    await view(PLAN);
    await vi.waitFor(async () => expect(await realTime(a.gql)).toHaveLength(1), { timeout: 5_000, interval: 50 });
    const [offer] = await realTime(a.gql);
    expect(offer).toMatchObject({ product: { id: PLAN }, couponCode: 'DATA50' });
    expect(offer.title).toMatch(/^Still thinking about /);
    await view(PLAN);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await realTime(a.gql)).toHaveLength(1);
  });

  it('counts an event once however many times it is heard (several promotion instances)', async () => {
    const a = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'rt' });
    const event: ProductViewedEvent = {
      eventId: randomUUID(),
      storefrontId: STOREFRONT_IDS.volt,
      customerId: a.id,
      productId: PLAN,
      at: new Date().toISOString(),
    };
    for (let i = 0; i < 5; i++) await stack.bus.publish(EVENTS.productViewed, event);
    const db = promotion().orm.em.fork().getConnection();
    await vi.waitFor(async () => {
      const [{ n }] = await db.execute('select count(*)::int as n from "promotion"."signal" where customer_id = ?', [a.id]);
      expect(n).toBe(1);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await realTime(a.gql)).toEqual([]);
  });

  it('staff manage rules: bad input refused, a new rule fires on the next order of its brand', async () => {
    const staff = await manager();
    const RULE = `mutation ($input: OfferRuleCreateInput!) { offerRuleCreate(input: $input) { offerRule { id name threshold active version } userErrors { code field } } }`;
    const bad = await staff.gql(RULE, { input: { name: '', event: 'ORDER_PLACED', threshold: 0, template: { title: 't', message: '' } } });
    expect(bad.body.data?.offerRuleCreate.userErrors.map((e: { field: string[] }) => e.field.join('.')).sort()).toEqual([
      'input.name',
      'input.template.message',
      'input.threshold',
    ]);
    const name = unique('Thank-you offer');
    const created = (
      await staff.gql(RULE, {
        input: { name, event: 'ORDER_PLACED', threshold: 1, template: { title: 'Thanks {{name}}', message: 'A gift' } },
      })
    ).body.data?.offerRuleCreate;
    expect(created).toMatchObject({ userErrors: [], offerRule: { name, threshold: 1, active: true } });
    const rules = await staff.gql('{ offerRules { nodes { id } } }');
    expect(rules.body.data?.offerRules.nodes.map((r: { id: string }) => r.id)).toContain(created.offerRule.id);
    // It fires on the next order (the order-placed event from checkout).
    const buyer = await registerCustomer(stack.router.handler, KEYS.volt, { name: 'Bea Buyer', prefix: 'rt' });
    const cart = (await buyer.gql(`mutation { cartCreate(input: { lines: [{ productId: "${PLAN}" }] }) { cart { id version } } }`)).body
      .data?.cartCreate.cart;
    const placed = await buyer.gql(
      'mutation ($input: CartCheckoutInput!) { cartCheckout(input: $input) { order { id } userErrors { code } } }',
      { input: { cart: { cartId: cart.id, version: cart.version }, idempotencyKey: randomUUID() } },
    );
    expect(placed.body.data?.cartCheckout.userErrors).toEqual([]);
    await vi.waitFor(async () => expect((await realTime(buyer.gql)).map((o: { title: string }) => o.title)).toContain('Thanks Bea Buyer'), {
      timeout: 5_000,
      interval: 50,
    });
    // Switch it off again so other files' checkouts are unaffected; a stale version conflicts.
    const UPDATE = `mutation ($input: OfferRuleUpdateInput!) { offerRuleUpdate(input: $input) { offerRule { active } userErrors { code } } }`;
    const off = await staff.gql(UPDATE, { input: { id: created.offerRule.id, version: created.offerRule.version, active: false } });
    expect(off.body.data?.offerRuleUpdate).toEqual({ offerRule: { active: false }, userErrors: [] });
    const stale = await staff.gql(UPDATE, { input: { id: created.offerRule.id, version: created.offerRule.version, active: true } });
    expect(stale.body.data?.offerRuleUpdate.userErrors).toEqual([{ code: 'CONFLICT' }]);
    // Another brand's staff do not see it.
    const nimbus = await signIn(stack.router.handler, 'staffLogin', 'agent@nimbus.example');
    expect(
      (await nimbus.gql('{ offerRules { nodes { id } } }')).body.data?.offerRules.nodes.map((r: { id: string }) => r.id),
    ).not.toContain(created.offerRule.id);
  });
});
