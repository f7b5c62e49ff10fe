import { type ManualClock, manualClock, newId, seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Stack, startStack } from '../../../stack/src/stack.js';
import { dbRows, succeeded } from '../../../tests/support/brand-matrix.js';
import { costPrefix, customerId, productId, type Response, signIn } from '../../../tests/support/stack.js';

/**
 * Assignment rules, load-based owners, manual assignment and idle escalation through the router, on a
 * manual clock; the escalation job is run directly, as the worker would. Rows written are this file's
 * own (fresh opportunities; rules match categories of this run only).
 */
let stack: Stack;
let clock: ManualClock;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const run = Math.random().toString(36).slice(2, 8).toUpperCase();
const HOUR = 3_600_000;
const staff = (key: string) => seedId('staff', key);
const team = (key: string) => seedId('team', key);
const CONNECTIFY = seedId('partner', 'connectify');

beforeAll(async () => {
  clock = manualClock(new Date());
  stack = await startStack({
    databaseUrl: inject('databaseUrl'),
    seed: false,
    clock,
    exposeSqlCount: true,
    cost: { keyPrefix: costPrefix() },
  });
  const h = stack.router.handler;
  as.manager = (await signIn(h, 'staffLogin', 'manager@volt.example')).gql;
  as.business = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  as.consumer = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.nimbus = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
});
afterAll(() => stack.stop());

const OPP = 'id version name stage ownerStaffId partnerId teamId escalationLevel escalatedAt lastActivityAt';
const CREATE = `mutation ($input: OpportunityCreateInput!) { opportunityCreate(input: $input) { opportunity { ${OPP} } userErrors { field code } } }`;
const ASSIGN = `mutation ($input: OpportunityAssignInput!) { opportunityAssign(input: $input) { opportunity { ${OPP} } userErrors { field code message } } }`;
const RULES = `mutation ($input: RoutingRulesSetInput!) { routingRulesSet(input: $input) { ruleSet { version } userErrors { field code message } } }`;
const TRANSITION = `mutation ($input: OpportunityTransitionInput!) { opportunityTransition(input: $input) { opportunity { ${OPP} } userErrors { code } } }`;
const TASK = `mutation ($input: TaskCreateInput!) { taskCreate(input: $input) { task { id } userErrors { code } } }`;
const QUALIFY = `mutation ($input: LeadQualifyInput!) { leadQualify(input: $input) { opportunity { ${OPP} } userErrors { code } } }`;

type Opp = { id: string; version: number; name: string; ownerStaffId: string | null; partnerId: string | null; teamId: string | null };
const errorsOf = (r: Response, m: string) => ((r.body.data?.[m]?.userErrors ?? []) as { code: string }[]).map((e) => e.code);
const read = async (id: string) =>
  (await as.manager(`query ($id: ID!) { opportunity(id: $id) { ${OPP} } }`, { id })).body.data?.opportunity as Opp & {
    escalationLevel: number;
    escalatedAt: string | null;
  };
const create = async (gql: Gql, input: Record<string, unknown>): Promise<Opp> =>
  succeeded(
    await gql(CREATE, { input: { name: `Routing ${run} ${Math.random().toString(36).slice(2, 6)}`, ...input } }),
    'opportunityCreate',
  ).opportunity;
const opportunity = () => stack.subgraphs.find((s) => s.definition.name === 'opportunity') as Stack['subgraphs'][number];
const escalate = (id: string) =>
  (opportunity().server.tasks['opportunity:escalation'] as (p: unknown) => Promise<string>)({ opportunityId: id });
const jobsOf = (id: string) =>
  dbRows(stack, 'opportunity', 'select run_at from graphile_worker._private_jobs where key = ?', [
    `opportunity-escalation:${id}`,
  ]) as Promise<{ run_at: Date }[]>;
const notified = (template: string, name: string) =>
  dbRows(
    stack,
    'customer',
    `select staff_id, channel from "customer"."notification_sent" where template_key = ? and body like ? order by created_at`,
    [template, `%${name}%`],
  ) as Promise<{ staff_id: string; channel: string }[]>;

