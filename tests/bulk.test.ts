import type { AddressInfo } from 'node:net';
import { seedId } from '@dcrm/kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { connectLive, eventually, type LiveClient, refusalCode, subscribeLive } from './support/live.js';
import { codes, KEYS, productId, type Response, registerCustomer, signIn, startWithManager } from './support/stack.js';

/**
 * Bulk operations through the router: validation answers counts and row-level reasons before anything is
 * written; confirmation queues a job that applies valid rows batch by batch (run here by calling the job's
 * handler, as a worker would); a crashed job resumes without applying a batch twice; brands stay apart.
 */
let stack: Stack;
let wsUrl: string;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
let volt: Gql;
let nimbus: Gql;
let careAgent: Gql;

beforeAll(async () => {
  ({ stack, manager: volt } = await startWithManager());
  const server = await stack.router.listen(0, '127.0.0.1');
  wsUrl = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  nimbus = (await signIn(stack.router.handler, 'staffLogin', 'agent@nimbus.example')).gql;
  careAgent = (await signIn(stack.router.handler, 'staffLogin', 'agent.consumer@volt.example')).gql;
}, 60_000);
afterAll(() => stack.stop());

const opened: LiveClient[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((l) => l.dispose()));
});

const customerSubgraph = () => stack.subgraphs.find((s) => s.definition.name === 'customer') as Stack['subgraphs'][number];
const sql = (query: string, params: unknown[] = []) =>
  customerSubgraph().orm.em.fork().getConnection().execute(query, params) as Promise<Record<string, unknown>[]>;
const catalogSql = (query: string, params: unknown[] = []) =>
  (stack.subgraphs.find((s) => s.definition.name === 'catalog') as Stack['subgraphs'][number]).orm.em
    .fork()
    .getConnection()
    .execute(query, params) as Promise<Record<string, unknown>[]>;
const runJob = (operationId: string, stopAfterBatches?: number) =>
  (customerSubgraph().server.tasks['bulk:run'] as (payload: unknown) => Promise<{ status: string; batchesRun: number }>)({
    operationId,
    stopAfterBatches,
  });

const OPERATION = `id status action module storefrontId
  stats { total valid invalid succeeded failed pending batchSize batchCount batchesDone durationMs }`;
const CREATE = `mutation ($input: BulkOperationCreateInput!) { bulkOperationCreate(input: $input) {
  bulkOperation { ${OPERATION} rows(first: 100, status: INVALID) { edges { node { number status data errors { field code message } } } } }
  userErrors { field code message } } }`;
const CONFIRM = `mutation ($input: BulkOperationIdInput!) { bulkOperationConfirm(input: $input) { bulkOperation { ${OPERATION} } userErrors { field code message } } }`;
const CANCEL = `mutation ($input: BulkOperationIdInput!) { bulkOperationCancel(input: $input) { bulkOperation { ${OPERATION} } userErrors { field code message } } }`;
const GET = `query ($id: ID!) { bulkOperation(id: $id) { ${OPERATION} batches { number rows succeeded failed durationMs }
  rows(first: 5) { edges { node { number status resultId errors { code } } } pageInfo { hasNextPage endCursor } } } }`;
const LIST = `query ($filter: BulkOperationFilter) { bulkOperations(first: 100, filter: $filter) { edges { node { id action status } } } }`;

const tag = () => Math.random().toString(36).slice(2, 8);
const csv = (lines: string[]) => ['name,email,phone,type', ...lines].join('\n');

async function create(gql: Gql, action: string, content: string, format = 'CSV') {
  const res = await gql(CREATE, { input: { action, format, content } });
  expect(res.body.errors).toBeUndefined();
  return res.body.data?.bulkOperationCreate as {
    bulkOperation: Record<string, any> | null;
    userErrors: { code: string; field: string[] }[];
  };
}

async function confirm(gql: Gql, id: string) {
  const res = await gql(CONFIRM, { input: { id } });
  expect(res.body.errors).toBeUndefined();
  return res.body.data?.bulkOperationConfirm as { bulkOperation: Record<string, any> | null; userErrors: { code: string }[] };
}

const customersWithEmails = async (emails: string[]) =>
  Number((await sql('select count(*)::int as n from customer.customer where email in (?)', [emails]))[0].n);

