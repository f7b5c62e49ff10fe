import { randomUUID } from 'node:crypto';
import { type ManualClock, manualClock, newId, offerChannels, seedId, sqlCounter } from '@dcrm/kit';
import { attributeOrder } from '@dcrm/promotion/domain/attribution.js';
import { audienceRules } from '@dcrm/promotion/entities/index.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Stack, startStack } from '../stack/src/stack.js';
import { client, codes, customerId, distinctCodes, KEYS, type Response, STOREFRONT_IDS, signIn, testIp } from './support/stack.js';

/** Campaigns through the router: input checks, access, the job-driven lifecycle, batched audiences, KPIs. Time is a manual clock. */
let stack: Stack;
let clock: ManualClock;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
let manager: Gql;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const promotion = () => stack.subgraphs.find((s) => s.definition.name === 'promotion') as Stack['subgraphs'][number];
const task = (name: string, payload?: unknown) => (promotion().server.tasks[name] as (payload?: unknown) => Promise<unknown>)(payload);
const sql = (query: string, params: unknown[] = []) => promotion().orm.em.fork().getConnection().execute(query, params);

type Job = { id: string; identifier: string; payload: Record<string, unknown>; run_at: Date; key: string | null };
const jobsOf = async (campaignId: string): Promise<Job[]> =>
  (await sql(
    `select j.id, t.identifier, j.payload, j.run_at, j.key from graphile_worker._private_jobs j
     join graphile_worker._private_tasks t on t.id = j.task_id where j.payload->>'campaignId' = ? order by j.id`,
    [campaignId],
  )) as Job[];

/** The campaign's chunk jobs in audience order (queued in one statement, their ids need not follow it). */
const chunksOf = async (campaignId: string): Promise<Job[]> =>
  (await jobsOf(campaignId))
    .filter((j) => j.identifier === 'promotion:campaign-chunk')
    .sort((a, b) => (String(a.payload.upTo) < String(b.payload.upTo) ? -1 : 1));

/**
 * Runs the campaign's queued jobs that are due by the manual clock, as a worker would: lock, run the
 * handler with the job's payload, complete. Jobs the handlers queue run too, until none is due.
 */
async function runJobs(campaignId: string): Promise<string[]> {
  const ran: string[] = [];
  for (;;) {
    const [job] = (await sql(
      `select j.id, t.identifier, j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
       where j.payload->>'campaignId' = ? and j.run_at <= ? and j.locked_at is null order by j.run_at, j.id limit 1`,
      [campaignId, clock.now()],
    )) as Job[];
    if (!job) return ran;
    await sql(`update graphile_worker._private_jobs set locked_at = now(), locked_by = 'campaigns-test' where id = ?`, [job.id]);
    await task(job.identifier, job.payload);
    // What the worker does with a job that succeeded.
    await sql('delete from graphile_worker._private_jobs where id = ?', [job.id]);
    ran.push(job.identifier);
  }
}

const CREATE = `mutation ($input: CampaignCreateInput!) { campaignCreate(input: $input) { campaign { id status version } userErrors { field code message } } }`;
const UPDATE = `mutation ($input: CampaignUpdateInput!) { campaignUpdate(input: $input) { campaign { id name version } userErrors { field code } } }`;
const SCHEDULE = `mutation ($input: CampaignTransitionInput!) { campaignSchedule(input: $input) { campaign { id status version } userErrors { field code } } }`;
const CANCEL = `mutation ($input: CampaignTransitionInput!) { campaignCancel(input: $input) { campaign { id status version cancelReason } userErrors { field code } } }`;

const template = {
  title: 'Hi {{name}}',
  message: '{{name}}, 20% off your next add-on',
  link: 'https://volt.example/offers',
  imageUrl: null,
};

/** A DRAFT campaign of the manager's storefront starting in an hour, running a week. */
async function draft(audience: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const startsAt = new Date(clock.now().getTime() + HOUR);
  const res = await manager(CREATE, {
    input: {
      name: `Campaign ${randomUUID().slice(0, 6)}`,
      objective: 'UPSELL',
      priority: 70,
      audience,
      template,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 7 * DAY).toISOString(),
      ...extra,
    },
  });
  const payload = res.body.data?.campaignCreate;
  expect(payload?.userErrors).toEqual([]);
  return payload.campaign as { id: string; status: string; version: number };
}

/** Drafts, schedules and launches a campaign (clock moved past its start), running every job. */
async function launched(audience: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const campaign = await draft(audience, extra);
  const scheduled = (await manager(SCHEDULE, { input: { id: campaign.id, version: campaign.version } })).body.data?.campaignSchedule;
  expect(scheduled.userErrors).toEqual([]);
  clock.advance(HOUR + 1000);
  await runJobs(campaign.id);
  return { ...campaign, version: scheduled.campaign.version as number };
}