describe('assignment rules', () => {
  it('are validated: known fields, team:<id> or partner:<id> targets, managers only', async () => {
    const bad = await as.manager(RULES, {
      input: { kind: 'ASSIGNMENT', rules: [{ conditions: [{ path: 'colour', operator: 'eq', value: 'x' }], target: 'team:x' }] },
    });
    expect(errorsOf(bad, 'routingRulesSet')).toEqual(['UNKNOWN_FIELD']);
    const target = await as.manager(RULES, { input: { kind: 'ASSIGNMENT', rules: [{ target: 'somebody' }] } });
    expect(target.body.data?.routingRulesSet.userErrors).toEqual([
      { field: ['input', 'rules', '0', 'target'], code: 'INVALID', message: expect.any(String) },
    ]);
    expect((await as.business(RULES, { input: { kind: 'ASSIGNMENT', rules: [] } })).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    succeeded(
      await as.manager(RULES, {
        input: {
          kind: 'ASSIGNMENT',
          rules: [
            {
              id: 'sales',
              conditions: [{ path: 'category', operator: 'eq', value: `ROUTE_${run}` }],
              target: `team:${team('volt-sales')}`,
            },
            { id: 'partner', conditions: [{ path: 'category', operator: 'eq', value: `QUEUE_${run}` }], target: `partner:${CONNECTIFY}` },
          ],
        },
      }),
      'routingRulesSet',
    );
  });

  it('a partner’s opportunity goes to the rule’s team, owned by a member by load, who is notified after commit', async () => {
    const o = await create(as.connectify, { customerId: customerId('connectify-one'), category: `ROUTE_${run}` });
    expect(o.teamId).toBe(team('volt-sales'));
    expect([staff('volt-consumer'), staff('volt-business')]).toContain(o.ownerStaffId);
    const sent = await notified('opportunity.assigned', o.name);
    expect(sent.map((n) => n.staff_id)).toContain(o.ownerStaffId);
    // The owner reads it even outside their segments (ownership, within the brand).
    const owner = o.ownerStaffId === staff('volt-consumer') ? as.consumer : as.business;
    expect((await owner('query ($id: ID!) { opportunity(id: $id) { id } }', { id: o.id })).body.data?.opportunity.id).toBe(o.id);
  });

  it('a staff creator keeps the opportunity; a partner-queue rule hands it to the partner', async () => {
    const o = await create(as.business, { customerId: customerId('globex'), category: `QUEUE_${run}` });
    expect(o).toMatchObject({ ownerStaffId: staff('volt-business'), partnerId: CONNECTIFY, teamId: null });
    const seen = await as.connectify('query ($id: ID!) { opportunity(id: $id) { id } }', { id: o.id });
    expect(seen.body.data?.opportunity.id).toBe(o.id);
  });

  it('without a matching rule, the brand’s sales team for the segment (teamsFor); a qualified lead is routed too', async () => {
    // Other files create teams meanwhile: the team is one of Volt's (or shared) SALES teams.
    const salesTeam = async (id: string | null) =>
      (
        (await dbRows(stack, 'customer', 'select kind, storefront_id from "customer"."team" where id = ?', [id])) as {
          kind: string;
          storefront_id: string | null;
        }[]
      )[0];
    const o = await create(as.business, { customerId: customerId('globex') });
    expect(await salesTeam(o.teamId)).toMatchObject({ kind: 'SALES' });
    expect([seedId('storefront', 'volt'), null]).toContain((await salesTeam(o.teamId)).storefront_id);
    // A partner's lead nobody owns (written directly: capturing leads is another part's test).
    const leadId = newId();
    await dbRows(
      stack,
      'opportunity',
      `insert into "opportunity"."lead" (id, storefront_id, channel, status, partner_id, segment, first_name, last_name, email,
         captured_at, created_at, updated_at) values (?, ?, 'PARTNER', 'NEW', ?, 'consumer', 'Routed', ?, ?, now(), now(), now())`,
      [leadId, seedId('storefront', 'volt'), CONNECTIFY, run, `routed-${run.toLowerCase()}@example.com`],
    );
    const qualified = succeeded(await as.connectify(QUALIFY, { input: { leadId } }), 'leadQualify').opportunity;
    expect(await salesTeam(qualified.teamId)).toMatchObject({ kind: 'SALES' });
    expect(qualified.ownerStaffId).not.toBeNull();
  });
});

describe('manual assignment', () => {
  it('to a member of the team granted its segment, at the version read; others refused', async () => {
    // smb, created by the manager (all segments), who keeps it.
    const o = await create(as.manager, { customerId: customerId('globex') });
    const assign = (gql: Gql, input: Record<string, unknown>) => gql(ASSIGN, { input: { id: o.id, version: o.version, ...input } });
    expect(errorsOf(await assign(as.manager, { ownerStaffId: staff('nimbus-agent') }), 'opportunityAssign')).toEqual(['NOT_A_MEMBER']);
    expect(errorsOf(await assign(as.consumer, { ownerStaffId: staff('volt-consumer') }), 'opportunityAssign')).toEqual(['NOT_FOUND']);
    expect(errorsOf(await assign(as.nimbus, { ownerStaffId: staff('nimbus-agent') }), 'opportunityAssign')).toEqual(['NOT_FOUND']);
    // A member of the team whose grant does not cover smb.
    expect(
      errorsOf(await assign(as.manager, { ownerStaffId: staff('volt-consumer'), teamId: team('volt-sales') }), 'opportunityAssign'),
    ).toEqual(['STAFF_NOT_IN_SEGMENT']);
    expect((await read(o.id)).version).toBe(o.version);
    const done = succeeded(
      await assign(as.manager, { ownerStaffId: staff('volt-business'), teamId: team('volt-sales') }),
      'opportunityAssign',
    ).opportunity;
    expect(done).toMatchObject({ ownerStaffId: staff('volt-business'), teamId: team('volt-sales'), version: o.version + 1 });
    expect((await notified('opportunity.assigned', o.name)).map((n) => n.staff_id)).toContain(staff('volt-business'));
    expect(errorsOf(await assign(as.manager, { ownerStaffId: staff('volt-business') }), 'opportunityAssign')).toEqual(['CONFLICT']);
    // Auto: the team's other member is not granted smb, so nobody is left to take it.
    const auto = await as.manager(ASSIGN, { input: { id: o.id, version: done.version, auto: true, teamId: team('volt-sales') } });
    expect(errorsOf(auto, 'opportunityAssign')).toEqual(['NO_ASSIGNEE']);
  });
});

describe('escalation', () => {
  // Volt's business calendar (seeded): Dublin, weekdays 08:00–20:00, Saturdays 09:00–13:00 (Dublin is on UTC in January).
  const at = (iso: string) => new Date(iso).getTime();

  it('an idle opportunity escalates after its limit in business hours, up the owner’s chain once per level; activity starts a new idle period', async () => {
    clock.set(new Date('2027-01-04T09:00:00Z')); // Monday 09:00
    const o = await create(as.business, { customerId: customerId('globex'), lines: [{ productId: productId('volt-sim-20gb') }] });
    // One job per opportunity, first at the earliest the limit could end (72 calendar hours)…
    expect((await jobsOf(o.id)).map((j) => new Date(j.run_at).getTime())).toEqual([at('2027-01-07T09:00:00Z')]);
    clock.set(new Date('2027-01-07T09:00:00Z'));
    // …where it finds only 47 business hours gone and requeues itself for the 72nd: Monday 11th, 17:00.
    expect(await escalate(o.id)).toBe('NOT_DUE');
    expect((await jobsOf(o.id)).map((j) => new Date(j.run_at).getTime())).toEqual([at('2027-01-11T17:00:00Z')]);
    clock.set(new Date('2027-01-11T16:59:00Z'));
    expect(await escalate(o.id)).toBe('NOT_DUE');

    clock.set(new Date('2027-01-11T17:00:00Z'));
    expect(await escalate(o.id)).toBe('ESCALATED');
    let state = await read(o.id);
    expect(state.escalationLevel).toBe(1);
    expect(new Date(state.escalatedAt as string).getTime()).toBe(clock.now().getTime());
    expect((await notified('opportunity.escalated', o.name)).map((n) => n.staff_id)).toEqual(
      expect.arrayContaining([staff('volt-manager')]),
    );
    const once = (await notified('opportunity.escalated', o.name)).length;
    // Run again (a retry, a stale job): nothing twice; the next level waits for another 72 business hours.
    expect(await escalate(o.id)).toBe('NOT_DUE');
    expect((await notified('opportunity.escalated', o.name)).length).toBe(once);
    expect((await jobsOf(o.id)).map((j) => new Date(j.run_at).getTime())).toEqual([at('2027-01-19T13:00:00Z')]);

    // Activity (a task) starts a new idle period: level 0, the job moved to the earliest end, now + 72 h.
    succeeded(await as.business(TASK, { input: { opportunityId: o.id, kind: 'CALL' } }), 'taskCreate');
    expect((await read(o.id)).escalationLevel).toBe(0);
    expect((await jobsOf(o.id)).map((j) => new Date(j.run_at).getTime())).toEqual([clock.now().getTime() + 72 * HOUR]);
    clock.advance(21 * 24 * HOUR); // three weeks on: both levels are due
    expect(await escalate(o.id)).toBe('ESCALATED');
    expect(await escalate(o.id)).toBe('ESCALATED');
    state = await read(o.id);
    expect(state.escalationLevel).toBe(2);
    expect((await notified('opportunity.escalated', o.name)).map((n) => n.staff_id)).toContain(staff('regional-manager'));

    // A stage move: a new idle period with QUALIFICATION's limit (120 h); still one job row for the key.
    const moved = succeeded(
      await as.business(TRANSITION, { input: { id: o.id, version: state.version, to: 'QUALIFICATION' } }),
      'opportunityTransition',
    ).opportunity;
    expect(moved.escalationLevel).toBe(0);
    expect((await jobsOf(o.id)).map((j) => new Date(j.run_at).getTime())).toEqual([clock.now().getTime() + 120 * HOUR]);
    // Closed: the job finds nothing to do.
    const lost = await as.business(TRANSITION, { input: { id: o.id, version: moved.version, to: 'CANCELLED', note: 'Gone quiet' } });
    expect(errorsOf(lost, 'opportunityTransition')).toEqual([]);
    clock.advance(200 * HOUR);
    expect(await escalate(o.id)).toBe('CLOSED');
    expect(await jobsOf(o.id)).toHaveLength(0);
  });

  it('an opportunity nobody owns escalates to its team’s manager, then up that manager’s chain', async () => {
    // Routed to Volt sales by the rule (above), then left without an owner (the owner gone; written directly).
    const o = await create(as.connectify, { customerId: customerId('connectify-one'), category: `ROUTE_${run}` });
    expect(o.teamId).toBe(team('volt-sales'));
    await dbRows(stack, 'opportunity', 'update "opportunity"."opportunity" set owner_staff_id = null where id = ?', [o.id]);
    clock.advance(21 * 24 * HOUR);
    expect(await escalate(o.id)).toBe('ESCALATED');
    const first = (await notified('opportunity.escalated', o.name)).map((n) => n.staff_id);
    expect(new Set(first)).toEqual(new Set([staff('volt-manager')]));
    expect(await escalate(o.id)).toBe('ESCALATED');
    expect((await notified('opportunity.escalated', o.name)).map((n) => n.staff_id)).toContain(staff('regional-manager'));
    expect((await read(o.id)).escalationLevel).toBe(2);

    // In a partner's queue (no team): the manager of the brand's sales team for its segment.
    const queued = await create(as.connectify, { customerId: customerId('connectify-one'), category: `QUEUE_${run}` });
    expect(queued).toMatchObject({ ownerStaffId: null, partnerId: CONNECTIFY, teamId: null });
    clock.advance(21 * 24 * HOUR);
    expect(await escalate(queued.id)).toBe('ESCALATED');
    expect(await notified('opportunity.escalated', queued.name)).not.toHaveLength(0);
  });
});