describe('validation before anything is written', () => {
  it('answers total / valid / invalid counts with row-level reasons, and writes no customer', async () => {
    const t = tag();
    const content = csv([
      `Good One,good1-${t}@example.com,,INDIVIDUAL`,
      `Good Two,good2-${t}@example.com,+35387${Math.floor(1_000_000 + Math.random() * 8_999_999)},BUSINESS`,
      `,blank-${t}@example.com,,INDIVIDUAL`,
      `Bad Email,not-an-email,,INDIVIDUAL`,
      `Taken,aoife@example.com,,INDIVIDUAL`,
      `Dup,good1-${t}@example.com,,INDIVIDUAL`,
      `Bad Type,type-${t}@example.com,,ALIEN`,
    ]);
    const { bulkOperation: op, userErrors } = await create(volt, 'customer.import', content);
    expect(userErrors).toEqual([]);
    expect(op).toMatchObject({
      status: 'VALIDATED',
      module: 'customer',
      stats: { total: 7, valid: 2, invalid: 5, succeeded: 0, pending: 2 },
    });
    const invalid = op?.rows.edges.map((e: { node: { number: number; errors: { code: string; field: string }[] } }) => [
      e.node.number,
      e.node.errors.map((x) => `${x.field}:${x.code}`),
    ]);
    expect(invalid).toEqual([
      [3, ['name:BLANK']],
      [4, ['email:INVALID']],
      [5, expect.arrayContaining(['email:TAKEN'])],
      [6, ['email:DUPLICATE']],
      [7, ['type:INVALID']],
    ]);
    expect(await customersWithEmails([`good1-${t}@example.com`, `good2-${t}@example.com`])).toBe(0);
  });

  it('refuses a malformed, empty, oversized or too-long upload and an unknown action with userErrors, storing nothing', async () => {
    const before = Number((await sql('select count(*)::int as n from customer.bulk_operation'))[0].n);
    const cases: [string, string, string, string][] = [
      ['customer.import', 'CSV', 'name,email\n"unclosed,x', 'MALFORMED'],
      ['customer.import', 'CSV', 'name,email\n', 'EMPTY'],
      ['customer.import', 'JSONL', '{"name": "a"}\n[1,2]', 'MALFORMED'],
      ['customer.import', 'CSV', `name\n${'x\n'.repeat(10_001)}`, 'TOO_MANY_ROWS'],
      ['customer.import', 'CSV', `name\n${'y'.repeat(900_001)}`, 'TOO_LARGE'],
      ['nothing.here', 'CSV', 'name\nx', 'NOT_FOUND'],
    ];
    for (const [action, format, content, code] of cases) {
      const { bulkOperation, userErrors } = await create(volt, action, content, format);
      expect(bulkOperation).toBeNull();
      expect(userErrors.map((e) => e.code)).toEqual([code]);
    }
    expect(Number((await sql('select count(*)::int as n from customer.bulk_operation'))[0].n)).toBe(before);
  });

  it('needs bulk:manage (FORBIDDEN), and the action’s own scope (a userError)', async () => {
    const res = await careAgent(CREATE, { input: { action: 'customer.import', format: 'CSV', content: csv(['A,a@example.com,,']) } });
    expect(codes(res)).toContain('FORBIDDEN');
    const admin = (await signIn(stack.router.handler, 'staffLogin', 'admin@dcrm.example')).gql;
    expect(codes(await admin(LIST))).toContain('FORBIDDEN');
  });
});

