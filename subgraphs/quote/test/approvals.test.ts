import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../../stack/src/stack.js';
import { dbRows } from '../../../tests/support/brand-matrix.js';
import { codes, KEYS, type Response, signIn, startTestStack } from '../../../tests/support/stack.js';

/** Quote approvals through the router: rules as data, submit, routing and notifications, decisions. */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const product = (slug: string) => seedId('product', slug);
const STAFF = {
  consumer: seedId('staff', 'volt-consumer'),
  manager: seedId('staff', 'volt-manager'),
  regional: seedId('staff', 'regional-manager'),
};

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.consumerAgent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.manager = (await signIn(h, 'staffLogin', 'manager@volt.example')).gql;
  as.regional = (await signIn(h, 'staffLogin', 'regional@dcrm.example')).gql;
});
afterAll(() => stack.stop());

const RULES = '{ quoteApprovalRules { version rules { id name level match conditions { path operator value values } } } }';
const SET = `mutation ($input: QuoteApprovalRulesSetInput!) { quoteApprovalRulesSet(input: $input) {
  ruleSet { version rules { id level conditions { path operator value } } } userErrors { code field message } } }`;
const FIELDS = 'id status version approvalRules approvals { level status reasons decidedBy comment at }';
const CREATE = `mutation ($input: QuoteCreateInput!) { quoteCreate(input: $input) { quote { ${FIELDS} } userErrors { code } } }`;
const SUBMIT = `mutation ($id: ID!, $version: Int!) { quoteSubmit(id: $id, version: $version) { quote { ${FIELDS} } userErrors { code field message } } }`;
const APPROVE = `mutation ($input: QuoteDecisionInput!) { quoteApprove(input: $input) { quote { ${FIELDS} } userErrors { code field message } } }`;
const REJECT = `mutation ($input: QuoteDecisionInput!) { quoteReject(input: $input) { quote { ${FIELDS} } userErrors { code field message } } }`;

const TEST_RULES = [
  {
    id: 'deep-line-discount',
    name: 'Line discount over 15%',
    level: 'MANAGER',
    conditions: [{ path: 'maxLineDiscountPercent', operator: 'GT', value: '15' }],
  },
  { id: 'many-lines', name: 'Three lines or more', level: 'FINANCE', conditions: [{ path: 'lineCount', operator: 'GTE', value: '3' }] },
];

async function setRules(gql: Gql, rules: unknown[]) {
  const version = (await gql(RULES)).body.data?.quoteApprovalRules.version;
  return gql(SET, { input: { version, rules } });
}

async function draft(lines: { productId: string; discount?: unknown }[]) {
  const res = await as.consumerAgent(CREATE, { input: { customerId: seedId('customer', 'aoife'), lines } });
  expect(res.body.data?.quoteCreate.userErrors).toEqual([]);
  return res.body.data?.quoteCreate.quote as { id: string; version: number };
}

const sentTo = async (quoteId: string, template: string) =>
  (
    (await dbRows(
      stack,
      'customer',
      `select distinct staff_id from "customer"."notification_sent" where template_key = ? and dedupe_key like ? order by staff_id`,
      [template, `%${quoteId}%`],
    )) as { staff_id: string }[]
  ).map((r) => r.staff_id);

describe('approval rules as data', () => {
  it('quote:admin sets them, validated against the quote facts; a stale version is a CONFLICT', async () => {
    const bad = await setRules(as.manager, [{ level: 'MANAGER', conditions: [{ path: 'margin', operator: 'GT', value: 'x' }] }]);
    expect(bad.body.data?.quoteApprovalRulesSet.userErrors[0]).toMatchObject({
      code: 'UNKNOWN_FIELD',
      field: ['input', 'rules', '0', 'conditions', '0', 'path'],
    });
    const set = await setRules(as.manager, TEST_RULES);
    expect(set.body.data?.quoteApprovalRulesSet.userErrors).toEqual([]);
    const stale = await as.manager(SET, { input: { version: 0, rules: TEST_RULES } });
    expect(stale.body.data?.quoteApprovalRulesSet.userErrors[0].code).toBe('CONFLICT');
    const read = (await as.consumerAgent(RULES)).body.data?.quoteApprovalRules;
    expect(read.rules.map((r: { id: string; level: string }) => [r.id, r.level])).toEqual([
      ['deep-line-discount', 'MANAGER'],
      ['many-lines', 'FINANCE'],
    ]);
    expect(read.rules[0].conditions).toEqual([{ path: 'maxLineDiscountPercent', operator: 'GT', value: '15', values: null }]);
    // Without quote:admin: refused; customers never read them.
    expect(codes(await setRules(as.consumerAgent, TEST_RULES))).toContain('FORBIDDEN');
    expect(codes(await as.aoife(RULES))).not.toEqual([]);
  });
});

