import { randomUUID } from 'node:crypto';
import { SERVICE_SCOPES, seedId, servicePrincipal } from '@dcrm/kit';
import { gql as direct } from '@dcrm/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../../stack/src/stack.js';
import { codes, GENEROUS_COST, productId, type Response, signIn, startTestStack } from '../../../tests/support/stack.js';
import { carryProducts, freshBrand, insertCustomer, insertLeads, opportunitySql, subgraph } from './support.js';

/**
 * Lead import through the router and the bulk framework (customer orchestrates, opportunity validates
 * and applies `lead.import`): counts and row reasons before anything is written, then per-row results
 * after the job; duplicates within the file (whatever validation calls the rows fall in) and against the
 * brand's leads never become leads; rows link to the brand's existing accounts and refer to its products
 * only, as at capture; 10,000 rows in one operation. Runs in a brand of this file's own so no other file's lists see the rows.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
let admin: Gql;
let brand: string;
let voltManager: Gql;

beforeAll(async () => {
  stack = await startTestStack({ cost: GENEROUS_COST });
  ({ gql: admin, storefrontId: brand } = await freshBrand(stack));
  voltManager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
}, 60_000);
afterAll(() => stack.stop());

const OPERATION = 'id status action module storefrontId stats { total valid invalid succeeded failed pending batchCount }';
const CREATE = `mutation ($input: BulkOperationCreateInput!) { bulkOperationCreate(input: $input) {
  bulkOperation { ${OPERATION} rows(first: 100, status: INVALID) { edges { node { number errors { field code message } } } } }
  userErrors { field code message } } }`;
const CONFIRM = `mutation ($input: BulkOperationIdInput!) { bulkOperationConfirm(input: $input) { bulkOperation { id status } userErrors { code } } }`;
const RESULTS = `query ($id: ID!, $after: String) { bulkOperation(id: $id) { ${OPERATION}
  rows(first: 100, after: $after) { edges { node { number status resultId errors { field code message } } } pageInfo { hasNextPage endCursor } } } }`;

type Op = { id: string; status: string; stats: Record<string, number>; rows: { edges: { node: Record<string, any> }[] } };
const tag = () => Math.random().toString(36).slice(2, 8);
const runJob = (operationId: string) =>
  (subgraph(stack, 'customer').server.tasks['bulk:run'] as (payload: unknown) => Promise<{ status: string }>)({ operationId });

async function create(gql: Gql, content: string): Promise<{ op: Op | null; userErrors: { code: string }[] }> {
  const res = await gql(CREATE, { input: { action: 'lead.import', format: 'CSV', content } });
  expect(res.body.errors).toBeUndefined();
  const payload = res.body.data?.bulkOperationCreate;
  return { op: payload.bulkOperation, userErrors: payload.userErrors };
}

async function confirmAndRun(id: string): Promise<void> {
  const res = await admin(CONFIRM, { input: { id } });
  expect(res.body.data?.bulkOperationConfirm.userErrors).toEqual([]);
  expect((await runJob(id)).status).toBe('COMPLETED');
}

const leadsOfBrand = async (where = '', params: unknown[] = []) =>
  opportunitySql(stack, `select * from opportunity.lead where storefront_id = ? ${where} order by id`, [brand, ...params]);

describe('lead.import', () => {
  it('answers total / valid / invalid with row reasons before processing, then created and duplicate rows per row', async () => {
    const t = tag();
    const [existing] = await insertLeads(stack, brand, [{ firstName: 'Old', lastName: 'Lead', email: `old-${t}@example.com` }]);
    const content = [
      'First name,Last name,Email,Mobile,Country,Rating,Budget,Currency,Source',
      `Ada,One,ada-${t}@example.com,+353871230101,,HOT,1500,EUR,Trade show`,
      `Bad,Email,not-an-email,,,,,,`,
      `No,Contact,,,,,,,`,
      `Ada,Again,ADA-${t}@example.com,,,,,,`,
      `Old,Lead,old-${t}@example.com,,,,,,`,
      `Cold,Rating,cold-${t}@example.com,,,LUKEWARM,,,`,
      `Nat,Ional,,087 123 0${Math.floor(100 + Math.random() * 899)},IE,WARM,,,`,
      `Late,Comer,late-${t}@example.com,,,,,,`,
    ].join('\n');
    const { op, userErrors } = await create(admin, content);
    expect(userErrors).toEqual([]);
    expect(op).toMatchObject({
      status: 'VALIDATED',
      module: 'opportunity',
      storefrontId: brand,
      stats: { total: 8, valid: 3, invalid: 5 },
    });
    const reasons = op?.rows.edges.map((e) => [
      e.node.number,
      e.node.errors.map((x: { field: string; code: string }) => `${x.field}:${x.code}`),
    ]);
    expect(reasons).toEqual([
      [2, ['email:INVALID']],
      [3, ['email:REQUIRED']],
      [4, ['email:DUPLICATE']],
      [5, ['email:DUPLICATE']],
      [6, ['rating:INVALID']],
    ]);
    expect(op?.rows.edges[2].node.errors[0].message).toBe('Same as row 1 (EMAIL)');
    expect(op?.rows.edges[3].node.errors[0].message).toBe(`Matches lead ${existing.id} (EMAIL)`);
    expect(await leadsOfBrand("and channel = 'BULK'")).toEqual([]);

    // Someone records row 8's person between validation and the run: that row is a duplicate, not a lead.
    const [meanwhile] = await insertLeads(stack, brand, [{ firstName: 'Late', lastName: 'Comer', email: `late-${t}@example.com` }]);
    await confirmAndRun(op?.id as string);
    const done = (await admin(RESULTS, { id: op?.id })).body.data?.bulkOperation;
    expect(done).toMatchObject({ status: 'COMPLETED', stats: { succeeded: 2, failed: 1 } });
    const byRow = new Map(done.rows.edges.map((e: { node: Record<string, any> }) => [e.node.number, e.node]));
    expect(byRow.get(8)).toMatchObject({
      status: 'FAILED',
      errors: [{ code: 'DUPLICATE', message: `Matches lead ${meanwhile.id} (EMAIL)` }],
    });
    const created = await leadsOfBrand("and channel = 'BULK'");
    expect(created.map((l) => l.id).sort()).toEqual([byRow.get(1), byRow.get(7)].map((n: any) => n.resultId).sort());
    const ada = created.find((l) => l.first_name === 'Ada');
    expect(ada).toMatchObject({
      status: 'NEW',
      rating: 'HOT',
      budget_amount: '1500.00',
      budget_currency: 'EUR',
      mobile: '+353871230101',
      source: 'Trade show',
    });
    expect(ada?.email_key).toBe(`ada-${t}@example.com`);
    const national = created.find((l) => l.first_name === 'Nat');
    expect(national?.mobile).toMatch(/^\+353871230\d{3}$/);
  });

  it('refuses what is not the caller’s: other brands see neither the operation nor the leads; the module fields are not public', async () => {
    const { op } = await create(admin, `email,lastName\nsolo-${tag()}@example.com,Solo`);
    const other = await voltManager('query ($id: ID!) { bulkOperation(id: $id) { id } }', { id: op?.id });
    expect(other.body.data?.bulkOperation ?? null).toBeNull();
    const confirm = await voltManager(CONFIRM, { input: { id: op?.id } });
    expect(confirm.body.data?.bulkOperationConfirm.userErrors.map((e: { code: string }) => e.code)).toEqual(['NOT_FOUND']);
    const direct = await admin('{ _bulkValidate(input: { action: "lead.import", rows: [] }) { row } }');
    expect(codes(direct)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('imports 10,000 rows: counts first, then every row created or reported, with duplicates across the file caught', async () => {
    const t = tag();
    const lines = ['firstName,lastName,email,mobile,rating'];
    for (let i = 1; i <= 10_000; i++)
      lines.push(`F${i},L${i},r${i}-${t}@example.com,+3538${String(60_000_000 + i)},${i % 3 ? 'WARM' : 'HOT'}`);
    // Row 9,500 repeats row 20 (another validation call, another batch); row 30 repeats row 25 (the same call).
    lines[9_500] = `F20,L20,r20-${t}@example.com,,WARM`;
    lines[30] = `Again,Same,r25-${t}@example.com,,HOT`;
    const content = lines.join('\n');
    const started = Date.now();
    const { op, userErrors } = await create(admin, content);
    expect(userErrors).toEqual([]);
    // Both repeats are found before anything is applied, across validation calls too.
    expect(op?.stats).toMatchObject({ total: 10_000, valid: 9_998, invalid: 2, batchCount: 40 });
    expect(op?.rows.edges.map((e) => [e.node.number, e.node.errors[0].message])).toEqual([
      [30, 'Same as row 25 (EMAIL)'],
      [9_500, 'Same as row 20 (EMAIL)'],
    ]);
    const validated = Date.now();
    await confirmAndRun(op?.id as string);
    const done = (await admin(RESULTS, { id: op?.id })).body.data?.bulkOperation;
    expect(done.stats).toMatchObject({ succeeded: 9_998, failed: 0, pending: 0 });
    const [count] = await opportunitySql(
      stack,
      `select count(*)::int as n, count(distinct email_key)::int as emails from opportunity.lead where storefront_id = ? and created_by = 'bulk' and email like ?`,
      [brand, `%-${t}@example.com`],
    );
    expect(count).toEqual({ n: 9_998, emails: 9_998 });
    const failed = await subgraph(stack, 'customer')
      .orm.em.fork()
      .getConnection()
      .execute(`select "row", problems from customer.bulk_operation_row where operation_id = ? and status = 'FAILED'`, [op?.id]);
    expect(failed).toEqual([]);
    console.info(`lead.import, 10,000 rows: validated in ${validated - started} ms, applied in ${Date.now() - validated} ms`);
  }, 300_000);
  it('reports a repeat of row 10 at row 9,000 at validation (another validation call), normalising the mobile; nothing is applied', async () => {
    const t = tag();
    const lines = ['firstName,lastName,email,mobile,country'];
    for (let i = 1; i <= 9_000; i++) lines.push(`G${i},H${i},g${i}-${t}@example.com,+3538${String(50_000_000 + i)},`);
    // Row 9,000: another person's name and e-mail, row 10's mobile written nationally.
    lines[9_000] = `Other,Person,other-${t}@example.com,085 000 0010,IE`;
    const { op, userErrors } = await create(admin, lines.join('\n'));
    expect(userErrors).toEqual([]);
    expect(op?.stats).toMatchObject({ total: 9_000, valid: 8_999, invalid: 1 });
    expect(op?.rows.edges.map((e) => e.node)).toEqual([
      { number: 9_000, errors: [{ field: 'mobile', code: 'DUPLICATE', message: 'Same as row 10 (MOBILE)' }] },
    ]);
    expect(await leadsOfBrand('and email like ?', [`%-${t}@example.com`])).toEqual([]);
  }, 120_000);

  it("links rows to the brand's existing accounts (e-mail first, then mobile) and refuses products the brand does not carry", async () => {
    const t = tag();
    const plan = productId('volt-sim-unlimited');
    await carryProducts(stack, brand, seedId('storefront', 'volt'), [plan]);
    const byEmail = await insertCustomer(stack, brand, { name: 'Acct Holder', email: `acct-${t}@example.com`, segment: 'smb' });
    const mobile = `+35386${String(Math.floor(1_000_000 + Math.random() * 8_999_999))}`;
    const byMobile = await insertCustomer(stack, brand, { name: 'Mob Holder', email: `mob-acct-${t}@example.com`, mobile });
    const unknown = randomUUID();
    const content = [
      'firstName,lastName,email,mobile,country,productIds',
      `Acct,Holder,ACCT-${t}@Example.com,,,${plan}`,
      `Mob,Holder,mob-lead-${t}@example.com,0${mobile.slice(4, 6)} ${mobile.slice(6)},IE,`,
      `Un,Known,unknown-${t}@example.com,,,${plan};${unknown}`,
      `Other,Brand,other-brand-${t}@example.com,,,${productId('nimbus-fibre-75')}`,
      `No,Match,nomatch-${t}@example.com,,,`,
    ].join('\n');
    const { op } = await create(admin, content);
    expect(op?.stats).toMatchObject({ total: 5, valid: 3, invalid: 2 });
    expect(
      op?.rows.edges.map((e) => [e.node.number, e.node.errors.map((x: { field: string; code: string }) => `${x.field}:${x.code}`)]),
    ).toEqual([
      [3, ['productIds:UNKNOWN_PRODUCT']],
      [4, ['productIds:UNKNOWN_PRODUCT']],
    ]);
    expect(op?.rows.edges[0].node.errors[0].message).toBe(`No such product in this storefront: ${unknown}`);
    const LINKS = `query ($id: ID!) { bulkOperation(id: $id) { rows(first: 10) { edges { node { number status links { type id reason } } } } } }`;
    const links = (await admin(LINKS, { id: op?.id })).body.data?.bulkOperation.rows.edges.map((e: { node: unknown }) => e.node);
    expect(links).toEqual([
      { number: 1, status: 'PENDING', links: [{ type: 'Customer', id: byEmail, reason: 'EMAIL' }] },
      { number: 2, status: 'PENDING', links: [{ type: 'Customer', id: byMobile, reason: 'MOBILE' }] },
      { number: 3, status: 'INVALID', links: [] },
      { number: 4, status: 'INVALID', links: [] },
      { number: 5, status: 'PENDING', links: [] },
    ]);

    await confirmAndRun(op?.id as string);
    const created = await leadsOfBrand('and email like ?', [`%-${t}@example.com`]);
    expect(created.map((l) => [l.email, l.customer_id, l.segment]).sort()).toEqual(
      [
        [`acct-${t}@example.com`, byEmail, 'smb'],
        [`mob-lead-${t}@example.com`, byMobile, 'consumer'],
        [`nomatch-${t}@example.com`, null, 'consumer'],
      ].sort(),
    );
    expect(created.find((l) => l.customer_id === byEmail)?.product_ids).toEqual([plan]);
    const after = (await admin(LINKS, { id: op?.id })).body.data?.bulkOperation.rows.edges.map(
      (e: { node: { status: string } }) => e.node.status,
    );
    expect(after).toEqual(['SUCCEEDED', 'SUCCEEDED', 'INVALID', 'INVALID', 'SUCCEEDED']);
  });
  it("keeps to the uploader's segments, as leadCreate: no link to another segment's account, no lead in another segment", async () => {
    const t = tag();
    const smbAccount = await insertCustomer(stack, brand, { name: 'Smb Holder', email: `smb-${t}@example.com`, segment: 'smb' });
    const consumerAccount = await insertCustomer(stack, brand, { name: 'Con Holder', email: `con-${t}@example.com` });
    const VALIDATE = `query ($input: BulkValidateInput!) { _bulkValidate(input: $input) {
      row value problems { field code } links { type id reason } } }`;
    const rows = [
      { firstName: 'Smb', lastName: 'Holder', email: `smb-${t}@example.com` },
      { firstName: 'Con', lastName: 'Holder', email: `con-${t}@example.com` },
      { firstName: 'Seg', lastName: 'Ment', email: `seg-${t}@example.com`, segment: 'smb' },
    ].map((data, i) => ({ row: i + 1, data: JSON.stringify(data) }));
    // As the customer subgraph asks for a consumer-only staff member's upload.
    const res = await direct(subgraph(stack, 'opportunity'), servicePrincipal('customer', brand, [SERVICE_SCOPES.bulkApply]), VALIDATE, {
      input: { action: 'lead.import', rows, segments: ['consumer'] },
    });
    const [smb, consumer, segment] = res.body.data?._bulkValidate ?? [];
    expect(smb).toMatchObject({ problems: [], links: [] });
    expect(JSON.parse(smb.value)).toMatchObject({ segment: 'consumer' });
    expect(JSON.parse(smb.value).customerId).toBeUndefined();
    expect(consumer.links).toEqual([{ type: 'Customer', id: consumerAccount, reason: 'EMAIL' }]);
    expect(JSON.parse(consumer.value)).toMatchObject({ segment: 'consumer', customerId: consumerAccount });
    expect(segment).toMatchObject({ value: null, problems: [{ field: 'segment', code: 'FORBIDDEN' }] });
    // Staff of every segment (the brand's administrator): the smb account is linked.
    const all = await direct(subgraph(stack, 'opportunity'), servicePrincipal('customer', brand, [SERVICE_SCOPES.bulkApply]), VALIDATE, {
      input: { action: 'lead.import', rows: rows.slice(0, 1), segments: ['*'] },
    });
    expect(all.body.data?._bulkValidate[0].links).toEqual([{ type: 'Customer', id: smbAccount, reason: 'EMAIL' }]);
  });
});