/** A newly registered Volt customer with an address in a town of their own: an audience of exactly one, no other test's. */
async function loneCustomer(): Promise<{ id: string; gql: Gql; town: string }> {
  const email = `campaign-${randomUUID().slice(0, 8)}@example.com`;
  const res = await client(stack.router.handler, KEYS.volt, { 'x-forwarded-for': testIp() })(
    'mutation ($input: CustomerRegisterInput!) { customerRegister(input: $input) { customer { id } userErrors { code } } }',
    { input: { name: 'Orla Quinn', email, password: 'campaigning-2026' } },
  );
  const id = res.body.data?.customerRegister.customer.id as string;
  const { gql } = await signIn(stack.router.handler, 'customerLogin', email, KEYS.volt, 'campaigning-2026');
  const town = `Town ${randomUUID().slice(0, 8)}`;
  const added = await gql('mutation ($input: AddressAddInput!) { customerAddressAdd(input: $input) { userErrors { code } } }', {
    input: { type: 'SERVICE', line1: '1 Main St', city: town, postcode: 'X91 AB12', country: 'IE' },
  });
  expect(added.body.data?.customerAddressAdd.userErrors).toEqual([]);
  return { id, gql, town };
}

const offersOf = (campaignId: string) =>
  sql(
    'select id, customer_id, title, message, status, score, coupon_code, segment, partner_id, notified_at from "promotion"."offer" where campaign_id = ? order by customer_id',
    [campaignId],
  );
const campaignRow = async (id: string) => (await sql('select * from "promotion"."campaign" where id = ?', [id]))[0];

beforeAll(async () => {
  clock = manualClock(new Date());
  stack = await startStack({ databaseUrl: inject('databaseUrl'), seed: false, clock, exposeSqlCount: true });
  manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
});
afterAll(() => stack.stop());