describe('submitting and deciding', () => {
  beforeAll(async () => {
    expect((await setRules(as.manager, TEST_RULES)).body.data?.quoteApprovalRulesSet.userErrors).toEqual([]);
  });

  it('no rule matching: straight to APPROVED', async () => {
    const q = await draft([{ productId: product('volt-sim-5gb') }]);
    const res = await as.consumerAgent(SUBMIT, { id: q.id, version: q.version });
    expect(res.body.data?.quoteSubmit.quote).toMatchObject({ status: 'APPROVED', approvals: [], approvalRules: [] });
  });

  it('a deep discount goes to the manager chain, explained; the manager approves, the submitter is told', async () => {
    const q = await draft([{ productId: product('volt-sim-5gb'), discount: { type: 'PERCENT', value: '20' } }]);
    const res = await as.consumerAgent(SUBMIT, { id: q.id, version: q.version });
    const submitted = res.body.data?.quoteSubmit.quote;
    expect(submitted.status).toBe('SUBMITTED');
    expect(submitted.approvalRules).toEqual(['Line discount over 15% (→ MANAGER): maxLineDiscountPercent gt 15 (was 20)']);
    expect(submitted.approvals).toMatchObject([{ level: 'MANAGER', status: 'PENDING', decidedBy: null }]);
    expect(await sentTo(q.id, 'quote.approvalRequested')).toEqual(expect.arrayContaining([STAFF.manager, STAFF.regional]));
    // Not editable meanwhile; the submitter cannot approve; a stale version is a CONFLICT.
    expect((await as.consumerAgent(SUBMIT, { id: q.id, version: submitted.version })).body.data?.quoteSubmit.userErrors[0].code).toBe(
      'INVALID_STATUS',
    );
    expect(
      (await as.consumerAgent(APPROVE, { input: { id: q.id, version: submitted.version } })).body.data?.quoteApprove.userErrors[0].code,
    ).toBe('FORBIDDEN');
    expect((await as.manager(APPROVE, { input: { id: q.id, version: q.version } })).body.data?.quoteApprove.userErrors[0].code).toBe(
      'CONFLICT',
    );
    const approved = await as.manager(APPROVE, { input: { id: q.id, version: submitted.version, comment: 'Fine for a loyal customer' } });
    expect(approved.body.data?.quoteApprove.userErrors).toEqual([]);
    expect(approved.body.data?.quoteApprove.quote).toMatchObject({
      status: 'APPROVED',
      approvals: [{ level: 'MANAGER', status: 'APPROVED', decidedBy: STAFF.manager, comment: 'Fine for a loyal customer' }],
    });
    expect(await sentTo(q.id, 'quote.decided')).toEqual([STAFF.consumer]);
  });

  it('two levels: each decided once, by its own scope; a rejection (with a reason) ends it', async () => {
    const q = await draft([
      { productId: product('volt-sim-5gb'), discount: { type: 'PERCENT', value: '30' } },
      { productId: product('volt-sim-5gb') },
      { productId: product('volt-sim-unlimited') },
    ]);
    const submitted = (await as.consumerAgent(SUBMIT, { id: q.id, version: q.version })).body.data?.quoteSubmit.quote;
    expect(submitted.approvals.map((a: { level: string }) => a.level)).toEqual(['MANAGER', 'FINANCE']);
    expect(await sentTo(q.id, 'quote.approvalRequested')).toContain(STAFF.regional);
    // The Volt manager has no finance:approve.
    const finance = await as.manager(APPROVE, { input: { id: q.id, version: submitted.version, level: 'FINANCE' } });
    expect(finance.body.data?.quoteApprove.userErrors[0].code).toBe('FORBIDDEN');
    const first = (await as.manager(APPROVE, { input: { id: q.id, version: submitted.version, level: 'MANAGER' } })).body.data
      ?.quoteApprove;
    expect(first.quote.status).toBe('SUBMITTED');
    const again = await as.manager(APPROVE, { input: { id: q.id, version: first.quote.version, level: 'MANAGER' } });
    expect(again.body.data?.quoteApprove.userErrors[0].code).toBe('ALREADY_DECIDED');
    const noReason = await as.regional(REJECT, { input: { id: q.id, version: first.quote.version, level: 'FINANCE' } });
    expect(noReason.body.data?.quoteReject.userErrors[0].code).toBe('REQUIRED');
    const rejected = await as.regional(REJECT, {
      input: { id: q.id, version: first.quote.version, level: 'FINANCE', comment: 'Margin too thin' },
    });
    expect(rejected.body.data?.quoteReject.userErrors).toEqual([]);
    expect(rejected.body.data?.quoteReject.quote).toMatchObject({ status: 'REJECTED' });
    expect(rejected.body.data?.quoteReject.quote.approvals[1]).toMatchObject({
      level: 'FINANCE',
      status: 'REJECTED',
      comment: 'Margin too thin',
    });
  });

  it('customers never see approvals (not in their view of the schema)', async () => {
    const res = await as.aoife('{ me { quotes(first: 1) { nodes { id approvals { level } } } } }');
    expect(codes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});

describe('revisions', () => {
  const UPDATE = `mutation ($input: QuoteUpdateInput!) { quoteUpdate(input: $input) {
    quote { id number revision status version approvals { level } lines { id } } userErrors { code field } } }`;
  const REMOVE = `mutation ($input: QuoteLinesRemoveInput!) { quoteLinesRemove(input: $input) {
    quote { id revision status version lines { id name } } userErrors { code field } } }`;
  const DIFF = `query ($from: ID!, $to: ID!) { quoteRevisionDiff(from: $from, to: $to) {
    from { revision status } to { revision status } added { productId } removed { productId name } changed { productId changes { field from to } }
    quoteChanges { field from to } } }`;

  it('editing a submitted quote makes a new DRAFT revision; the old one is SUPERSEDED and read-only; the diff shows what changed', async () => {
    await setRules(as.manager, TEST_RULES);
    const q = await draft([
      { productId: product('volt-sim-5gb'), discount: { type: 'PERCENT', value: '20' } },
      { productId: product('volt-sim-unlimited') },
    ]);
    const submitted = (await as.consumerAgent(SUBMIT, { id: q.id, version: q.version })).body.data?.quoteSubmit.quote;
    expect(submitted.status).toBe('SUBMITTED');
    const stale = await as.consumerAgent(UPDATE, { input: { id: q.id, version: q.version, discount: { type: 'PERCENT', value: '5' } } });
    expect(stale.body.data?.quoteUpdate.userErrors[0].code).toBe('CONFLICT');
    const revised = (
      await as.consumerAgent(UPDATE, { input: { id: q.id, version: submitted.version, discount: { type: 'PERCENT', value: '5' } } })
    ).body.data?.quoteUpdate;
    expect(revised.userErrors).toEqual([]);
    expect(revised.quote).toMatchObject({ revision: 2, status: 'DRAFT', version: 1, approvals: [] });
    expect(revised.quote.id).not.toBe(q.id);
    const old = await as.consumerAgent(`query ($id: ID!) { quote(id: $id) { status version revisions { nodes { revision status } } } }`, {
      id: q.id,
    });
    expect(old.body.data?.quote.status).toBe('SUPERSEDED');
    expect(old.body.data?.quote.revisions.nodes).toEqual([
      { revision: 1, status: 'SUPERSEDED' },
      { revision: 2, status: 'DRAFT' },
    ]);
    const frozen = await as.consumerAgent(UPDATE, { input: { id: q.id, version: old.body.data?.quote.version, internalNote: 'x' } });
    expect(frozen.body.data?.quoteUpdate.userErrors[0].code).toBe('NOT_EDITABLE');

    // Submitted again and approved, then a line removed by its id on the approved revision: revision 3.
    const again = (await as.consumerAgent(SUBMIT, { id: revised.quote.id, version: revised.quote.version })).body.data?.quoteSubmit.quote;
    const approved = (await as.manager(APPROVE, { input: { id: again.id, version: again.version } })).body.data?.quoteApprove.quote;
    expect(approved.status).toBe('APPROVED');
    const third = (
      await as.consumerAgent(REMOVE, { input: { id: approved.id, version: approved.version, lineIds: [revised.quote.lines[1].id] } })
    ).body.data?.quoteLinesRemove;
    expect(third.userErrors).toEqual([]);
    expect(third.quote).toMatchObject({ revision: 3, status: 'DRAFT' });
    expect(third.quote.lines).toHaveLength(1);

    const diff = (await as.consumerAgent(DIFF, { from: third.quote.id, to: q.id })).body.data?.quoteRevisionDiff;
    expect(diff.from).toEqual({ revision: 1, status: 'SUPERSEDED' });
    expect(diff.to).toEqual({ revision: 3, status: 'DRAFT' });
    expect(diff.removed).toEqual([{ productId: product('volt-sim-unlimited'), name: expect.any(String) }]);
    expect(diff.added).toEqual([]);
    expect(diff.quoteChanges.map((c: { field: string }) => c.field)).toEqual(expect.arrayContaining(['discount', 'monthly']));
    expect(diff.quoteChanges.find((c: { field: string }) => c.field === 'discount')).toEqual({
      field: 'discount',
      from: null,
      to: '5.00%',
    });
    // The customer compares their own revisions too.
    expect(codes(await as.aoife(DIFF, { from: q.id, to: third.quote.id }))).toEqual([]);
  });
});

describe('documents', () => {
  const DOC = 'query ($id: ID!) { quoteDocument(id: $id) { format contentType fileName content } }';
  it("renders a quote in the brand's theme, for its customer and staff alike", async () => {
    const q = await draft([{ productId: product('volt-sim-5gb') }]);
    const res = await as.aoife(DOC, { id: q.id });
    expect(res.body.errors).toBeUndefined();
    const doc = res.body.data?.quoteDocument;
    expect(doc).toMatchObject({
      format: 'HTML',
      contentType: 'text/html; charset=utf-8',
      fileName: expect.stringMatching(/^Q-\d{4}-\d+-r1\.html$/),
    });
    expect(doc.content).toMatch(/^<!doctype html>/);
    expect(doc.content).toContain('Volt');
    const staff = await as.consumerAgent('query ($id: ID!) { quote(id: $id) { document { fileName } } }', { id: q.id });
    expect(staff.body.data?.quote.document.fileName).toBe(doc.fileName);
  });
});

describe('attachments', () => {
  const ADD = `mutation ($input: QuoteAttachmentAddInput!) { quoteAttachmentAdd(input: $input) {
    attachment { id fileName contentType sizeBytes sha256 contentBase64 } userErrors { code field } } }`;
  it('are kept in PostgreSQL, listed on every revision, read one at a time with their content; size-capped', async () => {
    const q = await draft([{ productId: product('volt-sim-5gb') }]);
    const content = Buffer.from('signed order form').toString('base64');
    const added = (
      await as.aoife(ADD, { input: { quoteId: q.id, fileName: 'form.txt', contentType: 'text/plain', contentBase64: content } })
    ).body.data?.quoteAttachmentAdd;
    expect(added.userErrors).toEqual([]);
    expect(added.attachment).toMatchObject({ fileName: 'form.txt', contentType: 'text/plain', sizeBytes: 17, contentBase64: null });
    const bad = (await as.aoife(ADD, { input: { quoteId: q.id, fileName: '../x', contentType: 'text', contentBase64: '***' } })).body.data
      ?.quoteAttachmentAdd;
    expect(bad.userErrors.map((e: { field: string[] }) => e.field)).toEqual([
      ['input', 'fileName'],
      ['input', 'contentType'],
      ['input', 'contentBase64'],
    ]);
    const listed = await as.consumerAgent('query ($id: ID!) { quote(id: $id) { attachments { nodes { id fileName contentBase64 } } } }', {
      id: q.id,
    });
    expect(listed.body.data?.quote.attachments.nodes).toEqual([{ id: added.attachment.id, fileName: 'form.txt', contentBase64: null }]);
    const one = await as.aoife('query ($id: ID!) { quoteAttachment(id: $id) { contentBase64 sha256 } }', { id: added.attachment.id });
    expect(one.body.data?.quoteAttachment).toEqual({ contentBase64: content, sha256: added.attachment.sha256 });
  });
});
