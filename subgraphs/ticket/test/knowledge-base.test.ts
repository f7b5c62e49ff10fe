import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../../stack/src/stack.js';
import { client, codes, KEYS, type Response, signIn, startTestStack } from '../../../tests/support/stack.js';

/** The knowledge base through the router: who reads what, full-text search, suggestions, review life cycle, deflections and ticket links. */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const articleId = (key: string) => seedId('article', key);

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
  as.consumerAgent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.businessAgent = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  as.voltManager = (await signIn(h, 'staffLogin', 'manager@volt.example')).gql;
  as.nimbusAgent = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  as.catalogAdmin = (await signIn(h, 'staffLogin', 'admin@dcrm.example')).gql;
  as.shopper = client(h, KEYS.volt);
  as.nimbusShopper = client(h, KEYS.nimbus);
});
afterAll(() => stack.stop());

const SEARCH = `query ($query: String!, $locale: String, $category: TicketCategory, $status: [ArticleStatus!], $first: Int, $after: String) {
  articleSearch(query: $query, locale: $locale, category: $category, status: $status, first: $first, after: $after) {
    nodes { rank snippet article { id title status locale } } pageInfo { hasNextPage endCursor } } }`;

async function found(gql: Gql, variables: Record<string, unknown>): Promise<string[]> {
  const res = await gql(SEARCH, { first: 100, ...variables });
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data?.articleSearch.nodes.map((n: { article: { id: string } }) => n.article.id);
}

const ok = (res: Response, field: string) => {
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  expect(res.body.data?.[field].userErrors, JSON.stringify(res.body.data?.[field])).toEqual([]);
  return res.body.data?.[field];
};
const refused = (res: Response, field: string) => res.body.data?.[field]?.userErrors?.[0]?.code ?? codes(res)[0];

const CREATE = `mutation ($input: ArticleCreateInput!) { articleCreate(input: $input) { article { id status version locale tags } userErrors { code field } } }`;
const UPDATE = `mutation ($input: ArticleUpdateInput!) { articleUpdate(input: $input) { article { id title version } userErrors { code } } }`;
const MOVE = `mutation ($input: ArticleTransitionInput!) { articleTransition(input: $input) {
  article { id status version publishedAt reviewer { id } } userErrors { code field } } }`;

/** A fresh article, published by the Volt manager: counts on it belong to this test alone. */
async function publishedArticle(title: string, body: string, category = 'OTHER'): Promise<string> {
  const created = ok(await as.voltManager(CREATE, { input: { category, locale: 'en-ie', title, body, tags: ['Test'] } }), 'articleCreate');
  const review = ok(
    await as.voltManager(MOVE, { input: { id: created.article.id, version: created.article.version, to: 'IN_REVIEW' } }),
    'articleTransition',
  );
  ok(
    await as.voltManager(MOVE, { input: { id: review.article.id, version: review.article.version, to: 'PUBLISHED' } }),
    'articleTransition',
  );
  return created.article.id;
}

