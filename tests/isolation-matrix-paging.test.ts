import { encodeCursor, seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import {
  client,
  codes,
  customerId,
  KEYS,
  PRIVATE_KEYS,
  productId,
  type Response,
  registerCustomer,
  signIn,
  startTestStack,
} from './support/stack.js';

/**
 * Backward paging and the lists that became connections see exactly what forward paging sees: a
 * customer only their own, a partner only its accounts, a storefront only its brand, staff only their
 * brand and segments — whichever way they page, and whatever cursor they forge.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};

const ID = {
  aoife: customerId('aoife'),
  acme: customerId('acme-telecom-buyers'),
  kelly: customerId('connectify-two'),
  sean: customerId('skyline-one'),
  oliver: customerId('oliver'),
};

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.acme = (await signIn(h, 'customerLogin', 'it@acme.example', KEYS.volt)).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
  as.connectifyKey = client(h, PRIVATE_KEYS.connectifyPartner);
  as.voltManager = (await signIn(h, 'staffLogin', 'manager@volt.example')).gql;
  as.consumerAgent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.nimbusAgent = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  as.volt = client(h, KEYS.volt);
  as.nimbus = client(h, KEYS.nimbus);
});
afterAll(() => stack.stop());

const ids = async (gql: Gql, query: string, field: string, variables: Record<string, unknown> = {}): Promise<string[]> => {
  const res = await gql(query, variables);
  expect(res.body.errors).toBeUndefined();
  return ((res.body.data?.[field]?.nodes ?? []) as { id: string }[]).map((n) => n.id).sort();
};
/**
 * The list read forward and backward. Other test files write to the same database meanwhile, so an
 * item created or removed between the two reads is left out of both: each read is compared on what
 * the other saw too (what may be seen is asserted on the ids themselves).
 */
const both = async (gql: Gql, field: string) => {
  const first = await ids(gql, `{ ${field}(first: 100) { nodes { id } } }`, field);
  const last = await ids(gql, `{ ${field}(last: 100) { nodes { id } } }`, field);
  return { forward: first.filter((id) => last.includes(id)), backward: last.filter((id) => first.includes(id)) };
};

describe('backward pages see what forward pages see', () => {
  it('accounts: a customer its own tree, a partner its accounts, staff their brand', async () => {
    for (const who of ['aoife', 'acme', 'connectify', 'connectifyKey', 'voltManager', 'nimbusAgent']) {
      const { forward, backward } = await both(as[who], 'customers');
      expect(backward, who).toEqual(forward);
    }
    const { backward: aoife } = await both(as.aoife, 'customers');
    expect(aoife).toEqual([ID.aoife]);
    const { backward: partner } = await both(as.connectify, 'customers');
    expect(partner).toContain(ID.kelly);
    expect(partner).not.toContain(ID.sean);
    const { backward: nimbus } = await both(as.nimbusAgent, 'customers');
    expect(nimbus).not.toContain(ID.aoife);
  });

  it('products: a storefront key only its brand', async () => {
    const volt = await both(as.volt, 'products');
    const nimbus = await both(as.nimbus, 'products');
    expect(volt.backward).toEqual(volt.forward);
    expect(nimbus.backward).toEqual(nimbus.forward);
    expect(volt.backward.filter((id) => nimbus.backward.includes(id)).length).toBeLessThan(volt.backward.length);
  });

  it('orders: a customer only their own; another brand sees none of them', async () => {
    const shopper = await registerCustomer(stack.router.handler, KEYS.nimbus);
    expect((await both(shopper.gql, 'orders')).backward).toEqual([]);
    const manager = await both(as.voltManager, 'orders');
    expect(manager.backward).toEqual(manager.forward);
    const oliver = (await signIn(stack.router.handler, 'customerLogin', 'oliver@example.co.uk', KEYS.nimbus)).gql;
    const own = await both(oliver, 'orders');
    expect(own.backward.length).toBeGreaterThan(0);
    expect(manager.backward.filter((id) => own.backward.includes(id))).toEqual([]);
  });

  it('a forged cursor (another brand, another sort, junk) leaks nothing and is refused when malformed', async () => {
    const oliverOrder = (
      await ids(
        (
          await signIn(stack.router.handler, 'customerLogin', 'oliver@example.co.uk', KEYS.nimbus)
        ).gql,
        '{ orders(first: 1) { nodes { id } } }',
        'orders',
      )
    )[0];
    // A cursor naming another brand's order only bounds the window; the rows are still the caller's.
    const forged = encodeCursor('NEWEST', [oliverOrder]);
    const res = await as.aoife('query ($before: String) { orders(last: 100, before: $before) { nodes { id } } }', { before: forged });
    expect(res.body.errors).toBeUndefined();
    expect(((res.body.data?.orders?.nodes ?? []) as { id: string }[]).map((n) => n.id)).not.toContain(oliverOrder);
    for (const before of ['junk', encodeCursor('NEWEST', ["1' or '1'='1"]), encodeCursor('NAME', ['x'])]) {
      expect(codes(await as.aoife('query ($before: String) { orders(last: 5, before: $before) { nodes { id } } }', { before }))).toEqual([
        'BAD_USER_INPUT',
      ]);
    }
  });
});

describe('lists that became connections keep their rules', () => {
  it('Customer.children: a partner never reaches children outside its accounts; a holder pages its own', async () => {
    const partner = await as.connectify(`{ customer(id: "${ID.kelly}") { children(last: 10) { nodes { id } } } }`);
    expect(partner.body.errors).toBeUndefined();
    const children: string[] = (partner.body.data?.customer.children.nodes ?? []).map((c: { id: string }) => c.id);
    // Other test files may open sub-accounts meanwhile: whatever is seen must be one of the partner's accounts (read after).
    const own = await ids(as.connectify, '{ customers(first: 100) { nodes { id } } }', 'customers');
    expect(children.filter((id) => !own.includes(id))).toEqual([]);
    const holder = await as.acme('{ me { children(last: 1) { nodes { id } pageInfo { hasPreviousPage hasNextPage } } } }');
    expect(holder.body.data?.me.children).toMatchObject({ pageInfo: { hasPreviousPage: true, hasNextPage: false } });
  });

  it("Customer.carts: a customer never sees another's carts, backward or forward", async () => {
    const owner = await registerCustomer(stack.router.handler, KEYS.volt);
    const made = await owner.gql('mutation ($input: CartCreateInput!) { cartCreate(input: $input) { cart { id } userErrors { code } } }', {
      input: { lines: [{ productId: productId('volt-sim-unlimited') }] },
    });
    const cartId = made.body.data?.cartCreate.cart?.id as string | undefined;
    const mine = await owner.gql('{ me { carts(last: 5) { nodes { id } } } }');
    expect(mine.body.data?.me.carts.nodes.map((c: { id: string }) => c.id)).toEqual(cartId ? [cartId] : []);
    const other = await as.aoife(`{ customer(id: "${owner.id}") { carts(last: 5) { nodes { id } } } }`);
    expect(other.body.data?.customer ?? null).toBeNull();
  });

  it('apiKeys: staff their brand’s, a partner its own, a customer none', async () => {
    const staff = await both(as.voltManager, 'apiKeys');
    const partner = await both(as.connectify, 'apiKeys');
    expect(staff.backward).toEqual(staff.forward);
    expect(partner.backward).toEqual(partner.forward);
    // Staff see every key of their brand, the partner's too; the partner only its own.
    expect(partner.backward.every((id) => staff.backward.includes(id))).toBe(true);
    expect(partner.backward.length).toBeLessThan(staff.backward.length);
    // Not in a customer's schema view at all.
    const customer = await as.aoife('{ apiKeys(last: 5) { nodes { id } } }');
    expect(customer.body.data?.apiKeys ?? null).toBeNull();
    expect(codes(customer).length).toBeGreaterThan(0);
  });

  it('offerRules: staff of one brand never see another brand’s rules', async () => {
    const volt = await both(as.voltManager, 'offerRules');
    expect(volt.backward).toEqual(volt.forward);
    // Nimbus's agent either may not read rules at all or reads only Nimbus's.
    const nimbus = await as.nimbusAgent('{ offerRules(last: 100) { nodes { id } } }');
    const seen = ((nimbus.body.data?.offerRules?.nodes ?? []) as { id: string }[]).map((n) => n.id);
    expect(seen.filter((id) => volt.backward.includes(id))).toEqual([]);
  });

  it('storefrontLiveOffers: a storefront key pages only its brand’s public offers, both ways; over 50 is refused', async () => {
    const read = async (gql: Gql, page: string) => ids(gql, `{ storefrontLiveOffers(${page}) { nodes { id } } }`, 'storefrontLiveOffers');
    const [voltForward, voltBackward, nimbus] = [
      await read(as.volt, 'first: 50'),
      await read(as.volt, 'last: 50'),
      await read(as.nimbus, 'last: 50'),
    ];
    expect(voltBackward.filter((id) => nimbus.includes(id))).toEqual([]);
    expect(voltForward.filter((id) => nimbus.includes(id))).toEqual([]);
    expect(codes(await as.volt('{ storefrontLiveOffers(last: 51) { nodes { id } } }'))).toEqual(['BAD_USER_INPUT']);
  });

  it('categories: a storefront sees the categories of its own products', async () => {
    const volt = await both(as.volt, 'categories');
    expect(volt.backward).toEqual(volt.forward);
    expect(volt.forward.length).toBeGreaterThan(0);
  });
});

describe('the 360° lists that became connections keep their rules, backward too', () => {
  const nodeIds = (res: Response, ...path: string[]): string[] => {
    expect(res.body.errors).toBeUndefined();
    const list = path.reduce<Record<string, unknown> | null>(
      (at, key) => (at?.[key] as Record<string, unknown>) ?? null,
      res.body.data ?? null,
    );
    return ((list?.nodes ?? []) as { id: string }[]).map((n) => n.id);
  };

  it('Customer.offers and Product.offers: a customer pages only their own personal offers, whichever way', async () => {
    const owner = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'paging-offers' });
    const other = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'paging-offers' });
    const plan = productId('volt-sim-unlimited');
    const made = await as.voltManager(
      'mutation ($input: OfferCreateInput!) { offerCreate(input: $input) { offer { id } userErrors { code } } }',
      { input: { customerId: owner.id, productId: plan, score: 100, template: { title: 'Paging both ways', message: 'm' } } },
    );
    const offerId = made.body.data?.offerCreate.offer.id as string;
    for (const page of ['first: 100', 'last: 100']) {
      expect(nodeIds(await owner.gql(`{ me { offers(${page}) { nodes { id } } } }`), 'me', 'offers')).toContain(offerId);
      expect(
        nodeIds(
          await owner.gql(`{ product(id: "${plan}") { offers(${page.replace('100', '20')}) { nodes { id } } } }`),
          'product',
          'offers',
        ),
      ).toContain(offerId);
      expect(nodeIds(await other.gql(`{ me { offers(${page}) { nodes { id } } } }`), 'me', 'offers')).not.toContain(offerId);
      expect(
        nodeIds(
          await other.gql(`{ product(id: "${plan}") { offers(${page.replace('100', '20')}) { nodes { id } } } }`),
          'product',
          'offers',
        ),
      ).not.toContain(offerId);
    }
    const across = await other.gql(`{ customer(id: "${owner.id}") { offers(last: 5) { nodes { id } } } }`);
    expect(across.body.data?.customer ?? null).toBeNull();
    // Staff of another brand never reach the account, so never its offers.
    const nimbus = await as.nimbusAgent(`{ customer(id: "${owner.id}") { offers(last: 5) { nodes { id } } } }`);
    expect(nimbus.body.data?.customer ?? null).toBeNull();
    // The page size is refused over the maximum, never clamped.
    expect(codes(await owner.gql(`{ product(id: "${plan}") { offers(last: 21) { nodes { id } } } }`))).toEqual(['BAD_USER_INPUT']);
  });

  it('Customer.leads and Customer.opportunities: a partner pages only its own rows; staff of another segment none', async () => {
    const connectify = seedId('partner', 'connectify');
    const account = customerId('connectify-one');
    for (const page of ['first: 100', 'last: 100']) {
      const res = await as.connectify(
        `query ($id: ID!) { customer(id: $id) { opportunities(${page}) { nodes { id partnerId } } leads(${page}) { nodes { id partnerId } } } }`,
        { id: account },
      );
      expect(res.body.errors).toBeUndefined();
      const seen = res.body.data?.customer;
      const rows = [...(seen?.opportunities.nodes ?? []), ...(seen?.leads.nodes ?? [])] as { partnerId: string }[];
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((r) => r.partnerId))).toEqual(new Set([connectify]));
    }
    const globex = customerId('globex');
    const manager = await as.voltManager(`{ customer(id: "${globex}") { leads(last: 100) { nodes { id } } } }`);
    expect(nodeIds(manager, 'customer', 'leads')).toContain(seedId('lead', 'volt-portal-converted'));
    // The consumer agent does not reach the business account (NOT_FOUND), so none of its rows either.
    const consumer = await as.consumerAgent(
      `{ customer(id: "${globex}") { leads(last: 100) { nodes { id } } opportunities(last: 100) { nodes { id } } } }`,
    );
    expect(consumer.body.data?.customer ?? null).toBeNull();
  });

  it('Campaign.leads: staff of the brand page them both ways; another brand sees no campaign', async () => {
    const campaign = seedId('campaign', 'volt-spring-upgrade');
    const forward = nodeIds(
      await as.voltManager(`{ campaign(id: "${campaign}") { leads(first: 100) { nodes { id } } } }`),
      'campaign',
      'leads',
    );
    const backward = nodeIds(
      await as.voltManager(`{ campaign(id: "${campaign}") { leads(last: 100) { nodes { id } } } }`),
      'campaign',
      'leads',
    );
    expect(backward.filter((id) => forward.includes(id)).sort()).toEqual(forward.filter((id) => backward.includes(id)).sort());
    expect(forward.length).toBeGreaterThan(0);
    const nimbus = await as.nimbusAgent(`{ campaign(id: "${campaign}") { leads(last: 100) { nodes { id } } } }`);
    expect(nimbus.body.data?.campaign?.leads?.nodes ?? []).toEqual([]);
  });

  it('Customer.tickets: a customer pages only their own; another customer never reaches them', async () => {
    const owner = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'paging-tickets' });
    const raised = await owner.gql(
      'mutation ($input: TicketCreateInput!) { ticketCreate(input: $input) { ticket { id } userErrors { code } } }',
      { input: { subject: 'Paging both ways', description: 'A ticket to page', category: 'BILLING' } },
    );
    const ticketId = raised.body.data?.ticketCreate.ticket?.id as string;
    expect(ticketId).toEqual(expect.any(String));
    for (const page of ['first: 5', 'last: 5']) {
      expect(nodeIds(await owner.gql(`{ me { tickets(${page}) { nodes { id } } } }`), 'me', 'tickets')).toEqual([ticketId]);
      const across = await as.aoife(`{ customer(id: "${owner.id}") { tickets(${page}) { nodes { id } } } }`);
      expect(across.body.data?.customer ?? null).toBeNull();
    }
  });

  it('Ticket.comments/attachments/statusHistory: a customer pages only the public ones, both ways, whatever cursor', async () => {
    const owner = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'paging-comments' });
    const file = (name: string) => ({ fileName: name, contentType: 'text/plain', contentBase64: Buffer.from(name).toString('base64') });
    const raised = await owner.gql(
      'mutation ($input: TicketCreateInput!) { ticketCreate(input: $input) { ticket { id } userErrors { code } } }',
      { input: { subject: 'Paging comments', description: 'Comments to page', category: 'BILLING', attachments: [file('public.txt')] } },
    );
    const ticketId = raised.body.data?.ticketCreate.ticket?.id as string;
    expect(ticketId).toEqual(expect.any(String));
    const COMMENT = 'mutation ($input: TicketCommentAddInput!) { ticketCommentAdd(input: $input) { userErrors { code } } }';
    for (const [body, internal] of [
      ['public 1', false],
      ['note 1', true],
      ['public 2', false],
      ['note 2', true],
      ['public 3', false],
    ] as const) {
      const res = await as.consumerAgent(COMMENT, {
        input: { ticketId, body, internal, attachments: internal ? [file(`${body}.txt`)] : [] },
      });
      expect(res.body.data?.ticketCommentAdd.userErrors).toEqual([]);
    }
    /** Every item of one list, two at a time, forward (`first`/`after`) or backward (`last`/`before`), in list order. */
    const walk = async (gql: Gql, field: string, text: string, backward: boolean, start: string | null = null) => {
      const seen: string[] = [];
      let cursor = start;
      for (let i = 0; i < 10; i++) {
        const page = backward ? 'last: 2, before: $cursor' : 'first: 2, after: $cursor';
        const res = await gql(
          `query ($id: ID!, $cursor: String) { ticket(id: $id) { ${field}(${page}) { nodes { ${text} }
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`,
          { id: ticketId, cursor },
        );
        expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
        const list = res.body.data?.ticket[field];
        const texts = list.nodes.map((n: Record<string, string>) => n[text]);
        seen.splice(backward ? 0 : seen.length, 0, ...texts);
        if (!(backward ? list.pageInfo.hasPreviousPage : list.pageInfo.hasNextPage)) break;
        cursor = backward ? list.pageInfo.startCursor : list.pageInfo.endCursor;
      }
      return seen;
    };
    for (const backward of [false, true]) {
      expect(await walk(owner.gql, 'comments', 'body', backward)).toEqual(['public 1', 'public 2', 'public 3']);
      expect(await walk(owner.gql, 'attachments', 'fileName', backward)).toEqual(['public.txt']);
      expect((await walk(owner.gql, 'statusHistory', 'to', backward))[0]).toBe('ACKNOWLEDGED');
      expect(await walk(as.consumerAgent, 'internalComments', 'body', backward)).toEqual(['note 1', 'note 2']);
      expect(await walk(as.consumerAgent, 'attachments', 'fileName', backward)).toEqual(['public.txt', 'note 1.txt', 'note 2.txt']);
    }
    // A cursor taken from a staff note bounds the customer's window, and still yields only public comments.
    const notes = await as.consumerAgent(`{ ticket(id: "${ticketId}") { internalComments(first: 1) { edges { cursor } } } }`);
    const noteCursor = notes.body.data?.ticket.internalComments.edges[0].cursor as string;
    expect(await walk(owner.gql, 'comments', 'body', false, noteCursor)).toEqual(['public 2', 'public 3']);
    expect(await walk(owner.gql, 'comments', 'body', true, noteCursor)).toEqual(['public 1']);
    const internal = await owner.gql(`{ ticket(id: "${ticketId}") { internalComments(last: 5) { nodes { body } } } }`);
    expect(internal.body.data?.ticket?.internalComments ?? null).toBeNull();
    // Another customer never reaches the ticket, so none of its lists.
    const across = await as.aoife(`{ ticket(id: "${ticketId}") { comments(last: 5) { nodes { body } } } }`);
    expect(across.body.data?.ticket ?? null).toBeNull();
  });

  it('Contract.history: the holder pages their contract’s history both ways; another customer never reaches it', async () => {
    const owner = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'paging-contract' });
    const made = await as.voltManager(
      'mutation ($input: ContractCreateInput!) { contractCreate(input: $input) { contract { id } userErrors { code } } }',
      {
        input: {
          customerId: owner.id,
          templateId: seedId('contract-template', 'volt-12'),
          products: [{ productId: productId('volt-sim-5gb') }],
        },
      },
    );
    expect(made.body.data?.contractCreate.userErrors).toEqual([]);
    const contractId = made.body.data?.contractCreate.contract.id as string;
    const READ = (page: string) => `query ($id: ID!) { contract(id: $id) { history(${page}) { nodes { action } } } }`;
    const staff = await as.voltManager(READ('first: 100'), { id: contractId });
    const all = ((staff.body.data?.contract.history.nodes ?? []) as { action: string }[]).map((e) => e.action);
    expect(all[0]).toBe('CREATED');
    const forward = await owner.gql(READ('first: 100'), { id: contractId });
    const backward = await owner.gql(READ('last: 100'), { id: contractId });
    expect(forward.body.data?.contract.history.nodes.map((e: { action: string }) => e.action)).toEqual(all);
    expect(backward.body.data?.contract.history.nodes.map((e: { action: string }) => e.action)).toEqual(all);
    const last = await owner.gql(READ('last: 1'), { id: contractId });
    expect(last.body.data?.contract.history.nodes).toEqual([{ action: all.at(-1) }]);
    for (const page of ['first: 5', 'last: 5']) {
      const across = await as.aoife(READ(page), { id: contractId });
      expect(across.body.data?.contract ?? null).toBeNull();
      const nimbus = await as.nimbusAgent(READ(page), { id: contractId });
      expect(nimbus.body.data?.contract ?? null).toBeNull();
    }
  });
});

