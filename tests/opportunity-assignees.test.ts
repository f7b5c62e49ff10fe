import { randomUUID } from 'node:crypto';
import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows, succeeded } from './support/brand-matrix.js';
import { customerId, type Response, signIn, startWithManager } from './support/stack.js';

/**
 * Owners (`ownerStaffId` on create, update and assign) and task assignees must be ACTIVE staff granted
 * the opportunity's brand and, when their grant is segment-scoped, its segment: the customer
 * subgraph's directory says who they are (kit staff-grants). A wrong one is a userError on the field
 * (UNKNOWN_STAFF, STAFF_INACTIVE, STAFF_NOT_IN_SEGMENT) and nothing is written.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const run = Math.random().toString(36).slice(2, 8).toUpperCase();
const staff = (key: string) => seedId('staff', key);
let deactivated: string;

beforeAll(async () => {
  ({ stack, manager: as.manager } = await startWithManager());
  const h = stack.router.handler;
  as.business = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  // A Volt member for every segment, then deactivated.
  const created = succeeded(
    await as.manager('mutation ($input: StaffCreateInput!) { staffCreate(input: $input) { staff { id } userErrors { code field } } }', {
      input: { email: `gone-${run.toLowerCase()}@volt.example`, name: `Gone ${run}`, segments: ['*'] },
    }),
    'staffCreate',
  );
  deactivated = created.staff.id;
  succeeded(
    await as.manager('mutation ($input: StaffIdInput!) { staffDeactivate(input: $input) { userErrors { code } } }', {
      input: { id: deactivated },
    }),
    'staffDeactivate',
  );
});
afterAll(() => stack.stop());

const OPP = 'id version name ownerStaffId';
const CREATE = `mutation ($input: OpportunityCreateInput!) { opportunityCreate(input: $input) { opportunity { ${OPP} } userErrors { field code message } } }`;
const UPDATE = `mutation ($input: OpportunityUpdateInput!) { opportunityUpdate(input: $input) { opportunity { ${OPP} } userErrors { field code } } }`;
const TASK = `mutation ($input: TaskCreateInput!) { taskCreate(input: $input) { task { id version assigneeStaffId } userErrors { field code } } }`;
const TASK_UPDATE = `mutation ($input: TaskUpdateInput!) { taskUpdate(input: $input) { task { id version assigneeStaffId } userErrors { field code } } }`;

type UserErrors = { field: string[]; code: string }[];
const userErrorsOf = (r: Response, m: string) =>
  ((r.body.data?.[m]?.userErrors ?? []) as UserErrors).map((e) => ({ field: e.field, code: e.code }));
const named = (name: string) =>
  dbRows(stack, 'opportunity', 'select id from "opportunity"."opportunity" where name = ?', [name]) as Promise<unknown[]>;

// Globex is smb: the consumer agent's grant does not cover it; the Nimbus agent is another brand's.
const WRONG: [string, () => string, string][] = [
  ['an unknown id', () => randomUUID(), 'UNKNOWN_STAFF'],
  ['another brand’s agent', () => staff('nimbus-agent'), 'UNKNOWN_STAFF'],
  ['a deactivated member', () => deactivated, 'STAFF_INACTIVE'],
  ['a member of other segments', () => staff('volt-consumer'), 'STAFF_NOT_IN_SEGMENT'],
];

describe('ownerStaffId', () => {
  it.each(WRONG)('opportunityCreate refuses %s as owner and creates nothing', async (_, id, code) => {
    const name = `Owner ${run} ${code} ${Math.random().toString(36).slice(2, 6)}`;
    const res = await as.manager(CREATE, { input: { name, customerId: customerId('globex'), ownerStaffId: id() } });
    expect(userErrorsOf(res, 'opportunityCreate')).toEqual([{ field: ['input', 'ownerStaffId'], code }]);
    expect(res.body.data?.opportunityCreate.userErrors[0].message).not.toMatch(/select|sql|stack/i);
    expect(await named(name)).toEqual([]);
  });

  it('opportunityCreate and opportunityUpdate take an owner granted the brand and segment; refuse others, unchanged', async () => {
    const name = `Owner ${run} ok`;
    const o = succeeded(
      await as.manager(CREATE, { input: { name, customerId: customerId('globex'), ownerStaffId: staff('volt-business') } }),
      'opportunityCreate',
    ).opportunity;
    expect(o.ownerStaffId).toBe(staff('volt-business'));
    for (const [, id, code] of WRONG) {
      const res = await as.manager(UPDATE, { input: { id: o.id, version: o.version, ownerStaffId: id(), name: 'Renamed' } });
      expect(userErrorsOf(res, 'opportunityUpdate')).toEqual([{ field: ['input', 'ownerStaffId'], code }]);
    }
    const now = (await as.manager(`query ($id: ID!) { opportunity(id: $id) { ${OPP} } }`, { id: o.id })).body.data?.opportunity;
    expect(now).toEqual(o);
    const moved = succeeded(
      await as.manager(UPDATE, { input: { id: o.id, version: o.version, ownerStaffId: staff('volt-manager') } }),
      'opportunityUpdate',
    ).opportunity;
    expect(moved.ownerStaffId).toBe(staff('volt-manager'));
  });
});

describe('task assignees', () => {
  it('taskCreate and taskUpdate refuse a wrong assignee and write nothing; a granted one is taken', async () => {
    const o = succeeded(
      await as.business(CREATE, { input: { name: `Assignees ${run}`, customerId: customerId('globex') } }),
      'opportunityCreate',
    ).opportunity;
    const tasks = () => dbRows(stack, 'opportunity', 'select * from "opportunity"."opportunity_task" where opportunity_id = ?', [o.id]);
    for (const [, id, code] of WRONG) {
      const res = await as.business(TASK, { input: { opportunityId: o.id, kind: 'CALL', assigneeStaffId: id() } });
      expect(userErrorsOf(res, 'taskCreate')).toEqual([{ field: ['input', 'assigneeStaffId'], code }]);
    }
    expect(await tasks()).toEqual([]);
    const t = succeeded(
      await as.business(TASK, { input: { opportunityId: o.id, kind: 'CALL', assigneeStaffId: staff('volt-business') } }),
      'taskCreate',
    ).task;
    const before = await tasks();
    for (const [, id, code] of WRONG) {
      const res = await as.business(TASK_UPDATE, { input: { id: t.id, version: t.version, assigneeStaffId: id() } });
      expect(userErrorsOf(res, 'taskUpdate')).toEqual([{ field: ['input', 'assigneeStaffId'], code }]);
    }
    expect(await tasks()).toEqual(before);
    const reassigned = succeeded(
      await as.business(TASK_UPDATE, { input: { id: t.id, version: t.version, assigneeStaffId: staff('volt-manager') } }),
      'taskUpdate',
    ).task;
    expect(reassigned.assigneeStaffId).toBe(staff('volt-manager'));
  });
});