describe('search: who reads which articles', () => {
  it('customers and storefront keys find published articles of their storefront and locale, ranked, with snippets', async () => {
    const res = await as.aoife(SEARCH, { query: 'mobile data apn' });
    const hits = res.body.data?.articleSearch.nodes;
    expect(hits[0]).toMatchObject({ article: { id: articleId('volt-apn'), status: 'PUBLISHED', locale: 'en-IE' } });
    expect(hits[0].rank).toBeGreaterThan(0);
    expect(hits[0].snippet).toContain('**');
    expect(await found(as.shopper, { query: 'charged twice' })).toContain(articleId('volt-double-charge'));
    // Drafts and reviews stay with staff; another brand's articles and another locale's stay out.
    expect(await found(as.shopper, { query: 'roaming' })).toEqual([]);
    expect(await found(as.aoife, { query: 'esim' })).toEqual([]);
    expect(await found(as.aoife, { query: 'router' })).toEqual([]);
    expect(await found(as.aoife, { query: 'mobile data', locale: 'en-GB' })).toEqual([]);
    expect(await found(as.nimbusShopper, { query: 'router evening' })).toEqual([articleId('nimbus-router')]);
    expect(await found(as.connectify, { query: 'delivery tracking' })).toEqual([articleId('volt-delivery')]);
  });

  it('web-search syntax: phrases, or, exclusions; stemming in the locale language', async () => {
    expect(await found(as.shopper, { query: '"wifi calling"' })).toEqual([articleId('volt-coverage')]);
    expect(await found(as.shopper, { query: 'bill -refund' })).not.toContain(articleId('volt-double-charge'));
    expect(await found(as.shopper, { query: 'refunds or tracking' })).toEqual(
      expect.arrayContaining([articleId('volt-double-charge'), articleId('volt-delivery')]),
    );
    expect(await found(as.shopper, { query: 'charges' })).toContain(articleId('volt-double-charge'));
  });

  it('agents find every status of their brand, in every locale; customers may not filter by status', async () => {
    expect(await found(as.consumerAgent, { query: 'roaming' })).toEqual([articleId('volt-roaming-draft')]);
    expect(await found(as.consumerAgent, { query: 'esim', status: ['IN_REVIEW'] })).toEqual([articleId('volt-esim')]);
    expect(await found(as.consumerAgent, { query: 'router' })).toEqual([]);
    expect(await found(as.nimbusAgent, { query: 'speed test' })).toEqual([articleId('nimbus-speed-draft')]);
    expect(codes(await as.aoife(SEARCH, { query: 'bill', status: ['DRAFT'] }))).toEqual(['FORBIDDEN']);
    // Staff without knowledge:read read what customers read.
    expect(await found(as.catalogAdmin, { query: 'roaming' })).toEqual([]);
  });

  it('pages through ranked results with cursors', async () => {
    const all = await found(as.consumerAgent, { query: 'bill or charge or order or signal or data' });
    expect(all.length).toBeGreaterThan(2);
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res: Response = await as.consumerAgent(SEARCH, { query: 'bill or charge or order or signal or data', first: 2, after });
      const page = res.body.data?.articleSearch;
      seen.push(...page.nodes.map((n: { article: { id: string } }) => n.article.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
  });

  it('article(id): a draft reads like a missing article to customers; staff see it with its history', async () => {
    const query = 'query ($id: ID!) { article(id: $id) { title status } }';
    expect(codes(await as.aoife(query, { id: articleId('volt-roaming-draft') }))).toEqual(['NOT_FOUND']);
    expect(codes(await as.nimbusAgent(query, { id: articleId('volt-apn') }))).toEqual(['NOT_FOUND']);
    expect((await as.shopper(query, { id: articleId('volt-apn') })).body.data?.article.status).toBe('PUBLISHED');
    const staff = await as.consumerAgent(`{ article(id: "${articleId('volt-apn')}") {
      author { id } reviewer { id } history { from to actor { id } } } }`);
    expect(staff.body.data?.article).toMatchObject({
      author: { id: seedId('staff', 'volt-consumer') },
      reviewer: { id: seedId('staff', 'volt-manager') },
      history: [
        { from: null, to: 'DRAFT' },
        { from: 'DRAFT', to: 'IN_REVIEW' },
        { from: 'IN_REVIEW', to: 'PUBLISHED', actor: { id: seedId('staff', 'volt-manager') } },
      ],
    });
    const customer = await as.aoife(`{ article(id: "${articleId('volt-apn')}") { title deflectionCount } }`);
    expect(codes(customer).every((c) => c === 'FORBIDDEN' || c === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
  });

  it('articles: the staff list, with filters', async () => {
    const list = await as.consumerAgent('{ articles(status: [DRAFT], first: 100) { nodes { id status } } }');
    const ids = list.body.data?.articles.nodes.map((n: { id: string }) => n.id);
    expect(ids).toContain(articleId('volt-roaming-draft'));
    expect(ids).not.toContain(articleId('nimbus-speed-draft'));
    expect(codes(await as.aoife('{ articles { nodes { id } } }'))[0]).toMatch(/FORBIDDEN|GRAPHQL_VALIDATION_FAILED/);
    expect(codes(await as.catalogAdmin('{ articles { nodes { id } } }'))).toEqual(['FORBIDDEN']);
  });
});

describe('suggestions while a ticket is raised', () => {
  const SUGGEST = `query ($subject: String!, $description: String, $category: TicketCategory) {
    articleSuggestions(subject: $subject, description: $description, category: $category) { rank snippet article { id } } }`;

  it('matches any word of the subject and description, favours the category, shows published articles only', async () => {
    const res = await as.shopper(SUGGEST, {
      subject: 'No internet on my phone',
      description: 'Mobile data stopped working yesterday, I restarted it twice',
      category: 'TECHNICAL',
    });
    const ids = res.body.data?.articleSuggestions.map((h: { article: { id: string } }) => h.article.id);
    expect(ids[0]).toBe(articleId('volt-apn'));
    const staff = await as.consumerAgent(SUGGEST, { subject: 'roaming charges abroad' });
    expect(staff.body.data?.articleSuggestions.map((h: { article: { id: string } }) => h.article.id)).not.toContain(
      articleId('volt-roaming-draft'),
    );
    expect((await as.aoife(SUGGEST, { subject: '!!! ???' })).body.data?.articleSuggestions).toEqual([]);
  });
});

describe('review life cycle', () => {
  it('DRAFT → IN_REVIEW → PUBLISHED → ARCHIVED with scopes, versions and reasons', async () => {
    const created = ok(
      await as.consumerAgent(CREATE, {
        input: {
          category: 'DEVICE',
          locale: 'en-ie',
          title: 'Pairing a smartwatch',
          body: 'Open the watch app and scan the code.',
          tags: [' Watch ', 'watch', 'Pairing'],
        },
      }),
      'articleCreate',
    );
    expect(created.article).toMatchObject({ status: 'DRAFT', locale: 'en-IE', tags: ['watch', 'pairing'] });
    const id = created.article.id;
    const v1 = created.article.version;
    const edited = ok(
      await as.consumerAgent(UPDATE, { input: { id, version: v1, title: 'Pairing a smartwatch with your phone' } }),
      'articleUpdate',
    );
    expect(refused(await as.consumerAgent(UPDATE, { input: { id, version: v1, title: 'Stale' } }), 'articleUpdate')).toBe('CONFLICT');
    expect(
      refused(await as.nimbusAgent(UPDATE, { input: { id, version: edited.article.version, title: 'Other brand' } }), 'articleUpdate'),
    ).toBe('NOT_FOUND');
    expect(
      refused(await as.consumerAgent(MOVE, { input: { id, version: edited.article.version, to: 'PUBLISHED' } }), 'articleTransition'),
    ).toBe('INVALID_TRANSITION');
    const review = ok(
      await as.consumerAgent(MOVE, { input: { id, version: edited.article.version, to: 'IN_REVIEW' } }),
      'articleTransition',
    );
    // Publishing needs knowledge:publish; sending back needs a reason.
    expect(
      refused(await as.consumerAgent(MOVE, { input: { id, version: review.article.version, to: 'PUBLISHED' } }), 'articleTransition'),
    ).toBe('FORBIDDEN');
    expect(refused(await as.voltManager(MOVE, { input: { id, version: review.article.version, to: 'DRAFT' } }), 'articleTransition')).toBe(
      'REASON_REQUIRED',
    );
    expect(await found(as.shopper, { query: 'smartwatch' })).toEqual([]);
    const published = ok(
      await as.voltManager(MOVE, { input: { id, version: review.article.version, to: 'PUBLISHED' } }),
      'articleTransition',
    );
    expect(published.article).toMatchObject({ status: 'PUBLISHED', reviewer: { id: seedId('staff', 'volt-manager') } });
    expect(published.article.publishedAt).toBeTruthy();
    expect(await found(as.shopper, { query: 'smartwatch' })).toEqual([id]);
    // A published article's text is the reviewers' to correct.
    expect(refused(await as.consumerAgent(UPDATE, { input: { id, version: published.article.version, body: 'x' } }), 'articleUpdate')).toBe(
      'FORBIDDEN',
    );
    const archived = ok(
      await as.voltManager(MOVE, { input: { id, version: published.article.version, to: 'ARCHIVED' } }),
      'articleTransition',
    );
    expect(archived.article.status).toBe('ARCHIVED');
    expect(await found(as.shopper, { query: 'smartwatch' })).toEqual([]);
    const history = await as.voltManager(`{ article(id: "${id}") { history { from to reason } } }`);
    expect(history.body.data?.article.history.map((h: { to: string }) => h.to)).toEqual(['DRAFT', 'IN_REVIEW', 'PUBLISHED', 'ARCHIVED']);
  });

  it('refuses bad input, customers and staff without knowledge:write', async () => {
    const bad = await as.consumerAgent(CREATE, { input: { category: 'OTHER', locale: 'not a locale', title: ' ', body: 'x' } });
    expect(bad.body.data?.articleCreate.userErrors.map((e: { code: string }) => e.code).sort()).toEqual(['BLANK', 'INVALID']);
    expect(codes(await as.catalogAdmin(CREATE, { input: { category: 'OTHER', locale: 'en', title: 't', body: 'b' } }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await as.aoife(CREATE, { input: { category: 'OTHER', locale: 'en', title: 't', body: 'b' } }))[0]).toMatch(
      /FORBIDDEN|GRAPHQL_VALIDATION_FAILED/,
    );
  });
});

describe('deflections and ticket links', () => {
  const DEFLECT = `mutation ($input: ArticleDeflectedInput!) { articleDeflected(input: $input) { article { id } userErrors { code } } }`;
  const LINK = `mutation ($input: TicketArticleLinkInput!) { ticketArticleLink(input: $input) { ticket { id articles { id } } userErrors { code } } }`;
  const counts = async (id: string) =>
    (await as.voltManager(`{ article(id: "${id}") { deflectionCount linkedTicketCount } }`)).body.data?.article;

  it('counts a deflection per shopper visit and once a day per customer; only published articles of the brand', async () => {
    const id = await publishedArticle('Resetting your voicemail PIN', 'Dial 171 and follow the prompts to reset the voicemail PIN.');
    expect(await counts(id)).toEqual({ deflectionCount: 0, linkedTicketCount: 0 });
    ok(await as.shopper(DEFLECT, { input: { articleId: id, category: 'OTHER', query: 'voicemail pin' } }), 'articleDeflected');
    ok(await as.aoife(DEFLECT, { input: { articleId: id } }), 'articleDeflected');
    ok(await as.aoife(DEFLECT, { input: { articleId: id } }), 'articleDeflected');
    expect((await counts(id)).deflectionCount).toBe(2);
    expect(refused(await as.nimbusShopper(DEFLECT, { input: { articleId: id } }), 'articleDeflected')).toBe('NOT_FOUND');
    expect(refused(await as.shopper(DEFLECT, { input: { articleId: articleId('volt-roaming-draft') } }), 'articleDeflected')).toBe(
      'NOT_FOUND',
    );
    expect(codes(await as.consumerAgent(DEFLECT, { input: { articleId: id } }))).toEqual(['FORBIDDEN']);
  });

  it('agents link published articles to resolved tickets they see; the customer reads them on the ticket', async () => {
    const id = await publishedArticle(
      'Improving indoor coverage',
      'A signal booster improves indoor coverage in thick-walled houses.',
      'NETWORK',
    );
    const closed = seedId('ticket', 'aoife-coverage');
    const linked = ok(await as.consumerAgent(LINK, { input: { ticketId: closed, articleId: id } }), 'ticketArticleLink');
    expect(linked.ticket.articles.map((a: { id: string }) => a.id)).toContain(id);
    ok(await as.consumerAgent(LINK, { input: { ticketId: closed, articleId: id } }), 'ticketArticleLink');
    expect((await counts(id)).linkedTicketCount).toBe(1);
    const mine = await as.aoife(`{ ticket(id: "${closed}") { articles { id title } } }`);
    expect(mine.body.data?.ticket.articles.map((a: { id: string }) => a.id)).toContain(id);
    // Open tickets, tickets of other segments, drafts: refused.
    expect(
      refused(await as.consumerAgent(LINK, { input: { ticketId: seedId('ticket', 'aoife-no-data'), articleId: id } }), 'ticketArticleLink'),
    ).toBe('INVALID_STATE');
    expect(refused(await as.businessAgent(LINK, { input: { ticketId: closed, articleId: id } }), 'ticketArticleLink')).toBe('NOT_FOUND');
    expect(
      refused(
        await as.consumerAgent(LINK, { input: { ticketId: closed, articleId: articleId('volt-roaming-draft') } }),
        'ticketArticleLink',
      ),
    ).toBe('NOT_FOUND');
    expect(codes(await as.aoife(LINK, { input: { ticketId: closed, articleId: id } }))[0]).toMatch(/FORBIDDEN|GRAPHQL_VALIDATION_FAILED/);
  });

  it('the demo links the double-charge article to the resolved double-charge ticket', async () => {
    const res = await as.aoife(`{ ticket(id: "${seedId('ticket', 'aoife-double-charge')}") { articles { id } } }`);
    expect(res.body.data?.ticket.articles).toEqual([{ id: articleId('volt-double-charge') }]);
  });
});