describe('confirm → job → results', () => {
  it('applies only the valid rows, with per-row results, batches and timings; invalid rows are never written', async () => {
    const t = tag();
    const { bulkOperation: op } = await create(
      volt,
      'customer.import',
      [
        JSON.stringify({ name: 'Jay Lines', email: `jl1-${t}@example.com`, type: 'INDIVIDUAL' }),
        JSON.stringify({ name: '', email: `jl-bad-${t}@example.com` }),
        JSON.stringify({ name: 'Jay Two', email: `jl2-${t}@example.com`, phone: '+353870000000x' }),
        JSON.stringify({ name: 'Jay Three', email: `jl3-${t}@example.com`, type: 'business' }),
      ].join('\n'),
      'JSONL',
    );
    expect(op?.stats).toMatchObject({ total: 4, valid: 2, invalid: 2 });
    const confirmed = await confirm(volt, op?.id);
    expect(confirmed.bulkOperation?.status).toBe('QUEUED');
    expect((await confirm(volt, op?.id)).userErrors.map((e) => e.code)).toEqual(['INVALID_STATE']);
    expect(await runJob(op?.id)).toMatchObject({ status: 'COMPLETED', batchesRun: 1 });

    const done = (await volt(GET, { id: op?.id })).body.data?.bulkOperation;
    expect(done).toMatchObject({
      status: 'COMPLETED',
      stats: { total: 4, valid: 2, invalid: 2, succeeded: 2, failed: 0, pending: 0, batchCount: 1, batchesDone: 1 },
      batches: [{ number: 0, rows: 2, succeeded: 2, failed: 0 }],
    });
    expect(done.stats.durationMs).toBeGreaterThanOrEqual(0);
    const rows = done.rows.edges.map((e: { node: Record<string, unknown> }) => e.node);
    expect(rows.map((r: Record<string, unknown>) => r.status)).toEqual(['SUCCEEDED', 'INVALID', 'INVALID', 'SUCCEEDED']);
    const created = await sql('select id, type, segment from customer.customer where email in (?) order by email', [
      [`jl1-${t}@example.com`, `jl3-${t}@example.com`],
    ]);
    expect(created.map((c) => c.id)).toEqual([rows[0].resultId, rows[3].resultId]);
    expect(created.map((c) => c.segment)).toEqual(['consumer', 'smb']);
    expect(await customersWithEmails([`jl-bad-${t}@example.com`, `jl2-${t}@example.com`])).toBe(0);
    // A finished operation runs no more, and cannot be cancelled.
    expect(await runJob(op?.id)).toMatchObject({ status: 'COMPLETED', batchesRun: 0 });
    expect((await volt(CANCEL, { input: { id: op?.id } })).body.data?.bulkOperationCancel.userErrors[0].code).toBe('INVALID_STATE');
  });

  it('imports 10,000 customers in 40 batches with per-row statistics', async () => {
    const t = tag();
    const lines = Array.from({ length: 10_000 }, (_, i) => `Bulk ${t} ${i},bulk-${t}-${i}@example.com,,INDIVIDUAL`);
    const { bulkOperation: op, userErrors } = await create(volt, 'customer.import', csv(lines));
    expect(userErrors).toEqual([]);
    expect(op?.stats).toMatchObject({ total: 10_000, valid: 10_000, invalid: 0, batchSize: 250, batchCount: 40 });
    await confirm(volt, op?.id);
    expect(await runJob(op?.id)).toMatchObject({ status: 'COMPLETED', batchesRun: 40 });
    const done = (await volt(GET, { id: op?.id })).body.data?.bulkOperation;
    expect(done.stats).toMatchObject({ succeeded: 10_000, failed: 0, pending: 0, batchesDone: 40 });
    expect(done.batches).toHaveLength(40);
    expect(done.rows.pageInfo.hasNextPage).toBe(true);
    const [{ n }] = await sql(`select count(*)::int as n from customer.customer where email like ?`, [`bulk-${t}-%`]);
    expect(n).toBe(10_000);
    const [{ m }] = await sql(
      `select count(*)::int as m from customer.bulk_operation_row where operation_id = ? and status = 'SUCCEEDED'`,
      [op?.id],
    );
    expect(m).toBe(10_000);
  }, 120_000);

  it('resumes after a crash without applying a batch twice, even one applied but not recorded', async () => {
    const t = tag();
    const lines = Array.from({ length: 1_000 }, (_, i) => `Crash ${i},crash-${t}-${i}@example.com,,INDIVIDUAL`);
    const { bulkOperation: op } = await create(volt, 'customer.import', csv(lines));
    await confirm(volt, op?.id);
    // The worker dies after two batches...
    expect(await runJob(op?.id, 2)).toMatchObject({ status: 'RUNNING', batchesRun: 2 });
    expect((await volt(GET, { id: op?.id })).body.data?.bulkOperation.stats).toMatchObject({
      succeeded: 500,
      pending: 500,
      batchesDone: 2,
    });
    // ...then dies again between applying batch 2 and recording it: its customers are committed, its bookkeeping is not.
    await runJob(op?.id, 1);
    await sql('delete from customer.bulk_operation_batch where operation_id = ? and batch = 2', [op?.id]);
    await sql(`update customer.bulk_operation_row set status = 'PENDING', result_id = null where operation_id = ? and batch = 2`, [op?.id]);
    await sql('update customer.bulk_operation set succeeded = succeeded - 250 where id = ?', [op?.id]);
    const [{ n: afterCrash }] = await sql('select count(*)::int as n from customer.customer where email like ?', [`crash-${t}-%`]);
    expect(afterCrash).toBe(750);

    // The retried job skips the recorded batches, takes batch 2's results from the module's record, and finishes.
    expect(await runJob(op?.id)).toMatchObject({ status: 'COMPLETED', batchesRun: 2 });
    const done = (await volt(GET, { id: op?.id })).body.data?.bulkOperation;
    expect(done.stats).toMatchObject({ succeeded: 1_000, failed: 0, pending: 0, batchesDone: 4 });
    const [{ n, distinct }] = await sql(
      'select count(*)::int as n, count(distinct lower(email))::int as distinct from customer.customer where email like ?',
      [`crash-${t}-%`],
    );
    expect([n, distinct]).toEqual([1_000, 1_000]);
    const [{ missing }] = await sql(
      `select count(*)::int as missing from customer.bulk_operation_row r where r.operation_id = ?
       and not exists (select 1 from customer.customer c where c.id::text = r.result_id)`,
      [op?.id],
    );
    expect(missing).toBe(0);
  }, 60_000);

  it('a row whose email was taken after validation fails alone; cancel stops the rest', async () => {
    const t = tag();
    const { bulkOperation: op } = await create(
      volt,
      'customer.import',
      csv([`Race,race-${t}@example.com,,`, `Fine,fine-${t}@example.com,,`]),
    );
    await create(volt, 'customer.import', csv([`Race,race-${t}@example.com,,`])).then(async ({ bulkOperation: other }) => {
      await confirm(volt, other?.id);
      await runJob(other?.id);
    });
    await confirm(volt, op?.id);
    await runJob(op?.id);
    const done = (await volt(GET, { id: op?.id })).body.data?.bulkOperation;
    expect(done.stats).toMatchObject({ succeeded: 1, failed: 1 });
    expect(done.rows.edges[0].node).toMatchObject({ status: 'FAILED', errors: [{ code: 'TAKEN' }] });
    expect(await customersWithEmails([`race-${t}@example.com`])).toBe(1);

    const { bulkOperation: cancelled } = await create(volt, 'customer.import', csv([`Never,never-${t}@example.com,,`]));
    await confirm(volt, cancelled?.id);
    expect((await volt(CANCEL, { input: { id: cancelled?.id } })).body.data?.bulkOperationCancel.bulkOperation.status).toBe('CANCELLED');
    expect(await runJob(cancelled?.id)).toMatchObject({ status: 'CANCELLED', batchesRun: 0 });
    expect(await customersWithEmails([`never-${t}@example.com`])).toBe(0);
  });

  it('staff import creates staff members of the storefront, refusing taken emails and unknown groups', async () => {
    const t = tag();
    const content = [
      'name,email,groups,segments',
      `New Agent,agent-${t}@volt.example,Customer care,consumer`,
      `Taken,manager@volt.example,,`,
      `Ghost,ghost-${t}@volt.example,No such group,`,
    ].join('\n');
    const { bulkOperation: op } = await create(volt, 'staff.import', content);
    expect(op?.stats).toMatchObject({ total: 3, valid: 1, invalid: 2 });
    await confirm(volt, op?.id);
    await runJob(op?.id);
    const staff = await sql('select storefront_id, segments from customer.staff where email = ?', [`agent-${t}@volt.example`]);
    expect(staff).toEqual([{ storefront_id: op?.storefrontId, segments: ['consumer'] }]);
    expect(await sql('select 1 from customer.staff where email = ?', [`ghost-${t}@volt.example`])).toEqual([]);
  });
});

