import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows, expectRefusedAndUnchanged, staffMutations, type WriteAttempt } from './support/brand-matrix.js';
import { client, codes, distinctCodes, KEYS, PRIVATE_KEYS, type Response, signIn, startTestStack } from './support/stack.js';

/**
 * Quote approvals across brands, segments and kinds of caller: the rules are per storefront (another
 * brand's staff write their own), submitting and deciding reach only the quotes a caller may see.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const VOLT = seedId('storefront', 'volt');

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.conor = (await signIn(h, 'customerLogin', 'conor@example.com', KEYS.volt)).gql;
  as.skyline = (await signIn(h, 'partnerLogin', 'ops@skyline.example')).gql;
  as.consumerAgent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.businessAgent = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  as.voltManager = (await signIn(h, 'staffLogin', 'manager@volt.example')).gql;
  as.nimbusAgent = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  as.chatbot = client(h, PRIVATE_KEYS.voltChatbot);
  as.shopper = client(h, KEYS.volt);
});
afterAll(() => stack.stop());

const RULES = '{ quoteApprovalRules { version rules { id } } }';
const M = {
  quoteApprovalRulesSet:
    'mutation ($input: QuoteApprovalRulesSetInput!) { quoteApprovalRulesSet(input: $input) { ruleSet { version } userErrors { code } } }',
  quoteSubmit:
    'mutation ($id: ID!, $version: Int!) { quoteSubmit(id: $id, version: $version) { quote { id status version } userErrors { code } } }',
  quoteApprove: 'mutation ($input: QuoteDecisionInput!) { quoteApprove(input: $input) { quote { id } userErrors { code } } }',
  quoteReject: 'mutation ($input: QuoteDecisionInput!) { quoteReject(input: $input) { quote { id } userErrors { code } } }',
};
const DEEP = {
  id: 'deep-line-discount',
  name: 'Line discount over 15%',
  level: 'MANAGER',
  conditions: [{ path: 'maxLineDiscountPercent', operator: 'GT', value: '15' }],
};
const FINANCE = {
  id: 'many-lines',
  name: 'Three lines or more',
  level: 'FINANCE',
  conditions: [{ path: 'lineCount', operator: 'GTE', value: '3' }],
};

const ruleRows = () => dbRows(stack, 'quote', 'select * from "quote"."quote_approval_rule_set" where storefront_id = ?', [VOLT]);
const quoteRows = (id: string) =>
  Promise.all([
    dbRows(stack, 'quote', 'select status, version from "quote"."quote" where id = ?', [id]),
    dbRows(stack, 'quote', 'select level, status, decided_by from "quote"."quote_approval" where quote_id = ? order by level', [id]),
  ]);

let draft: { id: string; version: number };
let submitted: { id: string; version: number };

async function discounted(): Promise<{ id: string; version: number }> {
  const res = await as.consumerAgent(
    'mutation ($input: QuoteCreateInput!) { quoteCreate(input: $input) { quote { id version } userErrors { code } } }',
    {
      input: {
        customerId: seedId('customer', 'aoife'),
        lines: [{ productId: seedId('product', 'volt-sim-5gb'), discount: { type: 'PERCENT', value: '20' } }],
      },
    },
  );
  return res.body.data?.quoteCreate.quote;
}

beforeAll(async () => {
  // The same rules the approvals test sets (both files may run at once): a 20% line discount needs a manager.
  const current = (await as.voltManager(RULES)).body.data?.quoteApprovalRules;
  if (!current.rules.some((r: { id: string }) => r.id === DEEP.id))
    await as.voltManager(M.quoteApprovalRulesSet, { input: { version: current.version, rules: [DEEP, FINANCE] } });
  draft = await discounted();
  const s = await discounted();
  submitted = (await as.consumerAgent(M.quoteSubmit, { id: s.id, version: s.version })).body.data?.quoteSubmit.quote;
  expect(submitted).toMatchObject({ status: 'SUBMITTED' });
});

describe('approval rules per storefront', () => {
  it("staff read their own brand's rules; customers, partners, keys and the chatbot none", async () => {
    expect((await as.consumerAgent(RULES)).body.data?.quoteApprovalRules.rules.map((r: { id: string }) => r.id)).toContain(DEEP.id);
    expect((await as.nimbusAgent(RULES)).body.data?.quoteApprovalRules.rules.map((r: { id: string }) => r.id)).not.toContain(DEEP.id);
    for (const gql of [as.aoife, as.skyline, as.shopper, as.chatbot])
      expect((await gql(RULES)).body.data?.quoteApprovalRules).toBeUndefined();
  });

  it("another brand's quote:admin writes its own rules, never Volt's", async () => {
    const before = await ruleRows();
    const nimbus = (await as.nimbusAgent(RULES)).body.data?.quoteApprovalRules;
    const res = await as.nimbusAgent(M.quoteApprovalRulesSet, { input: { version: nimbus.version, rules: [] } });
    expect(res.body.data?.quoteApprovalRulesSet.userErrors).toEqual([]);
    expect(await ruleRows()).toEqual(before);
  });
});

const attachmentRows = () => dbRows(stack, 'quote', 'select id from "quote"."quote_attachment" where quote_id = ? order by id', [draft.id]);
const attach = (gql: Gql) =>
  gql('mutation ($input: QuoteAttachmentAddInput!) { quoteAttachmentAdd(input: $input) { attachment { id } userErrors { code } } }', {
    input: { quoteId: draft.id, fileName: 'x.txt', contentType: 'text/plain', contentBase64: 'eA==' },
  });

const CASES: WriteAttempt[] = [
  {
    mutation: 'quoteAttachmentAdd',
    what: 'Nimbus staff attach to a Volt quote',
    attempt: () => attach(as.nimbusAgent),
    refusal: 'NOT_FOUND',
    rows: attachmentRows,
  },
  {
    mutation: 'quoteAttachmentAdd',
    what: 'staff of another segment attach',
    attempt: () => attach(as.businessAgent),
    refusal: 'NOT_FOUND',
    rows: attachmentRows,
  },
  {
    mutation: 'quoteAttachmentAdd',
    what: "another customer attaches to Aoife's quote",
    attempt: () => attach(as.conor),
    refusal: 'NOT_FOUND',
    rows: attachmentRows,
  },
  {
    mutation: 'quoteAttachmentAdd',
    what: 'a partner attaches to a quote not of its accounts',
    attempt: () => attach(as.skyline),
    refusal: 'NOT_FOUND',
    rows: attachmentRows,
  },
  {
    mutation: 'quoteApprovalRulesSet',
    what: 'a Volt agent without quote:admin sets Volt rules',
    attempt: () => as.consumerAgent(M.quoteApprovalRulesSet, { input: { version: 1, rules: [] } }),
    refusal: 'FORBIDDEN',
    rows: ruleRows,
  },
  {
    mutation: 'quoteSubmit',
    what: 'Nimbus staff submit a Volt quote',
    attempt: () => as.nimbusAgent(M.quoteSubmit, { id: draft.id, version: draft.version }),
    refusal: 'NOT_FOUND',
    rows: () => quoteRows(draft.id),
  },
  {
    mutation: 'quoteSubmit',
    what: 'Volt staff of another segment submit a consumer quote',
    attempt: () => as.businessAgent(M.quoteSubmit, { id: draft.id, version: draft.version }),
    refusal: 'NOT_FOUND',
    rows: () => quoteRows(draft.id),
  },
  {
    mutation: 'quoteSubmit',
    what: "another customer submits Aoife's quote",
    attempt: () => as.conor(M.quoteSubmit, { id: draft.id, version: draft.version }),
    refusal: 'NOT_FOUND',
    rows: () => quoteRows(draft.id),
  },
  {
    mutation: 'quoteSubmit',
    what: 'a partner submits a quote not of its accounts',
    attempt: () => as.skyline(M.quoteSubmit, { id: draft.id, version: draft.version }),
    refusal: 'NOT_FOUND',
    rows: () => quoteRows(draft.id),
  },
  {
    mutation: 'quoteApprove',
    what: 'Nimbus staff (quote:approve) approve a Volt quote',
    attempt: () => as.nimbusAgent(M.quoteApprove, { input: { id: submitted.id, version: submitted.version } }),
    refusal: 'NOT_FOUND',
    rows: () => quoteRows(submitted.id),
  },
  {
    mutation: 'quoteReject',
    what: 'Nimbus staff (quote:approve) reject a Volt quote',
    attempt: () => as.nimbusAgent(M.quoteReject, { input: { id: submitted.id, version: submitted.version, comment: 'no' } }),
    refusal: 'NOT_FOUND',
    rows: () => quoteRows(submitted.id),
  },
  {
    mutation: 'quoteApprove',
    what: 'a Volt agent without quote:approve approves',
    attempt: () => as.businessAgent(M.quoteApprove, { input: { id: submitted.id, version: submitted.version } }),
    refusal: 'NOT_FOUND',
    rows: () => quoteRows(submitted.id),
  },
];

describe('revisions', () => {
  const DIFF = 'query ($from: ID!, $to: ID!) { quoteRevisionDiff(from: $from, to: $to) { added { productId } } }';
  it('a revision diff only of quotes the caller may see; Quote.revisions only the visible ones', async () => {
    expect(codes(await as.consumerAgent(DIFF, { from: draft.id, to: draft.id }))).toEqual([]);
    for (const gql of [as.nimbusAgent, as.businessAgent, as.conor, as.skyline])
      expect(codes(await gql(DIFF, { from: draft.id, to: draft.id }))).toEqual(['NOT_FOUND']);
    for (const gql of [as.shopper, as.chatbot]) expect(codes(await gql(DIFF, { from: draft.id, to: draft.id }))).not.toEqual([]);
    for (const page of ['first: 5', 'last: 5']) {
      const revisions = await as.aoife(`query ($id: ID!) { quote(id: $id) { revisions(${page}) { nodes { id } } } }`, { id: draft.id });
      expect(revisions.body.data?.quote.revisions.nodes).toEqual([{ id: draft.id }]);
    }
  });
});

describe('documents', () => {
  const DOC = 'query ($id: ID!) { quoteDocument(id: $id) { fileName } }';
  it('only of quotes the caller may see', async () => {
    expect(codes(await as.aoife(DOC, { id: draft.id }))).toEqual([]);
    for (const gql of [as.nimbusAgent, as.businessAgent, as.conor, as.skyline])
      expect(codes(await gql(DOC, { id: draft.id }))).toEqual(['NOT_FOUND']);
    for (const gql of [as.shopper, as.chatbot]) expect(codes(await gql(DOC, { id: draft.id }))).not.toEqual([]);
  });
});

describe('attachments', () => {
  const ADD = 'mutation ($input: QuoteAttachmentAddInput!) { quoteAttachmentAdd(input: $input) { attachment { id } userErrors { code } } }';
  const file = () => ({
    quoteId: draft.id,
    fileName: 'a.txt',
    contentType: 'text/plain',
    contentBase64: Buffer.from('a').toString('base64'),
  });
  it('only on and of quotes the caller may see', async () => {
    const added = (await as.consumerAgent(ADD, { input: file() })).body.data?.quoteAttachmentAdd.attachment;
    const READ = 'query ($id: ID!) { quoteAttachment(id: $id) { id } }';
    expect(codes(await as.aoife(READ, { id: added.id }))).toEqual([]);
    for (const gql of [as.nimbusAgent, as.businessAgent, as.conor, as.skyline])
      expect(codes(await gql(READ, { id: added.id }))).toEqual(['NOT_FOUND']);
    // Listed, both ways, only under a quote the caller may see.
    const LIST = (page: string) => `query ($id: ID!) { quote(id: $id) { attachments(${page}) { nodes { id } } } }`;
    for (const page of ['first: 100', 'last: 100']) {
      const own = await as.aoife(LIST(page), { id: draft.id });
      expect(own.body.data?.quote.attachments.nodes.map((a: { id: string }) => a.id)).toContain(added.id);
      for (const gql of [as.nimbusAgent, as.businessAgent, as.conor, as.skyline]) {
        expect((await gql(LIST(page), { id: draft.id })).body.data?.quote ?? null).toBeNull();
      }
    }
  });
});

describe('approval writes', () => {
  it.each(CASES.map((c) => [c.mutation, c.what, c] as const))('%s: %s → refused, nothing changed', async (_, __, c) => {
    await expectRefusedAndUnchanged(c);
  });

  it('customers never decide approvals', async () => {
    const res = await as.aoife(M.quoteApprove, { input: { id: submitted.id, version: submitted.version } });
    expect(distinctCodes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('the matrix covers every staff mutation of the approvals', () => {
    const all = staffMutations(new URL('../subgraphs/quote/src/schema.graphql', import.meta.url));
    const covered = new Set(CASES.map((c) => c.mutation));
    expect(
      ['quoteApprovalRulesSet', 'quoteSubmit', 'quoteApprove', 'quoteReject'].filter((m) => !all.includes(m) || !covered.has(m)),
    ).toEqual([]);
  });
});
