import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows, expectRefusedAndUnchanged, staffMutations, succeeded, type WriteAttempt } from './support/brand-matrix.js';
import { client, codes, KEYS, type Response, signIn, startTestStack } from './support/stack.js';

/**
 * Knowledge base and ticket dashboards across brands, segments and kinds of caller, through the router:
 * every query reads only the caller's brand (customers and shoppers: published articles), and every
 * staff mutation of the ticket subgraph's knowledge base tried on the other brand's rows is refused like
 * an unknown id and changes nothing, while the owning brand's staff succeed.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const tokens: Record<string, string> = {};
const A = (key: string) => seedId('article', key);
const T = (key: string) => seedId('ticket', key);

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.conor = (await signIn(h, 'customerLogin', 'conor@example.com', KEYS.volt)).gql;
  as.oliver = (await signIn(h, 'customerLogin', 'oliver@example.co.uk', KEYS.nimbus)).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
  as.consumerAgent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.businessAgent = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  const volt = await signIn(h, 'staffLogin', 'manager@volt.example');
  as.voltManager = volt.gql;
  tokens.volt = volt.accessToken;
  as.nimbusAgent = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  const regional = await signIn(h, 'staffLogin', 'regional@dcrm.example');
  as.regional = regional.gql;
  as.regionalInNimbus = client(h, KEYS.nimbus, { authorization: `Bearer ${regional.accessToken}` });
  as.shopper = client(h, KEYS.volt);
  as.nimbusShopper = client(h, KEYS.nimbus);
});
afterAll(() => stack.stop());

const SEARCH = 'query ($q: String!) { articleSearch(query: $q, first: 100) { nodes { article { id } } } }';
const searched = async (gql: Gql, q: string) =>
  ((await gql(SEARCH, { q })).body.data?.articleSearch.nodes ?? []).map((n: { article: { id: string } }) => n.article.id);
const SUGGEST = 'query ($s: String!) { articleSuggestions(subject: $s, first: 10) { article { id } } }';
const suggested = async (gql: Gql, s: string) =>
  ((await gql(SUGGEST, { s })).body.data?.articleSuggestions ?? []).map((n: { article: { id: string } }) => n.article.id);
const listed = async (gql: Gql) =>
  ((await gql('{ articles(first: 100) { nodes { id } } }')).body.data?.articles.nodes ?? []).map((n: { id: string }) => n.id);
async function reads(gql: Gql, id: string): Promise<boolean> {
  const res = await gql('query ($id: ID!) { article(id: $id) { id } }', { id });
  if (res.body.data?.article?.id === id) return true;
  expect(codes(res)).toEqual(['NOT_FOUND']);
  return false;
}

describe('knowledge base reads', () => {
  it('article(id): published ones to their brand’s customers, shoppers and partners; drafts to its staff only', async () => {
    for (const gql of [as.aoife, as.shopper, as.connectify, as.consumerAgent, as.regional])
      expect(await reads(gql, A('volt-apn'))).toBe(true);
    for (const gql of [as.oliver, as.nimbusShopper, as.nimbusAgent, as.regionalInNimbus])
      expect(await reads(gql, A('volt-apn'))).toBe(false);
    for (const gql of [as.aoife, as.shopper, as.connectify]) expect(await reads(gql, A('volt-roaming-draft'))).toBe(false);
    expect(await reads(as.consumerAgent, A('volt-roaming-draft'))).toBe(true);
    expect(await reads(as.nimbusAgent, A('volt-roaming-draft'))).toBe(false);
    expect(await reads(as.regionalInNimbus, A('nimbus-speed-draft'))).toBe(true);
    expect(await reads(as.regional, A('nimbus-speed-draft'))).toBe(false);
  });

  it('articleSearch and articleSuggestions stay within the brand (and its published articles for customers)', async () => {
    expect(await searched(as.shopper, 'broadband router')).toEqual([]);
    expect(await searched(as.nimbusShopper, 'mobile data')).toEqual([]);
    expect(await searched(as.oliver, 'broadband router')).toEqual([A('nimbus-router')]);
    expect(await searched(as.nimbusAgent, 'roaming')).toEqual([]);
    expect(await searched(as.regionalInNimbus, 'speed test')).toEqual([A('nimbus-speed-draft')]);
    expect(await searched(as.aoife, 'roaming')).toEqual([]);
    expect(await suggested(as.nimbusShopper, 'mobile data apn')).toEqual([]);
    expect(await suggested(as.oliver, 'speed test broadband')).not.toContain(A('nimbus-speed-draft'));
    expect(await suggested(as.shopper, 'mobile data apn')).toContain(A('volt-apn'));
  });

  it('articles (staff list): the acting brand only; customers, partners and shoppers are refused', async () => {
    const volt = await listed(as.consumerAgent);
    expect(volt).toContain(A('volt-roaming-draft'));
    expect(volt).not.toContain(A('nimbus-speed-draft'));
    expect(await listed(as.regionalInNimbus)).toEqual(expect.arrayContaining([A('nimbus-router'), A('nimbus-speed-draft')]));
    expect(await listed(as.regionalInNimbus)).not.toContain(A('volt-apn'));
    for (const gql of [as.aoife, as.connectify, as.shopper]) expect(await listed(gql)).toEqual([]);
  });

  it('Ticket.articles follows the ticket’s own row rules', async () => {
    const query = `{ ticket(id: "${T('aoife-double-charge')}") { articles { id } } }`;
    expect((await as.aoife(query)).body.data?.ticket.articles).toEqual([{ id: A('volt-double-charge') }]);
    expect(codes(await as.conor(query))).toEqual(['NOT_FOUND']);
    expect(codes(await as.businessAgent(query))).toEqual(['NOT_FOUND']);
    expect(codes(await as.nimbusAgent(query))).toEqual(['NOT_FOUND']);
  });
});

describe('ticketDashboard reads', () => {
  const OPEN = '{ ticketDashboard { totals { openCount createdCount } } }';
  const open = async (gql: Gql) => (await gql(OPEN)).body.data?.ticketDashboard.totals;

  it('counts the acting brand’s tickets of the staff member’s segments only; nobody else may ask', async () => {
    const [manager, consumer, business, nimbus, regionalNimbus] = await Promise.all(
      [as.voltManager, as.consumerAgent, as.businessAgent, as.nimbusAgent, as.regionalInNimbus].map(open),
    );
    expect(manager.openCount).toBeGreaterThanOrEqual(consumer.openCount + business.openCount);
    expect(consumer.openCount).toBeGreaterThan(0);
    expect(business.openCount).toBeGreaterThan(0);
    expect(regionalNimbus).toEqual(nimbus);
    for (const gql of [as.aoife, as.connectify, as.shopper])
      expect(codes(await gql(OPEN))[0]).toMatch(/FORBIDDEN|UNAUTHENTICATED|GRAPHQL_VALIDATION_FAILED/);
  });
});

const M = {
  articleCreate:
    'mutation ($input: ArticleCreateInput!) { articleCreate(input: $input) { article { id version } userErrors { code field } } }',
  articleUpdate: 'mutation ($input: ArticleUpdateInput!) { articleUpdate(input: $input) { article { id } userErrors { code field } } }',
  articleTransition:
    'mutation ($input: ArticleTransitionInput!) { articleTransition(input: $input) { article { id } userErrors { code field } } }',
  articleDeflected:
    'mutation ($input: ArticleDeflectedInput!) { articleDeflected(input: $input) { article { id } userErrors { code field } } }',
  ticketArticleLink:
    'mutation ($input: TicketArticleLinkInput!) { ticketArticleLink(input: $input) { ticket { id } userErrors { code field } } }',
};
const articleRow = (id: string) => () => dbRows(stack, 'ticket', 'select * from "ticket"."article" where id = ?', [id]);
const links = (ticketId: string) => () =>
  dbRows(stack, 'ticket', 'select article_id from "ticket"."ticket_article" where ticket_id = ? order by article_id', [ticketId]);
const deflections = (articleId: string) => () =>
  dbRows(stack, 'ticket', 'select count(*)::int as n from "ticket"."article_deflection" where article_id = ?', [articleId]);
const titled = (title: string) => () => dbRows(stack, 'ticket', 'select id from "ticket"."article" where title = ?', [title]);

/** Nimbus staff (and shoppers) against Volt's knowledge base, and Volt's against Nimbus's. */
const CASES: WriteAttempt[] = [
  {
    mutation: 'articleCreate',
    what: "in Volt (Nimbus's agent sending Volt's key)",
    attempt: () =>
      client(stack.router.handler, KEYS.volt, { authorization: `Bearer ${tokens.nimbus}` })(M.articleCreate, {
        input: { category: 'OTHER', locale: 'en-IE', title: 'Cross-brand article', body: 'x' },
      }),
    refusal: 'HTTP 401',
    rows: titled('Cross-brand article'),
  },
  {
    mutation: 'articleUpdate',
    what: "a Volt article, by Nimbus's agent",
    attempt: () => as.nimbusAgent(M.articleUpdate, { input: { id: A('volt-roaming-draft'), version: 1, title: 'Taken over' } }),
    refusal: 'NOT_FOUND',
    rows: articleRow(A('volt-roaming-draft')),
  },
  {
    mutation: 'articleTransition',
    what: "a Nimbus draft, sent to review by Volt's manager",
    attempt: () => as.voltManager(M.articleTransition, { input: { id: A('nimbus-speed-draft'), version: 1, to: 'IN_REVIEW' } }),
    refusal: 'NOT_FOUND',
    rows: articleRow(A('nimbus-speed-draft')),
  },
  {
    mutation: 'articleDeflected',
    what: 'a Volt article, by a Nimbus shopper',
    attempt: () => as.nimbusShopper(M.articleDeflected, { input: { articleId: A('volt-apn') } }),
    refusal: 'NOT_FOUND',
    rows: deflections(A('volt-apn')),
  },
  {
    mutation: 'ticketArticleLink',
    what: "a Volt ticket, by Nimbus's agent",
    attempt: () => as.nimbusAgent(M.ticketArticleLink, { input: { ticketId: T('aoife-coverage'), articleId: A('nimbus-router') } }),
    refusal: 'NOT_FOUND',
    rows: links(T('aoife-coverage')),
  },
  {
    mutation: 'ticketArticleLink',
    what: "a Nimbus article on a Volt ticket, by Volt's manager",
    attempt: () => as.voltManager(M.ticketArticleLink, { input: { ticketId: T('aoife-coverage'), articleId: A('nimbus-router') } }),
    refusal: 'NOT_FOUND',
    rows: links(T('aoife-coverage')),
  },
];