describe('price update (applied by the catalog subgraph)', () => {
  // A B2B account list of the test's own: the seeded lists' prices are what other test files show.
  let voltList = '';
  beforeAll(async () => {
    const account = await registerCustomer(stack.router.handler, KEYS.volt, { name: 'Bulk Price Account', prefix: 'bulk-price' });
    const list = await volt(
      'mutation ($input: PriceListCreateInput!) { priceListCreate(input: $input) { priceList { id } userErrors { code message } } }',
      { input: { storefrontId: seedId('storefront', 'volt'), name: 'Bulk price update', customerId: account.id } },
    );
    expect(list.body.data?.priceListCreate.userErrors).toEqual([]);
    voltList = list.body.data?.priceListCreate.priceList.id;
  });
  const price = (list: string, slug: string) =>
    catalogSql(`select amount from catalog.price where price_list_id = ? and product_id = ? and type = 'RECURRING'`, [
      list,
      productId(slug),
    ]);

  it('sets prices of the storefront’s own lists; another brand’s list is an invalid row, never written', async () => {
    const content = [
      'priceListId,product,type,amount,interval',
      `${voltList},volt-sim-5gb,RECURRING,11.50,MONTH`,
      `${voltList},${productId('volt-sim-20gb')},RECURRING,17.25,MONTH`,
      `${voltList},volt-sim-5gb,RECURRING,12.00,MONTH`,
      `${voltList},no-such-product,RECURRING,1.00,MONTH`,
      `${voltList},volt-sim-20gb,RECURRING,-1,MONTH`,
    ].join('\n');
    const { bulkOperation: op } = await create(volt, 'price.update', content);
    expect(op).toMatchObject({ module: 'catalog', stats: { total: 5, valid: 2, invalid: 3 } });
    expect(op?.rows.edges.map((e: { node: { errors: { code: string }[] } }) => e.node.errors[0].code)).toEqual([
      'DUPLICATE',
      'NOT_FOUND',
      'INVALID',
    ]);
    await confirm(volt, op?.id);
    expect(await runJob(op?.id)).toMatchObject({ status: 'COMPLETED' });
    expect(await price(voltList, 'volt-sim-5gb')).toEqual([{ amount: '11.50' }]);
    expect(await price(voltList, 'volt-sim-20gb')).toEqual([{ amount: '17.25' }]);
    // A resumed run answers from catalog's record of the batch: nothing applied twice.
    const [{ n }] = await catalogSql('select count(*)::int as n from catalog.bulk_applied_batch where operation_id = ?', [op?.id]);
    expect(n).toBe(1);
  });

  it('finds a repeated (list, product, type) in another validation call of the file (rows 1 and 260)', async () => {
    const lines = ['priceListId,product,type,amount,interval', `${voltList},volt-sim-5gb,RECURRING,13.00,MONTH`];
    // Rows 2-259 are invalid (never written, so they claim nothing); row 260 falls in the second 250-row call.
    for (let i = 2; i < 260; i++) lines.push(`${voltList},volt-sim-5gb,RECURRING,-${i},MONTH`);
    lines.push(`${voltList},${productId('volt-sim-5gb')},RECURRING,14.00,MONTH`);
    const { bulkOperation: op } = await create(volt, 'price.update', lines.join('\n'));
    expect(op).toMatchObject({ stats: { total: 260, valid: 1, invalid: 259 } });
    const [last] = await sql(`select status, problems from customer.bulk_operation_row where operation_id = ? and "row" = 260`, [op?.id]);
    expect(last).toEqual({
      status: 'INVALID',
      problems: [{ field: 'product', code: 'DUPLICATE', message: 'Same as row 1 (LIST_PRODUCT_TYPE)' }],
    });
  });
});

