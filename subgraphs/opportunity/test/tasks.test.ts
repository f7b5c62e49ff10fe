import { newId, seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../../stack/src/stack.js';
import { dbRows, succeeded } from '../../../tests/support/brand-matrix.js';
import { codes, customerId, productId, type Response, signIn, startTestStack } from '../../../tests/support/stack.js';

/**
 * Tasks, approvals, notes and sharing of opportunities through the router. Every row this file writes
 * is its own (fresh opportunities, a category of this run for the approval rules); seeded rows are read.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const run = Math.random().toString(36).slice(2, 8).toUpperCase();
const staff = (key: string) => seedId('staff', key);
const team = (key: string) => seedId('team', key);

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.manager = (await signIn(h, 'staffLogin', 'manager@volt.example')).gql;
  as.business = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  as.consumer = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.finance = (await signIn(h, 'staffLogin', 'regional@dcrm.example')).gql;
  as.nimbus = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
});
afterAll(() => stack.stop());

const TASK = 'id version kind title assigneeStaffId dueAt status progress notes decision decisionComment decidedBy opportunity { id }';
const CREATE = `mutation ($input: OpportunityCreateInput!) { opportunityCreate(input: $input) { opportunity { id version stage } userErrors { field code } } }`;
const TRANSITION = `mutation ($input: OpportunityTransitionInput!) { opportunityTransition(input: $input) {
  opportunity { id version stage } userErrors { field code message } } }`;
const TASK_CREATE = `mutation ($input: TaskCreateInput!) { taskCreate(input: $input) { task { ${TASK} } userErrors { field code message } } }`;
const TASK_UPDATE = `mutation ($input: TaskUpdateInput!) { taskUpdate(input: $input) { task { ${TASK} } userErrors { field code message } } }`;
const TASK_DECIDE = `mutation ($input: TaskDecideInput!) { taskDecide(input: $input) { task { ${TASK} } userErrors { field code message } } }`;
const NOTE = `mutation ($input: OpportunityNoteAddInput!) { opportunityNoteAdd(input: $input) { note { id body internal author } userErrors { field code } } }`;
const SHARE = `mutation ($input: OpportunityShareInput!) { opportunityShare(input: $input) { opportunity { id shares { staffId teamId canWrite } } userErrors { field code } } }`;
const UNSHARE = `mutation ($input: OpportunityShareInput!) { opportunityUnshare(input: $input) { opportunity { id } userErrors { field code } } }`;
const RULES = `mutation ($input: RoutingRulesSetInput!) { routingRulesSet(input: $input) {
  ruleSet { kind version rules { id target conditions { path operator value } } } userErrors { field code message } } }`;

type Opp = { id: string; version: number; stage: string };
const errorsOf = (r: Response, m: string) => ((r.body.data?.[m]?.userErrors ?? []) as { code: string }[]).map((e) => e.code);

async function opportunity(gql: Gql, extra: Record<string, unknown> = {}): Promise<Opp> {
  const res = await gql(CREATE, {
    input: { name: `Tasks ${run}`, customerId: customerId('globex'), lines: [{ productId: productId('volt-sim-20gb') }], ...extra },
  });
  return succeeded(res, 'opportunityCreate').opportunity;
}
async function move(gql: Gql, id: string, to: string) {
  const current = (await as.manager('query ($id: ID!) { opportunity(id: $id) { version } }', { id })).body.data?.opportunity;
  return gql(TRANSITION, { input: { id, version: current.version, to } });
}
const task = async (gql: Gql, input: Record<string, unknown>) => succeeded(await gql(TASK_CREATE, { input }), 'taskCreate').task;

describe('tasks and activities', () => {
  it('creates tasks with assignee, due date and progress; updates at the version read; myTasks lists mine, due first', async () => {
    const o = await opportunity(as.business);
    const later = await task(as.business, {
      opportunityId: o.id,
      kind: 'MEETING',
      assigneeStaffId: staff('volt-business'),
      dueAt: '2031-03-02T10:00:00Z',
    });
    const sooner = await task(as.business, {
      opportunityId: o.id,
      kind: 'SITE_SURVEY',
      title: `Survey ${run}`,
      assigneeStaffId: staff('volt-business'),
      dueAt: '2031-03-01T10:00:00Z',
      notes: 'Rooftop access',
    });
    expect(later).toMatchObject({ kind: 'MEETING', title: 'Meeting', status: 'OPEN', progress: 0, opportunity: { id: o.id } });
    expect(sooner).toMatchObject({ title: `Survey ${run}`, notes: 'Rooftop access' });

    const updated = succeeded(
      await as.business(TASK_UPDATE, { input: { id: sooner.id, version: sooner.version, status: 'IN_PROGRESS', progress: 40 } }),
      'taskUpdate',
    ).task;
    expect(updated).toMatchObject({ status: 'IN_PROGRESS', progress: 40, version: sooner.version + 1 });
    const stale = await as.business(TASK_UPDATE, { input: { id: sooner.id, version: sooner.version, progress: 50 } });
    expect(errorsOf(stale, 'taskUpdate')).toEqual(['CONFLICT']);
    expect(
      errorsOf(await as.business(TASK_UPDATE, { input: { id: sooner.id, version: updated.version, progress: 101 } }), 'taskUpdate'),
    ).toEqual(['OUT_OF_RANGE']);
    const done = succeeded(
      await as.business(TASK_UPDATE, { input: { id: later.id, version: later.version, status: 'DONE' } }),
      'taskUpdate',
    ).task;
    expect(done).toMatchObject({ status: 'DONE', progress: 100 });

    const mine = (await as.business('{ myTasks(first: 100) { nodes { id status dueAt } } }')).body.data?.myTasks.nodes as {
      id: string;
      dueAt: string | null;
    }[];
    const ids = mine.map((t) => t.id);
    expect(ids).toContain(sooner.id);
    expect(ids).not.toContain(later.id); // DONE: not open
    const dues = mine.map((t) => t.dueAt).filter((d): d is string => d !== null);
    expect(dues).toEqual([...dues].sort());
    // Read backward, the same order (undated tasks last), whatever other tests add meanwhile.
    const backward = await as.business('{ myTasks(last: 100) { nodes { id } } }');
    const back = ((backward.body.data?.myTasks.nodes ?? []) as { id: string }[]).map((t) => t.id);
    expect(back.filter((id) => ids.includes(id))).toEqual(ids.filter((id) => back.includes(id)));
    expect(back).toContain(sooner.id);
    const listed = (await as.business('query ($id: ID!) { opportunity(id: $id) { tasks { nodes { id } } } }', { id: o.id })).body.data
      ?.opportunity;
    expect(listed.tasks.nodes.map((t: { id: string }) => t.id)).toEqual([later.id, sooner.id]);
    // Paged both ways, oldest first.
    const PAGE =
      'query ($id: ID!, $first: Int, $last: Int, $after: String, $before: String) { opportunity(id: $id) { tasks(first: $first, last: $last, after: $after, before: $before) { nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }';
    const head = (await as.business(PAGE, { id: o.id, first: 1 })).body.data?.opportunity.tasks;
    expect(head.nodes).toEqual([{ id: later.id }]);
    expect(head.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const next = (await as.business(PAGE, { id: o.id, first: 1, after: head.pageInfo.endCursor })).body.data?.opportunity.tasks;
    expect(next.nodes).toEqual([{ id: sooner.id }]);
    const tail = (await as.business(PAGE, { id: o.id, last: 1 })).body.data?.opportunity.tasks;
    expect(tail.nodes).toEqual([{ id: sooner.id }]);
    expect(tail.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const before = (await as.business(PAGE, { id: o.id, last: 5, before: tail.pageInfo.startCursor })).body.data?.opportunity.tasks;
    expect(before.nodes).toEqual([{ id: later.id }]);
    expect(codes(await as.business(PAGE, { id: o.id, first: 101 }))).toEqual(['BAD_USER_INPUT']);
    expect((await as.consumer('{ myTasks { nodes { id } } }')).body.data?.myTasks.nodes.map((t: { id: string }) => t.id)).not.toContain(
      sooner.id,
    );
  });

  it('the assignee updates a task of an opportunity outside their segments; others of the segment or brand cannot', async () => {
    const o = await opportunity(as.business);
    // Assignees must be granted the opportunity's segment now (smb: not the consumer agent's)…
    expect(
      errorsOf(
        await as.business(TASK_CREATE, { input: { opportunityId: o.id, kind: 'CALL', assigneeStaffId: staff('volt-consumer') } }),
        'taskCreate',
      ),
    ).toEqual(['STAFF_NOT_IN_SEGMENT']);
    // …but a task assigned before their grant changed stays theirs to update (written directly: a past assignment).
    const id = newId();
    await dbRows(
      stack,
      'opportunity',
      `insert into "opportunity"."opportunity_task" (id, opportunity_id, storefront_id, kind, title, assignee_staff_id, status, progress,
         created_at, updated_at, version) values (?, ?, ?, 'CALL', 'Call', ?, 'OPEN', 0, now(), now(), 1)`,
      [id, o.id, seedId('storefront', 'volt'), staff('volt-consumer')],
    );
    const t = { id, version: 1 };
    const res = await as.consumer(TASK_UPDATE, { input: { id: t.id, version: t.version, progress: 30 } });
    expect(succeeded(res, 'taskUpdate').task.progress).toBe(30);
    expect(errorsOf(await as.consumer(TASK_CREATE, { input: { opportunityId: o.id, kind: 'CALL' } }), 'taskCreate')).toEqual(['NOT_FOUND']);
    expect(errorsOf(await as.nimbus(TASK_UPDATE, { input: { id: t.id, version: t.version + 1, progress: 90 } }), 'taskUpdate')).toEqual([
      'NOT_FOUND',
    ]);
  });
});

describe('approvals gate stage moves', () => {
  it('a pending or rejected approval blocks NEGOTIATION and WON; the right scope decides it', async () => {
    const o = await opportunity(as.business);
    const validation = await task(as.business, { opportunityId: o.id, kind: 'MANAGER_APPROVAL' });
    expect(succeeded(await move(as.business, o.id, 'QUALIFICATION'), 'opportunityTransition').opportunity.stage).toBe('QUALIFICATION');
    expect(succeeded(await move(as.business, o.id, 'PROPOSAL'), 'opportunityTransition').opportunity.stage).toBe('PROPOSAL');
    const blocked = await move(as.business, o.id, 'NEGOTIATION');
    expect(errorsOf(blocked, 'opportunityTransition')).toEqual(['GUARD_APPROVALS']);
    expect(blocked.body.data?.opportunityTransition.userErrors[0].message).toContain('Sales manager validation not decided');

    // Done only by a decision; decided by `opportunity:approve` (the manager), not the agent.
    expect(
      errorsOf(await as.business(TASK_UPDATE, { input: { id: validation.id, version: validation.version, status: 'DONE' } }), 'taskUpdate'),
    ).toEqual(['DECISION_REQUIRED']);
    const decide = (gql: Gql, t: { id: string; version: number }, decision: string, comment?: string) =>
      gql(TASK_DECIDE, { input: { id: t.id, version: t.version, decision, comment } });
    expect(errorsOf(await decide(as.business, validation, 'APPROVED'), 'taskDecide')).toEqual(['FORBIDDEN']);
    const approved = succeeded(await decide(as.manager, validation, 'APPROVED', 'Good margin'), 'taskDecide').task;
    expect(approved).toMatchObject({ decision: 'APPROVED', status: 'DONE', progress: 100, decidedBy: staff('volt-manager') });
    expect(errorsOf(await decide(as.manager, approved, 'REJECTED', 'changed my mind'), 'taskDecide')).toEqual(['CLOSED']);
    expect(succeeded(await move(as.business, o.id, 'NEGOTIATION'), 'opportunityTransition').opportunity.stage).toBe('NEGOTIATION');

    // Finance's budget approval: `finance:approve` (not the sales manager); a rejection says why and blocks WON.
    const budget = await task(as.business, { opportunityId: o.id, kind: 'BUDGET_APPROVAL' });
    expect(errorsOf(await decide(as.manager, budget, 'APPROVED'), 'taskDecide')).toEqual(['FORBIDDEN']);
    expect(errorsOf(await decide(as.finance, budget, 'REJECTED'), 'taskDecide')).toEqual(['REQUIRED']);
    const rejected = succeeded(await decide(as.finance, budget, 'REJECTED', 'Over budget'), 'taskDecide').task;
    expect(rejected).toMatchObject({ decision: 'REJECTED', decisionComment: 'Over budget', decidedBy: staff('regional-manager') });
    const won = await move(as.business, o.id, 'WON');
    expect(errorsOf(won, 'opportunityTransition')).toEqual(['GUARD_APPROVALS']);
    expect(won.body.data?.opportunityTransition.userErrors[0].message).toContain('rejected');
    // Asking again supersedes the rejection (the latest request of a kind counts).
    const again = await task(as.business, { opportunityId: o.id, kind: 'BUDGET_APPROVAL', title: 'Budget, revised' });
    expect(errorsOf(await move(as.business, o.id, 'WON'), 'opportunityTransition')).toEqual(['GUARD_APPROVALS']);
    succeeded(await decide(as.finance, again, 'APPROVED'), 'taskDecide');
    expect(succeeded(await move(as.business, o.id, 'WON'), 'opportunityTransition').opportunity.stage).toBe('WON');
  });

  it('approval rules (data per storefront) require approvals for a stage: validated, then enforced', async () => {
    const category = `APPROVAL_${run}`;
    const bad = await as.manager(RULES, {
      input: { kind: 'APPROVAL', rules: [{ conditions: [{ path: 'colour', operator: 'eq', value: 'red' }], target: 'CEO_APPROVAL' }] },
    });
    expect(errorsOf(bad, 'routingRulesSet').sort()).toEqual(['INVALID', 'UNKNOWN_FIELD']);
    expect(codes(await as.business(RULES, { input: { kind: 'APPROVAL', rules: [] } }))).toEqual(['FORBIDDEN']);
    const set = succeeded(
      await as.manager(RULES, {
        input: {
          kind: 'APPROVAL',
          rules: [
            {
              id: 'won-needs-budget',
              conditions: [
                { path: 'category', operator: 'eq', value: category },
                { path: 'toStage', operator: 'in', values: ['WON'] },
              ],
              target: 'BUDGET_APPROVAL',
            },
          ],
        },
      }),
      'routingRulesSet',
    ).ruleSet;
    expect(set.rules[0]).toMatchObject({ id: 'won-needs-budget', target: 'BUDGET_APPROVAL' });
    expect(set.rules[0].conditions[1]).toEqual({ path: 'toStage', operator: 'in', value: '["WON"]' });

    const o = await opportunity(as.business, { category });
    for (const to of ['QUALIFICATION', 'PROPOSAL']) succeeded(await move(as.business, o.id, to), 'opportunityTransition');
    const blocked = await move(as.business, o.id, 'WON');
    expect(blocked.body.data?.opportunityTransition.userErrors[0].message).toContain('BUDGET_APPROVAL required');
    const budget = await task(as.business, { opportunityId: o.id, kind: 'BUDGET_APPROVAL' });
    succeeded(await as.finance(TASK_DECIDE, { input: { id: budget.id, version: budget.version, decision: 'APPROVED' } }), 'taskDecide');
    expect(succeeded(await move(as.business, o.id, 'WON'), 'opportunityTransition').opportunity.stage).toBe('WON');
    // Another category is not concerned.
    const other = await opportunity(as.business);
    for (const to of ['QUALIFICATION', 'PROPOSAL', 'WON']) succeeded(await move(as.business, other.id, to), 'opportunityTransition');
  });
});

describe('notes', () => {
  it('internal notes are staff only; the partner reads and writes shared ones', async () => {
    const o = succeeded(
      await as.connectify(CREATE, { input: { name: `Partner notes ${run}`, customerId: customerId('connectify-one') } }),
      'opportunityCreate',
    ).opportunity as Opp;
    const internal = succeeded(
      await as.manager(NOTE, { input: { opportunityId: o.id, body: 'Margin is thin' } }),
      'opportunityNoteAdd',
    ).note;
    expect(internal).toMatchObject({ internal: true, author: `staff:${staff('volt-manager')}` });
    succeeded(await as.manager(NOTE, { input: { opportunityId: o.id, body: 'Survey booked', internal: false } }), 'opportunityNoteAdd');
    const mine = succeeded(
      await as.connectify(NOTE, { input: { opportunityId: o.id, body: 'Customer asked for a callback', internal: true } }),
      'opportunityNoteAdd',
    ).note;
    expect(mine.internal).toBe(false);

    const QUERY = 'query ($id: ID!) { opportunity(id: $id) { notes { nodes { body } } internalNotes { nodes { body internal } } } }';
    const staffView = (await as.manager(QUERY, { id: o.id })).body.data?.opportunity;
    expect(staffView.internalNotes.nodes.map((n: { body: string }) => n.body)).toEqual([
      'Margin is thin',
      'Survey booked',
      'Customer asked for a callback',
    ]);
    expect(staffView.notes.nodes.map((n: { body: string }) => n.body)).toEqual(['Survey booked', 'Customer asked for a callback']);
    // Pages keep to the shared notes: the last one, then the one before it.
    const PAGED =
      'query ($id: ID!, $before: String) { opportunity(id: $id) { notes(last: 1, before: $before) { nodes { body } pageInfo { startCursor hasPreviousPage } } } }';
    const tail = (await as.manager(PAGED, { id: o.id })).body.data?.opportunity.notes;
    expect(tail).toMatchObject({ nodes: [{ body: 'Customer asked for a callback' }], pageInfo: { hasPreviousPage: true } });
    const prior = (await as.manager(PAGED, { id: o.id, before: tail.pageInfo.startCursor })).body.data?.opportunity.notes;
    expect(prior).toMatchObject({ nodes: [{ body: 'Survey booked' }], pageInfo: { hasPreviousPage: false } });
    const partnerView = await as.connectify('query ($id: ID!) { opportunity(id: $id) { notes { nodes { body internal } } } }', {
      id: o.id,
    });
    expect(partnerView.body.data?.opportunity.notes.nodes.every((n: { internal: boolean }) => !n.internal)).toBe(true);
    // Internal notes are not in the partners' schema view at all.
    expect(codes(await as.connectify(QUERY, { id: o.id }))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(
      errorsOf(
        await as.connectify(NOTE, { input: { opportunityId: (await opportunity(as.business)).id, body: 'x' } }),
        'opportunityNoteAdd',
      ),
    ).toEqual(['NOT_FOUND']);
  });
});

describe('sharing', () => {
  it('shared staff read outside their segments, write when granted; never another brand', async () => {
    const o = await opportunity(as.business); // smb: outside the consumer agent's segments
    const read = 'query ($id: ID!) { opportunity(id: $id) { id tasks { nodes { id } } } }';
    expect(codes(await as.consumer(read, { id: o.id }))).toEqual(['NOT_FOUND']);
    expect(errorsOf(await as.consumer(SHARE, { input: { id: o.id, staffIds: [staff('volt-consumer')] } }), 'opportunityShare')).toEqual([
      'NOT_FOUND',
    ]);
    const shared = succeeded(
      await as.business(SHARE, { input: { id: o.id, staffIds: [staff('volt-consumer'), staff('nimbus-agent')] } }),
      'opportunityShare',
    );
    expect(shared.opportunity.shares).toEqual(expect.arrayContaining([{ staffId: staff('volt-consumer'), teamId: null, canWrite: false }]));
    expect((await as.consumer(read, { id: o.id })).body.data?.opportunity.id).toBe(o.id);
    expect(errorsOf(await as.consumer(TASK_CREATE, { input: { opportunityId: o.id, kind: 'CALL' } }), 'taskCreate')).toEqual(['FORBIDDEN']);
    expect(codes(await as.nimbus(read, { id: o.id }))).toEqual(['NOT_FOUND']);

    succeeded(await as.business(SHARE, { input: { id: o.id, staffIds: [staff('volt-consumer')], canWrite: true } }), 'opportunityShare');
    expect((await task(as.consumer, { opportunityId: o.id, kind: 'CALL' })).kind).toBe('CALL');

    succeeded(await as.business(UNSHARE, { input: { id: o.id, staffIds: [staff('volt-consumer')] } }), 'opportunityUnshare');
    expect(codes(await as.consumer(read, { id: o.id }))).toEqual(['NOT_FOUND']);

    // A team: its active members now.
    const byTeam = succeeded(await as.business(SHARE, { input: { id: o.id, teamIds: [team('volt-care')] } }), 'opportunityShare');
    expect(byTeam.opportunity.shares).toEqual(
      expect.arrayContaining([{ staffId: staff('volt-consumer'), teamId: team('volt-care'), canWrite: false }]),
    );
    expect((await as.consumer(read, { id: o.id })).body.data?.opportunity.id).toBe(o.id);
    expect(errorsOf(await as.business(SHARE, { input: { id: o.id, teamIds: [team('nimbus-care')] } }), 'opportunityShare')).toEqual([
      'NOT_FOUND',
    ]);
  });
});
