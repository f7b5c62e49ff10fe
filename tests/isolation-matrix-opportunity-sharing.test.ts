import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows, expectRefusedAndUnchanged, succeeded, type WriteAttempt } from './support/brand-matrix.js';
import { client, codes, customerId, distinctCodes, KEYS, type Response, signIn, startTestStack } from './support/stack.js';

/**
 * Sharing in the isolation matrix: who an opportunity shared with staff reaches, in `opportunities`
 * and by id, and which writes a share admits. A READ share: every write FORBIDDEN, nothing changed. A
 * share to another brand's staff, or a withdrawn one: NOT_FOUND, nothing changed. Customers, keys and
 * other partners never see a shared opportunity.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const staff = (key: string) => seedId('staff', key);

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.business = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  as.consumer = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.nimbus = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  as.skyline = (await signIn(h, 'partnerLogin', 'ops@skyline.example')).gql;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.shopper = client(h, KEYS.volt);
});
afterAll(() => stack.stop());

const m = (name: string, input: string) => `mutation ($input: ${input}!) { ${name}(input: $input) { userErrors { code } } }`;
const SHARE = m('opportunityShare', 'OpportunityShareInput');
const UNSHARE = m('opportunityUnshare', 'OpportunityShareInput');
const LIST = '{ opportunities(first: 100) { nodes { id } } }';

let target: { id: string; version: number };
let task: { id: string; version: number };
const rowsOf = (table: string) => () =>
  dbRows(stack, 'opportunity', `select * from "opportunity"."${table}" where opportunity_id = ? order by id`, [target.id]);
const opportunityRow = () => dbRows(stack, 'opportunity', 'select * from "opportunity"."opportunity" where id = ?', [target.id]);

async function reaches(gql: Gql): Promise<{ listed: boolean; byId: boolean }> {
  const list = (await gql(LIST)).body.data?.opportunities?.nodes ?? [];
  const read = await gql('query ($id: ID!) { opportunity(id: $id) { id } }', { id: target.id });
  return { listed: list.some((n: { id: string }) => n.id === target.id), byId: read.body.data?.opportunity?.id === target.id };
}

beforeAll(async () => {
  const created = succeeded(
    await as.business(
      'mutation ($input: OpportunityCreateInput!) { opportunityCreate(input: $input) { opportunity { id } userErrors { code } } }',
      { input: { name: 'Isolation sharing', customerId: customerId('globex') } },
    ),
    'opportunityCreate',
  );
  const t = succeeded(
    await as.business('mutation ($input: TaskCreateInput!) { taskCreate(input: $input) { task { id version } userErrors { code } } }', {
      input: { opportunityId: created.opportunity.id, kind: 'CALL' },
    }),
    'taskCreate',
  );
  task = t.task;
  target = (await as.business('query ($id: ID!) { opportunity(id: $id) { id version } }', { id: created.opportunity.id })).body.data
    ?.opportunity;
  // The consumer agent (other segment) reads it; the Nimbus agent (other brand) was given write.
  succeeded(await as.business(SHARE, { input: { id: target.id, staffIds: [staff('volt-consumer')] } }), 'opportunityShare');
  succeeded(await as.business(SHARE, { input: { id: target.id, staffIds: [staff('nimbus-agent')], canWrite: true } }), 'opportunityShare');
});

const writes = (who: string, gql: Gql, refusal: string): WriteAttempt[] => [
  {
    mutation: 'opportunityUpdate',
    what: `an update by ${who}`,
    attempt: () => gql(m('opportunityUpdate', 'OpportunityUpdateInput'), { input: { id: target.id, version: target.version, name: 'x' } }),
    refusal,
    rows: opportunityRow,
  },
  {
    mutation: 'opportunityTransition',
    what: `a stage move by ${who}`,
    attempt: () =>
      gql(m('opportunityTransition', 'OpportunityTransitionInput'), {
        input: { id: target.id, version: target.version, to: 'QUALIFICATION' },
      }),
    refusal,
    rows: opportunityRow,
  },
  {
    mutation: 'taskCreate',
    what: `a task by ${who}`,
    attempt: () => gql(m('taskCreate', 'TaskCreateInput'), { input: { opportunityId: target.id, kind: 'CALL' } }),
    refusal,
    rows: rowsOf('opportunity_task'),
  },
  {
    mutation: 'taskUpdate',
    what: `a task changed by ${who}`,
    attempt: () => gql(m('taskUpdate', 'TaskUpdateInput'), { input: { id: task.id, version: task.version, progress: 90 } }),
    refusal,
    rows: rowsOf('opportunity_task'),
  },
  {
    mutation: 'opportunityNoteAdd',
    what: `a note by ${who}`,
    attempt: () => gql(m('opportunityNoteAdd', 'OpportunityNoteAddInput'), { input: { opportunityId: target.id, body: 'x' } }),
    refusal,
    rows: rowsOf('opportunity_note'),
  },
  {
    mutation: 'opportunityShare',
    what: `a re-share with write by ${who}`,
    attempt: () => gql(SHARE, { input: { id: target.id, staffIds: [staff('volt-consumer')], canWrite: true } }),
    refusal,
    rows: rowsOf('opportunity_share'),
  },
  {
    mutation: 'opportunityUnshare',
    what: `unsharing by ${who}`,
    attempt: () => gql(UNSHARE, { input: { id: target.id, staffIds: [staff('nimbus-agent')] } }),
    refusal,
    rows: rowsOf('opportunity_share'),
  },
  {
    mutation: 'opportunityAssign',
    what: `assignment by ${who}`,
    attempt: () =>
      gql(m('opportunityAssign', 'OpportunityAssignInput'), {
        input: { id: target.id, version: target.version, ownerStaffId: staff('volt-consumer') },
      }),
    refusal,
    rows: opportunityRow,
  },
];

describe('opportunity sharing: reads', () => {
  it('the shared staff member lists and reads it; another brand’s, partners, customers and keys do not', async () => {
    expect(await reaches(as.consumer)).toEqual({ listed: true, byId: true });
    expect(await reaches(as.business)).toEqual({ listed: true, byId: true });
    expect(await reaches(as.nimbus)).toEqual({ listed: false, byId: false });
    expect(codes(await as.nimbus('query ($id: ID!) { opportunity(id: $id) { id } }', { id: target.id }))).toEqual(['NOT_FOUND']);
    expect(await reaches(as.skyline)).toEqual({ listed: false, byId: false });
    for (const gql of [as.aoife, as.shopper]) expect(distinctCodes(await gql(LIST))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});

describe('opportunity sharing: writes', () => {
  it.each(writes('a READ share', async () => ({}) as Response, '').map((c, i) => [c.mutation, i] as const))(
    '%s with a READ share is FORBIDDEN and changes nothing',
    async (_, i) => {
      await expectRefusedAndUnchanged(writes('a READ share', as.consumer, 'FORBIDDEN')[i]);
    },
  );

  it.each(writes('another brand', async () => ({}) as Response, '').map((c, i) => [c.mutation, i] as const))(
    '%s by another brand’s staff given a WRITE share is NOT_FOUND and changes nothing',
    async (_, i) => {
      await expectRefusedAndUnchanged(writes('another brand', as.nimbus, 'NOT_FOUND')[i]);
    },
  );

  it('a withdrawn WRITE share: NOT_FOUND for every write, nothing changed', async () => {
    succeeded(
      await as.business(SHARE, { input: { id: target.id, staffIds: [staff('volt-consumer')], canWrite: true } }),
      'opportunityShare',
    );
    succeeded(await as.business(UNSHARE, { input: { id: target.id, staffIds: [staff('volt-consumer')] } }), 'opportunityUnshare');
    expect(await reaches(as.consumer)).toEqual({ listed: false, byId: false });
    for (const c of writes('a withdrawn share', as.consumer, 'NOT_FOUND')) await expectRefusedAndUnchanged(c);
    // Shared again for reading, so the cases above hold whatever order they run in.
    succeeded(await as.business(SHARE, { input: { id: target.id, staffIds: [staff('volt-consumer')] } }), 'opportunityShare');
  });
});