describe('an opportunity’s and a lead’s lists that became connections keep their rules, backward too', () => {
  const LISTS = ['tasks', 'notes', 'internalNotes', 'history'];
  const read = (page: string) => `query ($id: ID!) { opportunity(id: $id) {
    tasks(${page}) { nodes { id } } notes(${page}) { nodes { id } } internalNotes(${page}) { nodes { id } } history(${page}) { nodes { at } } } }`;
  const ok = (res: Response, field: string) => {
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    return res.body.data?.[field]?.id;
  };

  it('Opportunity.tasks/notes/internalNotes/history: staff of the segment page them; another segment, brand or a partner none', async () => {
    const created = await as.voltManager(
      'mutation ($input: OpportunityCreateInput!) { opportunityCreate(input: $input) { opportunity { id } userErrors { code } } }',
      { input: { name: `Paging work ${Date.now()}`, customerId: customerId('globex') } },
    );
    const id = created.body.data?.opportunityCreate.opportunity.id as string;
    expect(id).toBeTruthy();
    const task = await as.voltManager('mutation ($input: TaskCreateInput!) { taskCreate(input: $input) { userErrors { code } } }', {
      input: { opportunityId: id, kind: 'CALL' },
    });
    expect(task.body.data?.taskCreate.userErrors).toEqual([]);
    for (const internal of [true, false]) {
      const note = await as.voltManager(
        'mutation ($input: OpportunityNoteAddInput!) { opportunityNoteAdd(input: $input) { userErrors { code } } }',
        { input: { opportunityId: id, body: 'Paging note', internal } },
      );
      expect(note.body.data?.opportunityNoteAdd.userErrors).toEqual([]);
    }
    for (const page of ['first: 10', 'last: 10']) {
      const mine = await as.voltManager(read(page), { id });
      ok(mine, 'opportunity');
      const o = mine.body.data?.opportunity;
      expect(
        LISTS.map((l) => o[l].nodes.length),
        page,
      ).toEqual([1, 1, 2, 1]);
      // Another segment of the brand, another brand: the opportunity is not found, so none of its lists.
      for (const who of ['consumerAgent', 'nimbusAgent']) {
        const res = await as[who](read(page), { id });
        expect(res.body.data?.opportunity ?? null, who).toBeNull();
        expect(codes(res), who).toEqual(['NOT_FOUND']);
      }
      // A partner of other accounts: not found either (and internal notes are not in its schema view).
      const partner = await as.connectify(
        `query ($id: ID!) { opportunity(id: $id) { tasks(${page}) { nodes { id } } notes(${page}) { nodes { id } } history(${page}) { nodes { at } } } }`,
        { id },
      );
      expect(partner.body.data?.opportunity ?? null).toBeNull();
      expect(codes(partner)).toEqual(['NOT_FOUND']);
    }
  });

  it('Lead.mergeHistory: staff of another segment or brand never reach the lead, either way', async () => {
    const lead = seedId('lead', 'volt-portal-converted');
    for (const page of ['first: 10', 'last: 10']) {
      const query = `{ lead(id: "${lead}") { id mergeHistory(${page}) { nodes { at mergedIds } pageInfo { hasNextPage hasPreviousPage } } } }`;
      const manager = await as.voltManager(query);
      expect(ok(manager, 'lead')).toBe(lead);
      expect(manager.body.data?.lead.mergeHistory.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false });
      for (const who of ['consumerAgent', 'nimbusAgent', 'connectify']) {
        const res = await as[who](query);
        expect(res.body.data?.lead ?? null, who).toBeNull();
      }
    }
  });
});