/** Staff mutations of the ticket subgraph that belong to the knowledge base (the ticket core's have their own matrix). */
const KNOWLEDGE_MUTATIONS = ['articleCreate', 'articleDeflected', 'articleTransition', 'articleUpdate', 'ticketArticleLink'];

describe('knowledge base writes across brands', () => {
  beforeAll(async () => {
    tokens.nimbus = (await signIn(stack.router.handler, 'staffLogin', 'agent@nimbus.example')).accessToken;
  });

  it('the matrix covers every knowledge-base mutation', () => {
    const all = staffMutations(new URL('../subgraphs/ticket/src/schema.graphql', import.meta.url)).filter(
      (m) => m.startsWith('article') || m === 'ticketArticleLink',
    );
    // articleDeflected admits anonymous and customer callers only (not a staff mutation): its case is a shopper of the other brand.
    expect(all.sort()).toEqual(KNOWLEDGE_MUTATIONS.filter((m) => m !== 'articleDeflected').sort());
    expect(new Set(CASES.map((c) => c.mutation))).toEqual(new Set(KNOWLEDGE_MUTATIONS));
  });

  it.each(CASES.map((c, i) => [`${c.mutation}: ${c.what}`, i] as const))('%s is refused, nothing changes', async (_, i) => {
    await expectRefusedAndUnchanged(CASES[i]);
  });

  it("the owning brand's staff and shoppers succeed", async () => {
    const made = succeeded(
      await as.voltManager(M.articleCreate, {
        input: { category: 'OTHER', locale: 'en-IE', title: 'Own-brand article', body: 'Own brand.' },
      }),
      'articleCreate',
    );
    const id = made.article.id;
    succeeded(
      await as.voltManager(M.articleUpdate, { input: { id, version: made.article.version, body: 'Own brand, edited.' } }),
      'articleUpdate',
    );
    succeeded(
      await as.voltManager(M.articleTransition, { input: { id, version: made.article.version + 1, to: 'IN_REVIEW' } }),
      'articleTransition',
    );
    succeeded(await as.shopper(M.articleDeflected, { input: { articleId: A('volt-apn') } }), 'articleDeflected');
    succeeded(
      await as.voltManager(M.ticketArticleLink, { input: { ticketId: T('aoife-coverage'), articleId: A('volt-coverage') } }),
      'ticketArticleLink',
    );
  });
});