describe('campaign input', () => {
  it('reports every problem at once and writes nothing', async () => {
    // A promotion of the other brand is not one this campaign may carry.
    const nimbusPromotion = newId();
    await sql(
      `insert into "promotion"."promotion" (id, storefront_id, name, conditions, actions, messages, created_at, updated_at)
       values (?, ?, 'Nimbus only', '[]', '[]', '{}', now(), now())`,
      [nimbusPromotion, STOREFRONT_IDS.nimbus],
    );
    const [{ n: before }] = await sql('select count(*)::int as n from "promotion"."campaign"');
    const res = await manager(CREATE, {
      input: {
        name: '  ',
        objective: 'UPSELL',
        channels: [],
        audience: { countries: ['Ireland'], lifecycleStages: ['SLEEPING'], productIdsHeld: ['nope'] },
        template: { title: '', message: 'Hello', link: 'javascript:alert(1)', imageUrl: 'not a url' },
        promotionId: nimbusPromotion,
        startsAt: '2026-12-10T00:00:00Z',
        endsAt: '2026-12-01T00:00:00Z',
      },
    });
    const errors = res.body.data?.campaignCreate.userErrors as { field: string[]; code: string }[];
    expect(res.body.data?.campaignCreate.campaign).toBeNull();
    expect(errors.map((e) => `${e.field.join('.')}:${e.code}`).sort()).toEqual(
      [
        'input.name:BLANK',
        'input.channels:REQUIRED',
        'input.template.title:BLANK',
        'input.template.link:INVALID',
        'input.template.imageUrl:INVALID',
        'input.audience.countries.0:INVALID',
        'input.audience.lifecycleStages.0:INVALID',
        'input.audience.productIdsHeld.0:INVALID',
        'input.promotionId:NOT_FOUND',
        'input.endsAt:INVALID',
      ].sort(),
    );
    const [{ n: after }] = await sql('select count(*)::int as n from "promotion"."campaign"');
    expect(after).toBe(before);
  });

  it('is for staff with promotion scopes, within their storefront', async () => {
    const campaign = await draft({ segments: ['consumer'] });
    const customer = (await signIn(stack.router.handler, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
    const asCustomer = await customer(CREATE, {
      input: { name: 'x', objective: 'UPSELL', audience: {}, template, startsAt: clock.now(), endsAt: clock.now() },
    });
    // Campaigns are not in the storefront schema view: customers and keys cannot even name them.
    expect(distinctCodes(asCustomer)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const anonymous = await client(stack.router.handler, KEYS.volt)(`{ campaign(id: "${campaign.id}") { id } }`);
    expect(anonymous.body.data?.campaign ?? null).toBeNull();
    expect(codes(anonymous)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    // Care agents have no promotion scope.
    const care = (await signIn(stack.router.handler, 'staffLogin', 'agent.consumer@volt.example')).gql;
    expect(codes(await care('{ campaigns { nodes { id } } }'))).toContain('FORBIDDEN');
    // The other brand's marketer does not find it.
    const nimbus = (await signIn(stack.router.handler, 'staffLogin', 'agent@nimbus.example')).gql;
    expect(codes(await nimbus(`{ campaign(id: "${campaign.id}") { id } }`))).toEqual(['NOT_FOUND']);
    const theirs = (await nimbus('{ campaigns(first: 100) { nodes { id } } }')).body.data?.campaigns.nodes as { id: string }[];
    expect(theirs.map((c) => c.id)).not.toContain(campaign.id);
    const cancel = await nimbus(CANCEL, { input: { id: campaign.id, version: campaign.version, reason: 'not mine' } });
    expect(cancel.body.data?.campaignCancel.userErrors).toEqual([{ field: ['input', 'id'], code: 'NOT_FOUND' }]);
  });
});

describe('campaign lifecycle', () => {
  it('runs DRAFT → SCHEDULED → RUNNING → COMPLETED by jobs, targeting exactly the audience', async () => {
    const promotionId = newId();
    await sql(
      `insert into "promotion"."promotion" (id, storefront_id, name, coupon_code, conditions, actions, messages, created_at, updated_at)
       values (?, ?, 'Loyal consumers', ?, '[]', '[]', '{}', now(), now())`,
      [promotionId, STOREFRONT_IDS.volt, `LOYAL${randomUUID().slice(0, 6).toUpperCase()}`],
    );
    const campaign = await draft({ segments: ['consumer'], lifecycleStages: ['ACTIVE', 'AT_RISK'] }, { promotionId });

    // DRAFT edits: the version read is required.
    const edited = (await manager(UPDATE, { input: { id: campaign.id, version: campaign.version, name: 'Loyalty upsell' } })).body.data
      ?.campaignUpdate;
    expect(edited).toMatchObject({ campaign: { name: 'Loyalty upsell' }, userErrors: [] });
    const stale = (await manager(UPDATE, { input: { id: campaign.id, version: campaign.version, name: 'x' } })).body.data?.campaignUpdate;
    expect(stale.userErrors).toEqual([{ field: ['input', 'version'], code: 'CONFLICT' }]);

    const scheduled = (await manager(SCHEDULE, { input: { id: campaign.id, version: edited.campaign.version } })).body.data
      ?.campaignSchedule;
    expect(scheduled).toMatchObject({ campaign: { status: 'SCHEDULED' }, userErrors: [] });
    const row = await campaignRow(campaign.id);
    expect((await jobsOf(campaign.id)).map((j) => [j.identifier, j.key, new Date(j.run_at).getTime()])).toEqual([
      ['promotion:campaign-launch', `campaign:${campaign.id}:launch`, new Date(row.starts_at).getTime()],
      ['promotion:campaign-complete', `campaign:${campaign.id}:complete`, new Date(row.ends_at).getTime()],
    ]);
    // Scheduled campaigns are no longer edited.
    const late = (await manager(UPDATE, { input: { id: campaign.id, version: scheduled.campaign.version, name: 'y' } })).body.data
      ?.campaignUpdate;
    expect(late.userErrors).toEqual([{ field: ['input', 'id'], code: 'NOT_EDITABLE' }]);

    // Before its start nothing is due; a launch job run early does nothing either.
    expect(await runJobs(campaign.id)).toEqual([]);
    await task('promotion:campaign-launch', { campaignId: campaign.id });
    expect((await campaignRow(campaign.id)).status).toBe('SCHEDULED');

    // Live offers reach subscribers of the customer's channel.
    const live: unknown[] = [];
    const off = await stack.bus.subscribe(offerChannels.customer(customerId('aoife')), (payload) => live.push(payload));
    clock.advance(HOUR + 1000);
    expect(await runJobs(campaign.id)).toEqual(['promotion:campaign-launch', 'promotion:campaign-audience', 'promotion:campaign-chunk']);
    await off();
    const running = await campaignRow(campaign.id);
    expect(running).toMatchObject({ status: 'RUNNING' });
    expect(running.launched_at).not.toBeNull();

    // Exactly the ACTIVE consumer accounts of Volt in those stages when it launched — never another brand's.
    const expected = (await sql(
      `select id from "customer"."customer" where storefront_id = ? and status = 'ACTIVE' and segment = 'consumer'
       and lifecycle_stage in ('ACTIVE', 'AT_RISK') and created_at <= ? order by id`,
      [STOREFRONT_IDS.volt, running.launched_at],
    )) as { id: string }[];
    const offers = await offersOf(campaign.id);
    expect(offers.map((o) => o.customer_id).sort()).toEqual(expected.map((e) => e.id).sort());
    expect(offers.map((o) => o.customer_id)).toEqual(
      expect.arrayContaining(['aoife', 'conor', 'connectify-one', 'skyline-one'].map(customerId)),
    );
    expect(offers.map((o) => o.customer_id)).not.toContain(customerId('oliver'));
    expect(offers.map((o) => o.customer_id)).not.toContain(customerId('aoife-nimbus'));
    const aoife = offers.find((o) => o.customer_id === customerId('aoife')) as Record<string, unknown>;
    const coupon = (await sql('select coupon_code from "promotion"."promotion" where id = ?', [promotionId]))[0].coupon_code;
    expect(aoife).toMatchObject({
      title: 'Hi Aoife Byrne',
      message: 'Aoife Byrne, 20% off your next add-on',
      score: 70,
      coupon_code: coupon,
      segment: 'consumer',
      status: 'NEW',
    });
    expect(offers.find((o) => o.customer_id === customerId('connectify-one'))?.partner_id).not.toBeNull();
    expect(offers.every((o) => o.notified_at !== null)).toBe(true);
    expect(running.notified).toBe(offers.length);
    expect(live).toContainEqual({ offerId: aoife.id });

    // The inbox message, and the offer in the customer's own list.
    const customer = (await signIn(stack.router.handler, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
    const me = (await customer('{ me { siteMessages(first: 50) { nodes { title body } } offers { nodes { id couponCode } } } }')).body.data
      ?.me;
    expect(me.siteMessages.nodes).toContainEqual({
      title: 'Hi Aoife Byrne',
      body: 'Aoife Byrne, 20% off your next add-on\nhttps://volt.example/offers',
    });
    expect(me.offers.nodes).toContainEqual({ id: aoife.id, couponCode: coupon });

    // A second launch run creates nothing twice (dedupe keys), nor sends twice.
    await sql('update "promotion"."campaign" set audience_cursor = null where id = ?', [campaign.id]);
    await task('promotion:campaign-audience', { campaignId: campaign.id });
    expect(await runJobs(campaign.id)).toEqual(['promotion:campaign-chunk']);
    expect(await offersOf(campaign.id)).toHaveLength(offers.length);
    await task('promotion:campaign-launch', { campaignId: campaign.id });
    expect((await campaignRow(campaign.id)).notified).toBe(offers.length);

    // At its end: COMPLETED, open offers expire.
    clock.advance(7 * DAY);
    expect(await runJobs(campaign.id)).toEqual(['promotion:campaign-complete']);
    expect(await campaignRow(campaign.id)).toMatchObject({ status: 'COMPLETED' });
    expect(new Set((await offersOf(campaign.id)).map((o) => o.status))).toEqual(new Set(['EXPIRED']));
    const view = (await manager(`{ campaign(id: "${campaign.id}") { status launchedAt completedAt promotion { id } } }`)).body.data
      ?.campaign;
    expect(view).toMatchObject({
      status: 'COMPLETED',
      launchedAt: expect.any(String),
      completedAt: expect.any(String),
      promotion: { id: promotionId },
    });
  });

  it('cancels with a reason, expires the offers, and later jobs do nothing', async () => {
    const lone = await loneCustomer();
    const campaign = await launched({ regions: [lone.town.toUpperCase()] });
    const offers = await offersOf(campaign.id);
    expect(offers.map((o) => o.customer_id)).toEqual([lone.id]);
    const current = (await manager(`{ campaign(id: "${campaign.id}") { version status } }`)).body.data?.campaign;
    expect(current.status).toBe('RUNNING');

    const noReason = (await manager(CANCEL, { input: { id: campaign.id, version: current.version } })).body.data?.campaignCancel;
    expect(noReason.userErrors).toEqual([{ field: ['input', 'reason'], code: 'REQUIRED' }]);
    const cancelled = (await manager(CANCEL, { input: { id: campaign.id, version: current.version, reason: 'Wrong price in the copy' } }))
      .body.data?.campaignCancel;
    expect(cancelled).toMatchObject({ campaign: { status: 'CANCELLED', cancelReason: 'Wrong price in the copy' }, userErrors: [] });
    expect((await offersOf(campaign.id)).map((o) => o.status)).toEqual(['EXPIRED']);

    // The completion job still fires at the end, and finds nothing to do; so do launch and audience runs.
    clock.advance(8 * DAY);
    expect(await runJobs(campaign.id)).toEqual(['promotion:campaign-complete']);
    await task('promotion:campaign-launch', { campaignId: campaign.id });
    await task('promotion:campaign-audience', { campaignId: campaign.id });
    await task('promotion:campaign-notify', { campaignId: campaign.id, offerIds: offers.map((o) => o.id) });
    expect(await campaignRow(campaign.id)).toMatchObject({ status: 'CANCELLED', completed_at: null });
    const again = (await manager(CANCEL, { input: { id: campaign.id, version: cancelled.campaign.version, reason: 'again' } })).body.data
      ?.campaignCancel;
    expect(again.userErrors).toEqual([{ field: ['input', 'id'], code: 'INVALID_TRANSITION' }]);
  });

  it('a cancel waits for a chunk writing offers and expires them too; another chunk counting its messages does not wait', async () => {
    const lone = await loneCustomer();
    const campaign = await launched({ regions: [lone.town.toUpperCase()] });
    const [offer] = (await offersOf(campaign.id)) as { id: string }[];
    const current = (await manager(`{ campaign(id: "${campaign.id}") { version } }`)).body.data?.campaign;
    let cancel: Promise<Response> | undefined;
    const late = newId();
    // A chunk's transaction: the campaign held as the chunk holds it, an offer written.
    await promotion()
      .orm.em.fork()
      .transactional(async (tx) => {
        await tx.execute('select status from "promotion"."campaign" where id = ? for key share', [campaign.id]);
        await tx.execute(
          `insert into "promotion"."offer" (id, storefront_id, customer_id, source, campaign_id, title, message, score, status, created_at)
           select ?, storefront_id, customer_id, 'CAMPAIGN', campaign_id, title, message, score, 'NEW', created_at from "promotion"."offer" where id = ?`,
          [late, offer.id],
        );
        // Another chunk may raise the count meanwhile: its row lock is free now (`nowait` fails at once otherwise).
        await sql('select id from "promotion"."campaign" where id = ? for no key update nowait', [campaign.id]);
        let settled = false;
        cancel = manager(CANCEL, { input: { id: campaign.id, version: current.version, reason: 'Stop it' } }).finally(() => {
          settled = true;
        });
        // The cancel waits for this transaction's lock (were it not to, it would settle first and leave the late offer open).
        while (!settled) {
          const [{ n }] = await sql(
            `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%"promotion"."campaign"%for update%'`,
          );
          if (n > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      });
    const cancelled = (await cancel)?.body.data?.campaignCancel;
    expect(cancelled).toMatchObject({ campaign: { status: 'CANCELLED' }, userErrors: [] });
    expect((await offersOf(campaign.id)).map((o) => o.status)).toEqual(['EXPIRED', 'EXPIRED']);
  });
});

describe('audience in batches', () => {
  const GENERATED = 2_300;
  const storefrontId = randomUUID();
  const HELD = newId();

  /** Accounts of a storefront of their own (so no other test's counts move): every 10th CLOSED, every 7th another segment. */
  beforeAll(async () => {
    await sql(
      `insert into "customer"."customer" (id, storefront_id, type, name, email, status, category, segment, lifecycle_stage, consents,
         notification_preferences, created_at, updated_at)
       select gen_random_uuid(), ?, 'INDIVIDUAL', 'Customer ' || n, 'bulk' || n || '@example.com',
         case when n % 10 = 0 then 'CLOSED' else 'ACTIVE' end, 'CONSUMER', case when n % 7 = 0 then 'smb' else 'mass' end, 'ACTIVE',
         '[{"channel": "EMAIL", "granted": true, "updatedAt": "2026-01-01T00:00:00Z"}]', '[]', now(), now()
       from generate_series(1, ?) n`,
      [storefrontId, GENERATED],
    );
  });

  /** A campaign of the generated storefront, written as the service would (no staff can sign in to it), already due. */
  async function massCampaign(audience: Record<string, unknown>): Promise<string> {
    const id = newId();
    const now = clock.now().getTime();
    await sql(
      `insert into "promotion"."campaign" (id, storefront_id, name, objective, status, priority, channels, audience, template, starts_at, ends_at, created_at, updated_at)
       values (?, ?, 'Mass', 'RETENTION', 'SCHEDULED', 10, '["WEB"]', ?::jsonb, ?::jsonb, ?, ?, now(), now())`,
      [
        id,
        storefrontId,
        JSON.stringify(audienceRules({ segments: ['mass'], ...audience })),
        JSON.stringify(template),
        new Date(now - 1000),
        new Date(now + 7 * DAY),
      ],
    );
    return id;
  }

  const messagesOf = async () =>
    (
      await sql(
        `select count(*)::int as n from "customer"."site_message" m join "customer"."customer" c on c.id = m.customer_id where c.storefront_id = ?`,
        [storefrontId],
      )
    )[0].n as number;

  it('cuts the audience into id-range chunks that run in any order, each in statements that do not grow with its size', async () => {
    const [{ n: eligible }] = await sql(
      `select count(*)::int as n from "customer"."customer" where storefront_id = ? and status = 'ACTIVE' and segment = 'mass'`,
      [storefrontId],
    );
    expect(eligible).toBeGreaterThan(1_500);
    const id = await massCampaign({});
    await task('promotion:campaign-launch', { campaignId: id, batchSize: 400 });
    await task('promotion:campaign-audience', { campaignId: id, batchSize: 400 });

    // One chunk job per 400 accounts, keyed by its range's last account; the cursor marks the plan done.
    const chunks = await chunksOf(id);
    expect(chunks).toHaveLength(Math.ceil(eligible / 400));
    expect(chunks.map((j) => j.key)).toEqual(chunks.map((j) => `campaign:${id}:chunk:${j.payload.upTo}`));
    expect(chunks[0].payload.after).toBeNull();
    for (const [i, chunk] of chunks.entries()) if (i > 0) expect(chunk.payload.after).toBe(chunks[i - 1].payload.upTo);
    expect((await campaignRow(id)).audience_cursor).toBe(chunks.at(-1)?.payload.upTo);
    // The audience job again (a retried job that had committed) queues nothing more.
    await task('promotion:campaign-audience', { campaignId: id, batchSize: 400 });
    expect((await jobsOf(id)).filter((j) => j.identifier === 'promotion:campaign-chunk')).toHaveLength(chunks.length);

    // Chunks from the last: each writes exactly its range.
    const last = chunks.at(-1) as Job;
    const first = chunks[0];
    const lastRun = await sqlCounter.run(() => task('promotion:campaign-chunk', last.payload));
    const lastOffers = await offersOf(id);
    expect(lastOffers.length).toBe(eligible - 400 * (chunks.length - 1));
    expect(lastOffers.every((o) => o.customer_id > (last.payload.after as string) && o.customer_id <= (last.payload.upTo as string))).toBe(
      true,
    );
    const firstRun = await sqlCounter.run(() => task('promotion:campaign-chunk', first.payload));
    expect(await offersOf(id)).toHaveLength(lastOffers.length + 400);
    // Statements per chunk do not grow with the accounts it handles (400 here, fewer in the last).
    expect(firstRun.statements).toBe(lastRun.statements);
    expect(firstRun.statements).toBeLessThan(20);

    // The rest, side by side as two workers would run them.
    await Promise.all(chunks.slice(1, -1).map((c) => task('promotion:campaign-chunk', c.payload)));
    const offers = await offersOf(id);
    expect(offers).toHaveLength(eligible);
    expect(new Set(offers.map((o) => o.customer_id)).size).toBe(eligible);
    expect(offers.every((o) => o.notified_at !== null)).toBe(true);
    expect((await campaignRow(id)).notified).toBe(eligible);
    expect(await messagesOf()).toBe(eligible);

    // Notification jobs run again (queued by an earlier version) send nothing twice and count nothing twice.
    await task('promotion:campaign-notify', { campaignId: id, offerIds: offers.slice(0, 10).map((o) => o.id) });
    expect((await campaignRow(id)).notified).toBe(eligible);
  });

  it('a retried chunk (after a crash anywhere in it) makes one offer, one message and one count per account', async () => {
    const id = await massCampaign({});
    await task('promotion:campaign-launch', { campaignId: id, batchSize: 300 });
    await task('promotion:campaign-audience', { campaignId: id, batchSize: 300 });
    const [chunk] = await chunksOf(id);
    const before = { messages: await messagesOf(), notified: (await campaignRow(id)).notified as number };
    await task('promotion:campaign-chunk', chunk.payload);
    const offers = await offersOf(id);
    expect(offers).toHaveLength(300);
    expect(await messagesOf()).toBe(before.messages + 300);

    // Offers an earlier version wrote but had not marked when it crashed: 100 offers unmarked, uncounted.
    const unmarked = offers.slice(0, 100).map((o) => o.id as string);
    await sql('update "promotion"."offer" set notified_at = null where id = any(?::uuid[])', [`{${unmarked.join(',')}}`]);
    await sql('update "promotion"."campaign" set notified = notified - 100 where id = ?', [id]);
    // The worker retries the job, then (a lost acknowledgement) runs it once more.
    await task('promotion:campaign-chunk', chunk.payload);
    await task('promotion:campaign-chunk', chunk.payload);
    const after = await offersOf(id);
    expect(after.map((o) => o.id)).toEqual(offers.map((o) => o.id));
    expect(after.every((o) => o.notified_at !== null)).toBe(true);
    expect((await campaignRow(id)).notified).toBe(300);
    expect(await messagesOf()).toBe(before.messages + 300);
  });

  it('a chunk failing after its messages went out, before it committed, sends none twice when retried', async () => {
    const id = await massCampaign({});
    await task('promotion:campaign-launch', { campaignId: id, batchSize: 300 });
    await task('promotion:campaign-audience', { campaignId: id, batchSize: 300 });
    const [chunk] = await chunksOf(id);
    const [{ since }] = await sql('select now() as since');
    // Notifications recorded since this test began: all of them, and the accounts they went to.
    const sentOf = async () =>
      (
        await sql(
          `select count(*)::int as n, count(distinct s.customer_id)::int as customers from "customer"."notification_sent" s
           join "customer"."customer" c on c.id = s.customer_id
           where c.storefront_id = ? and s.template_key = 'campaign.offer' and s.created_at >= ?`,
          [storefrontId, since],
        )
      )[0] as { n: number; customers: number };
    const before = await messagesOf();
    // The chunk's last write (the campaign's count) fails: the process dies there, its transaction rolls back.
    const fail = `fail_count_${id.replaceAll('-', '')}`;
    await sql(`create function "promotion"."${fail}"() returns trigger language plpgsql as $$ begin raise exception 'crash'; end $$`);
    await sql(
      `create trigger "${fail}" before update on "promotion"."campaign" for each row
       when (new.id = '${id}' and new.notified <> old.notified) execute function "promotion"."${fail}"()`,
    );
    try {
      await expect(task('promotion:campaign-chunk', chunk.payload)).rejects.toThrow();
    } finally {
      await sql(`drop trigger "${fail}" on "promotion"."campaign"`);
      await sql(`drop function "promotion"."${fail}"()`);
    }
    // The messages went out; what the chunk wrote in its own tables did not stay.
    expect(await messagesOf()).toBe(before + 300);
    expect(await offersOf(id)).toHaveLength(0);
    expect((await campaignRow(id)).notified).toBe(0);

    // The worker retries it, then (a lost acknowledgement) runs it once more: one offer, message, notification and count each.
    await task('promotion:campaign-chunk', chunk.payload);
    await task('promotion:campaign-chunk', chunk.payload);
    const offers = await offersOf(id);
    expect(offers).toHaveLength(300);
    expect(new Set(offers.map((o) => o.customer_id)).size).toBe(300);
    expect(offers.every((o) => o.notified_at !== null)).toBe(true);
    expect((await campaignRow(id)).notified).toBe(300);
    expect(await messagesOf()).toBe(before + 300);
    expect(await sentOf()).toEqual({ n: 300, customers: 300 });
  });

  it('a campaign a batch job had taken part-way carries on after its cursor', async () => {
    const id = await massCampaign({});
    await task('promotion:campaign-launch', { campaignId: id, batchSize: 1000 });
    const accounts = (await sql(
      `select id from "customer"."customer" where storefront_id = ? and status = 'ACTIVE' and segment = 'mass' order by id`,
      [storefrontId],
    )) as { id: string }[];
    const cursor = accounts[499].id;
    await sql('update "promotion"."campaign" set audience_cursor = ? where id = ?', [cursor, id]);
    await task('promotion:campaign-audience', { campaignId: id, batchSize: 1000 });
    const chunks = await chunksOf(id);
    expect(chunks[0].payload.after).toBe(cursor);
    for (const chunk of chunks) await task('promotion:campaign-chunk', chunk.payload);
    expect((await offersOf(id)).map((o) => o.customer_id)).toEqual(accounts.slice(500).map((a) => a.id));
  });

  it('"products held" keeps the accounts with a non-cancelled order of those products', async () => {
    const accounts = (await sql(
      `select id, segment from "customer"."customer" where storefront_id = ? and status = 'ACTIVE' and segment = 'mass' order by id limit 3`,
      [storefrontId],
    )) as { id: string }[];
    const order = async (customer: string, productId: string, status: string) => {
      const orderId = newId();
      await sql(
        `insert into "cart"."customer_order" (id, number, storefront_id, customer_id, segment, cart_id, idempotency_key, status, currency_code, totals, placed_at, version)
         values (?, ?, ?, ?, 'mass', ?, ?, ?, 'EUR', '{}', now(), 1)`,
        [orderId, `T-${randomUUID().slice(0, 12)}`, storefrontId, customer, newId(), randomUUID(), status],
      );
      await sql(`insert into "cart"."order_line" (id, order_id, product_id, name, quantity) values (?, ?, ?, 'Held', 1)`, [
        newId(),
        orderId,
        productId,
      ]);
    };
    await order(accounts[0].id, HELD, 'ACTIVE');
    await order(accounts[1].id, HELD, 'CANCELLED');
    await order(accounts[2].id, newId(), 'ACTIVE');
    const id = await massCampaign({ productIdsHeld: [HELD] });
    await task('promotion:campaign-launch', { campaignId: id, batchSize: 500 });
    await runJobs(id);
    expect((await offersOf(id)).map((o) => o.customer_id)).toEqual([accounts[0].id]);
    expect((await campaignRow(id)).audience_cursor).not.toBeNull();
  });

  it('the cron sweep launches and completes due campaigns whose jobs went missing', async () => {
    // A storefront of its own: the sweep of one brand leaves other tests' campaigns alone.
    const id = await massCampaign({ segments: ['smb'] });
    expect(await jobsOf(id)).toEqual([]);
    await task('promotion:campaign-sweep', { storefrontId });
    expect((await campaignRow(id)).status).toBe('RUNNING');
    await runJobs(id);
    const [{ n }] = await sql(
      `select count(*)::int as n from "customer"."customer" where storefront_id = ? and status = 'ACTIVE' and segment = 'smb'`,
      [storefrontId],
    );
    expect(await offersOf(id)).toHaveLength(n);
    clock.advance(7 * DAY);
    await task('promotion:campaign-sweep', { storefrontId });
    expect((await campaignRow(id)).status).toBe('COMPLETED');
  });
});

describe('campaign KPIs', () => {
  const kpis = 'targeted notified clicked redeemed converted revenue { amount currencyCode } conversionRate';

  it('counts clicks and conversions; the dashboard adds every campaign up in one grouped statement', async () => {
    const lone = await loneCustomer();
    const campaign = await launched({ regions: [lone.town] });
    const [offer] = await offersOf(campaign.id);
    const read = async () => (await manager(`{ campaign(id: "${campaign.id}") { kpis { ${kpis} } } }`)).body.data?.campaign.kpis;
    const currencyCode = (await manager('{ storefront { currencyCode } }')).body.data?.storefront.currencyCode;
    expect(await read()).toEqual({
      targeted: 1,
      notified: 1,
      clicked: 0,
      redeemed: 0,
      converted: 0,
      revenue: { amount: '0.00', currencyCode },
      conversionRate: 0,
    });

    // The customer takes it up: a click.
    const accepted = await lone.gql('mutation ($id: ID!) { offerAccept(input: { id: $id }) { offer { status } userErrors { code } } }', {
      id: offer.id,
    });
    expect(accepted.body.data?.offerAccept).toEqual({ offer: { status: 'ACCEPTED' }, userErrors: [] });

    // An order after the offer converts it, once; an order of another customer does not.
    const em = promotion().orm.em.fork() as EntityManager;
    const placed = (customer: string, at: Date, dueNow = '49.99') => ({
      eventId: randomUUID(),
      orderId: newId(),
      storefrontId: STOREFRONT_IDS.volt,
      customerId: customer,
      productIds: [],
      dueNow,
      currencyCode,
      promotionIds: [],
      at: at.toISOString(),
    });
    expect(await attributeOrder(em, placed(customerId('conor'), clock.now()))).not.toContain(offer.id);
    expect(await attributeOrder(em, placed(lone.id, new Date(clock.now().getTime() - 3 * HOUR)))).toEqual([]);
    expect(await attributeOrder(em, placed(lone.id, clock.now()))).toEqual([offer.id]);
    expect(await attributeOrder(em, placed(lone.id, clock.now(), '99.00'))).toEqual([]);
    expect(await read()).toEqual({
      targeted: 1,
      notified: 1,
      clicked: 1,
      redeemed: 0,
      converted: 1,
      revenue: { amount: '49.99', currencyCode },
      conversionRate: 1,
    });

    const other = await draft({ segments: ['smb'] });
    const dashboard = await manager(
      `{ campaignDashboard { campaigns(first: 100) { nodes { id status kpis { ${kpis} } } pageInfo { hasNextPage } }
        totals { ${kpis} } byStatus { status count } } }`,
    );
    const page = dashboard.body.data?.campaignDashboard;
    // One page holds them all here, so its KPIs add up to the totals.
    expect(page.campaigns.pageInfo.hasNextPage).toBe(false);
    const body = { ...page, campaigns: page.campaigns.nodes };
    const [{ n: campaignCount }] = await sql('select count(*)::int as n from "promotion"."campaign" where storefront_id = ?', [
      STOREFRONT_IDS.volt,
    ]);
    // Other test files may add Volt campaigns meanwhile.
    expect(body.campaigns.length).toBeLessThanOrEqual(campaignCount);
    expect(body.campaigns.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([campaign.id, other.id]));
    expect(body.campaigns.find((c: { id: string }) => c.id === other.id).kpis.targeted).toBe(0);
    const sum = (key: string) => body.campaigns.reduce((n: number, c: { kpis: Record<string, number> }) => n + c.kpis[key], 0);
    for (const key of ['targeted', 'notified', 'clicked', 'converted']) expect(body.totals[key]).toBe(sum(key));
    const cents = body.campaigns.reduce(
      (n: number, c: { kpis: { revenue: { amount: string } } }) => n + Math.round(Number(c.kpis.revenue.amount) * 100),
      0,
    );
    expect(Math.round(Number(body.totals.revenue.amount) * 100)).toBe(cents);
    expect(body.byStatus.reduce((n: number, s: { count: number }) => n + s.count, 0)).toBe(body.campaigns.length);
    // Campaigns, KPIs, totals: the statements do not grow with the number of campaigns.
    expect(campaignCount).toBeGreaterThanOrEqual(3);
    expect(dashboard.statements).toBeLessThanOrEqual(6);

    // Cancelling keeps the results.
    const { version } = (await manager(`{ campaign(id: "${campaign.id}") { version } }`)).body.data?.campaign ?? {};
    expect(
      (await manager(CANCEL, { input: { id: campaign.id, version, reason: 'Test over' } })).body.data?.campaignCancel.userErrors,
    ).toEqual([]);
    expect((await read()).converted).toBe(1);
  });

  it('counts a plan sale: first-period revenue and annualised (12 × monthly) beside the one-off revenue', async () => {
    const lone = await loneCustomer();
    const campaign = await launched({ regions: [lone.town] });
    // A real plan checkout: nothing due now, a monthly fee.
    const plan = seedId('product', 'volt-sim-unlimited');
    const created = await lone.gql(
      'mutation ($input: CartCreateInput!) { cartCreate(input: $input) { cart { id version totals { dueNow { amount } monthly { amount } } } userErrors { code } } }',
      { input: { lines: [{ productId: plan }] } },
    );
    const cart = created.body.data?.cartCreate.cart;
    const checkout = await lone.gql(
      'mutation ($input: CartCheckoutInput!) { cartCheckout(input: $input) { order { id } userErrors { code } } }',
      { input: { cart: { cartId: cart.id, version: cart.version }, idempotencyKey: randomUUID() } },
    );
    const orderId = checkout.body.data?.cartCheckout.order.id as string;
    expect(orderId).toBeTruthy();
    // The order's event carries its monthly charge; attribution is idempotent, whether the bus got there first or not.
    const [{ payload }] = await sql(`select payload from "cart"."outbox" where payload->>'orderId' = ?`, [orderId]);
    expect(payload).toMatchObject({ dueNow: cart.totals.dueNow.amount, monthly: cart.totals.monthly.amount });
    await attributeOrder(promotion().orm.em.fork() as EntityManager, payload);
    const kpis = (
      await manager(
        `{ campaign(id: "${campaign.id}") { kpis { converted revenue { amount } monthlyRevenue { amount } firstPeriodRevenue { amount } annualisedRevenue { amount } } } }`,
      )
    ).body.data?.campaign.kpis;
    const cents = (amount: string) => Math.round(Number(amount) * 100);
    const monthly = cents(cart.totals.monthly.amount);
    expect(monthly).toBeGreaterThan(0);
    expect(kpis.converted).toBe(1);
    expect(cents(kpis.revenue.amount)).toBe(cents(cart.totals.dueNow.amount));
    expect(cents(kpis.monthlyRevenue.amount)).toBe(monthly);
    expect(cents(kpis.firstPeriodRevenue.amount)).toBe(cents(cart.totals.dueNow.amount) + monthly);
    expect(cents(kpis.annualisedRevenue.amount)).toBe(12 * monthly);

    // An event published before monthly amounts existed still converts, with no recurring revenue.
    const older = await loneCustomer();
    const other = await launched({ regions: [older.town] });
    const legacy = {
      eventId: randomUUID(),
      orderId: newId(),
      storefrontId: STOREFRONT_IDS.volt,
      customerId: older.id,
      productIds: [],
      dueNow: '10.00',
      currencyCode: 'EUR',
      promotionIds: [],
      at: clock.now().toISOString(),
    };
    expect(await attributeOrder(promotion().orm.em.fork() as EntityManager, legacy)).toHaveLength(1);
    const legacyKpis = (
      await manager(
        `{ campaign(id: "${other.id}") { kpis { revenue { amount } firstPeriodRevenue { amount } annualisedRevenue { amount } } } }`,
      )
    ).body.data?.campaign.kpis;
    expect(legacyKpis).toMatchObject({
      revenue: { amount: '10.00' },
      firstPeriodRevenue: { amount: '10.00' },
      annualisedRevenue: { amount: '0.00' },
    });
  });
});
