import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { succeeded } from './support/brand-matrix.js';
import { codes, customerId, type Response, signIn, startTestStack } from './support/stack.js';

/**
 * Sharing an opportunity through the router: the staff it is shared with (directly, or as members of a
 * team it is shared with) find it in `opportunities` and read it; a READ share refuses their writes
 * (FORBIDDEN), a WRITE share lets them update, move, and add tasks and notes outside their segments;
 * withdrawing the share withdraws all of it. Opportunities here are this file's own (Globex, smb:
 * outside the consumer agent's segments).
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
  as.business = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  as.consumer = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.nimbus = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
});
afterAll(() => stack.stop());

const CREATE = `mutation ($input: OpportunityCreateInput!) { opportunityCreate(input: $input) { opportunity { id version } userErrors { code } } }`;
const UPDATE = `mutation ($input: OpportunityUpdateInput!) { opportunityUpdate(input: $input) { opportunity { id version name } userErrors { field code } } }`;
const TRANSITION = `mutation ($input: OpportunityTransitionInput!) { opportunityTransition(input: $input) { opportunity { id version stage } userErrors { field code } } }`;
const TASK = `mutation ($input: TaskCreateInput!) { taskCreate(input: $input) { task { id version } userErrors { field code } } }`;
const TASK_UPDATE = `mutation ($input: TaskUpdateInput!) { taskUpdate(input: $input) { task { id version } userErrors { field code } } }`;
const NOTE = `mutation ($input: OpportunityNoteAddInput!) { opportunityNoteAdd(input: $input) { note { id } userErrors { field code } } }`;
const SHARE = `mutation ($input: OpportunityShareInput!) { opportunityShare(input: $input) { opportunity { id } userErrors { field code } } }`;
const UNSHARE = `mutation ($input: OpportunityShareInput!) { opportunityUnshare(input: $input) { opportunity { id } userErrors { field code } } }`;
const LIST = `query ($filter: OpportunityFilter) { opportunities(first: 100, filter: $filter) { nodes { id segment } } }`;
const READ = 'query ($id: ID!) { opportunity(id: $id) { id version stage name } }';

const errorsOf = (r: Response, m: string) => ((r.body.data?.[m]?.userErrors ?? []) as { code: string }[]).map((e) => e.code);
const listed = async (gql: Gql) =>
  ((await gql(LIST, { filter: { customerIds: [customerId('globex')] } })).body.data?.opportunities.nodes ?? []).map(
    (o: { id: string }) => o.id,
  ) as string[];
const version = async (id: string) => (await as.business(READ, { id })).body.data?.opportunity.version as number;
const create = async () =>
  succeeded(await as.business(CREATE, { input: { name: `Shared ${run}`, customerId: customerId('globex') } }), 'opportunityCreate')
    .opportunity as { id: string; version: number };

describe('opportunities shared with staff', () => {
  it('a READ share lists and reads the opportunity; every write is FORBIDDEN and changes nothing', async () => {
    const o = await create();
    expect(await listed(as.consumer)).not.toContain(o.id);
    succeeded(await as.business(SHARE, { input: { id: o.id, staffIds: [staff('volt-consumer')] } }), 'opportunityShare');
    expect(await listed(as.consumer)).toContain(o.id);
    expect((await as.consumer(READ, { id: o.id })).body.data?.opportunity.id).toBe(o.id);

    const v = await version(o.id);
    const task = succeeded(await as.business(TASK, { input: { opportunityId: o.id, kind: 'CALL' } }), 'taskCreate').task;
    const attempts: [string, Response][] = [
      ['opportunityUpdate', await as.consumer(UPDATE, { input: { id: o.id, version: v, name: 'Renamed' } })],
      ['opportunityTransition', await as.consumer(TRANSITION, { input: { id: o.id, version: v, to: 'QUALIFICATION' } })],
      ['taskCreate', await as.consumer(TASK, { input: { opportunityId: o.id, kind: 'MEETING' } })],
      ['taskUpdate', await as.consumer(TASK_UPDATE, { input: { id: task.id, version: task.version, progress: 50 } })],
      ['opportunityNoteAdd', await as.consumer(NOTE, { input: { opportunityId: o.id, body: 'Read-only note' } })],
      ['opportunityShare', await as.consumer(SHARE, { input: { id: o.id, staffIds: [staff('volt-consumer')], canWrite: true } })],
    ];
    for (const [mutation, res] of attempts) expect(errorsOf(res, mutation), mutation).toEqual(['FORBIDDEN']);
    const after = (
      await as.business(
        `query ($id: ID!) { opportunity(id: $id) { version name stage tasks { nodes { progress } } internalNotes { nodes { id } } shares { canWrite } } }`,
        { id: o.id },
      )
    ).body.data?.opportunity;
    expect(after).toMatchObject({
      version: v,
      name: `Shared ${run}`,
      stage: 'PROSPECTING',
      internalNotes: { nodes: [] },
      shares: [{ canWrite: false }],
    });
    expect(after.tasks.nodes).toEqual([{ progress: 0 }]);
  });

  it('a WRITE share lets the staff member update, move, add tasks and notes outside their segments', async () => {
    const o = await create();
    succeeded(await as.business(SHARE, { input: { id: o.id, staffIds: [staff('volt-consumer')], canWrite: true } }), 'opportunityShare');
    const updated = succeeded(
      await as.consumer(UPDATE, { input: { id: o.id, version: await version(o.id), name: `Shared ${run} renamed` } }),
      'opportunityUpdate',
    ).opportunity;
    expect(updated.name).toBe(`Shared ${run} renamed`);
    const moved = succeeded(
      await as.consumer(TRANSITION, { input: { id: o.id, version: updated.version, to: 'QUALIFICATION' } }),
      'opportunityTransition',
    ).opportunity;
    expect(moved.stage).toBe('QUALIFICATION');
    succeeded(await as.consumer(TASK, { input: { opportunityId: o.id, kind: 'CALL' } }), 'taskCreate');
    succeeded(await as.consumer(NOTE, { input: { opportunityId: o.id, body: 'Called the buyer' } }), 'opportunityNoteAdd');

    // Withdrawn: gone from the list, unreadable, every write NOT_FOUND.
    succeeded(await as.business(UNSHARE, { input: { id: o.id, staffIds: [staff('volt-consumer')] } }), 'opportunityUnshare');
    expect(await listed(as.consumer)).not.toContain(o.id);
    expect(codes(await as.consumer(READ, { id: o.id }))).toEqual(['NOT_FOUND']);
    const v = await version(o.id);
    expect(errorsOf(await as.consumer(UPDATE, { input: { id: o.id, version: v, name: 'x' } }), 'opportunityUpdate')).toEqual(['NOT_FOUND']);
    expect(errorsOf(await as.consumer(TRANSITION, { input: { id: o.id, version: v, to: 'PROPOSAL' } }), 'opportunityTransition')).toEqual([
      'NOT_FOUND',
    ]);
    expect(errorsOf(await as.consumer(NOTE, { input: { opportunityId: o.id, body: 'x' } }), 'opportunityNoteAdd')).toEqual(['NOT_FOUND']);
  });

  it('a team share lists the opportunity for its members; unsharing the team withdraws it; never another brand', async () => {
    const o = await create();
    succeeded(await as.business(SHARE, { input: { id: o.id, teamIds: [team('volt-care')], canWrite: true } }), 'opportunityShare');
    expect(await listed(as.consumer)).toContain(o.id);
    succeeded(await as.consumer(NOTE, { input: { opportunityId: o.id, body: 'Via the care team' } }), 'opportunityNoteAdd');
    // Shared with another brand's agent: nothing for them, in the list or by id.
    succeeded(await as.business(SHARE, { input: { id: o.id, staffIds: [staff('nimbus-agent')], canWrite: true } }), 'opportunityShare');
    const nimbusList = (await as.nimbus('{ opportunities(first: 100) { nodes { id } } }')).body.data?.opportunities.nodes ?? [];
    expect(nimbusList.map((n: { id: string }) => n.id)).not.toContain(o.id);
    expect(codes(await as.nimbus(READ, { id: o.id }))).toEqual(['NOT_FOUND']);

    succeeded(await as.business(UNSHARE, { input: { id: o.id, teamIds: [team('volt-care')] } }), 'opportunityUnshare');
    expect(await listed(as.consumer)).not.toContain(o.id);
    // Their own segment's opportunities are still listed alongside: the list is scope OR shares.
    const own = (await as.consumer('{ opportunities(first: 100) { nodes { segment } } }')).body.data?.opportunities.nodes ?? [];
    expect(own.some((n: { segment: string }) => n.segment === 'consumer')).toBe(true);
  });
});