describe('brand isolation', () => {
  it("another brand's staff cannot read, list, confirm or cancel an operation, and its rows naming the other brand's list are invalid", async () => {
    const t = tag();
    const { bulkOperation: op } = await create(volt, 'customer.import', csv([`Iso,iso-${t}@example.com,,`]));
    expect((await nimbus(GET, { id: op?.id })).body.data?.bulkOperation).toBeNull();
    const listed = (await nimbus(LIST)).body.data?.bulkOperations.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(listed).not.toContain(op?.id);
    expect((await volt(LIST)).body.data?.bulkOperations.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(op?.id);
    expect((await nimbus(CONFIRM, { input: { id: op?.id } })).body.data?.bulkOperationConfirm.userErrors[0].code).toBe('NOT_FOUND');
    expect((await nimbus(CANCEL, { input: { id: op?.id } })).body.data?.bulkOperationCancel.userErrors[0].code).toBe('NOT_FOUND');
    expect((await volt(GET, { id: op?.id })).body.data?.bulkOperation.status).toBe('VALIDATED');

    const voltList = seedId('price-list', 'volt');
    const before = await catalogSql('select amount from catalog.price where price_list_id = ? order by id', [voltList]);
    const { bulkOperation: raid } = await create(
      nimbus,
      'price.update',
      ['priceListId,product,type,amount,interval', `${voltList},volt-sim-5gb,RECURRING,0.01,MONTH`].join('\n'),
    );
    expect(raid).toMatchObject({ storefrontId: seedId('storefront', 'nimbus'), stats: { valid: 0, invalid: 1 } });
    expect(raid?.rows.edges[0].node.errors).toContainEqual({ field: 'priceListId', code: 'NOT_FOUND', message: 'No such price list' });
    expect((await confirm(nimbus, raid?.id)).userErrors.map((e) => e.code)).toEqual(['NOTHING_TO_APPLY']);
    expect(await catalogSql('select amount from catalog.price where price_list_id = ? order by id', [voltList])).toEqual(before);
  });

  it('customer rows naming another storefront are invalid rows', async () => {
    const t = tag();
    const content = ['name,email,storefrontId', `Other,other-${t}@example.com,${seedId('storefront', 'nimbus')}`].join('\n');
    const { bulkOperation: op } = await create(volt, 'customer.import', content);
    expect(op?.rows.edges[0].node.errors[0]).toMatchObject({ field: 'storefrontId', code: 'OTHER_BRAND' });
  });
});

describe('bulkOperationProgress', () => {
  const PROGRESS = `subscription ($id: ID!) { bulkOperationProgress(id: $id) { id status stats { succeeded batchesDone } } }`;

  it('delivers progress events to staff of the brand, and nothing to another brand’s staff', async () => {
    const t = tag();
    const lines = Array.from({ length: 600 }, (_, i) => `Live ${i},live-${t}-${i}@example.com,,`);
    const { bulkOperation: op } = await create(volt, 'customer.import', csv(lines));
    const voltToken = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).accessToken;
    const nimbusToken = (await signIn(stack.router.handler, 'staffLogin', 'agent@nimbus.example')).accessToken;
    const mine = connectLive(wsUrl, { authorization: `Bearer ${voltToken}` });
    const theirs = connectLive(wsUrl, { authorization: `Bearer ${nimbusToken}` });
    opened.push(mine, theirs);
    const sub = subscribeLive(mine, PROGRESS, { id: op?.id });
    const spy = subscribeLive(theirs, PROGRESS, { id: op?.id });
    await eventually(() => stack.router.liveStats().subscriptions >= 2);

    await confirm(volt, op?.id);
    await runJob(op?.id);
    await sub.until(() => sub.results.some((r) => r.data?.bulkOperationProgress.status === 'COMPLETED'));
    const events = sub.results.map((r) => r.data?.bulkOperationProgress);
    expect(events.every((e) => e.id === op?.id)).toBe(true);
    expect(events.map((e) => e.stats.batchesDone)).toEqual(expect.arrayContaining([1, 2, 3]));
    expect(events.at(-1)).toMatchObject({ status: 'COMPLETED', stats: { succeeded: 600, batchesDone: 3 } });
    expect(spy.results).toEqual([]);
  });

  it('refuses a malformed id and a customer at subscribe time', async () => {
    const voltToken = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).accessToken;
    const staff = connectLive(wsUrl, { authorization: `Bearer ${voltToken}` });
    opened.push(staff);
    const malformed = subscribeLive(staff, PROGRESS, { id: 'nope' });
    await eventually(() => malformed.completed);
    expect(refusalCode(malformed)).toBe('BAD_USER_INPUT');

    const shopper = await registerCustomer(stack.router.handler, KEYS.volt, { name: 'Bulk Shopper', prefix: 'bulk' });
    const customer = connectLive(wsUrl, { authorization: `Bearer ${shopper.accessToken}` });
    opened.push(customer);
    const sub = subscribeLive(customer, PROGRESS, { id: seedId('bulk', 'any') });
    await eventually(() => sub.completed);
    // Outside a customer's schema view altogether.
    expect(refusalCode(sub)).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
