import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows, refusalOf, succeeded } from './support/brand-matrix.js';
import {
  client,
  codes,
  distinctCodes,
  KEYS,
  PRIVATE_KEYS,
  type Response,
  STOREFRONT_IDS,
  signIn,
  startWithManager,
  testIp,
} from './support/stack.js';

/**
 * Administration through the router: access groups, staff (one-time passwords, hierarchy, grants),
 * partner users, and the staff password rules on every way a staff token is issued. Escalation
 * attempts come from a lesser administrator this file creates; brand isolation from Nimbus's staff.
 */
let stack: Stack;
type Gql = ReturnType<typeof client>;
const as = {} as Record<'volt' | 'nimbus' | 'regionalInNimbus' | 'agent' | 'connectify' | 'skyline', Gql>;

const VOLT = STOREFRONT_IDS.volt;
const NIMBUS = STOREFRONT_IDS.nimbus;
const ID = {
  voltManager: seedId('staff', 'volt-manager'),
  voltConsumer: seedId('staff', 'volt-consumer'),
  nimbusAgent: seedId('staff', 'nimbus-agent'),
  careGroup: seedId('access-group', 'care'),
  securityGroup: seedId('access-group', 'security'),
  connectify: seedId('partner', 'connectify'),
  skyline: seedId('partner', 'skyline'),
};
const PASSWORD = 'admin-test-pass-42';
const email = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 9)}@volt.example`;

const STAFF =
  'staff { id email active homeStorefrontId storefrontIds allBrands segments passwordChangeRequired manager { id } accessGroups { id name } }';
const M = {
  staffCreate: `mutation ($input: StaffCreateInput!) { staffCreate(input: $input) { ${STAFF} oneTimePassword userErrors { code field message } } }`,
  staffUpdate: `mutation ($input: StaffUpdateInput!) { staffUpdate(input: $input) { ${STAFF} userErrors { code field message } } }`,
  staffDeactivate: `mutation ($input: StaffIdInput!) { staffDeactivate(input: $input) { ${STAFF} userErrors { code field } } }`,
  accessGroupCreate: `mutation ($input: AccessGroupCreateInput!) { accessGroupCreate(input: $input) { accessGroup { id name scopes storefrontId } userErrors { code field } } }`,
  accessGroupUpdate: `mutation ($input: AccessGroupUpdateInput!) { accessGroupUpdate(input: $input) { accessGroup { id name scopes } userErrors { code field } } }`,
  accessGroupAssign: `mutation ($input: AccessGroupAssignInput!) { accessGroupAssign(input: $input) { ${STAFF} userErrors { code field } } }`,
  accessGroupRemove: `mutation ($input: AccessGroupAssignInput!) { accessGroupRemove(input: $input) { ${STAFF} userErrors { code field } } }`,
  partnerUserCreate: `mutation ($input: PartnerUserCreateInput!) { partnerUserCreate(input: $input) { partnerUser { id email admin active partner { id } } oneTimePassword userErrors { code field } } }`,
  partnerUserDeactivate: `mutation ($input: PartnerUserIdInput!) { partnerUserDeactivate(input: $input) { partnerUser { id active } userErrors { code field } } }`,
};
type Name = keyof typeof M;
const run = (gql: Gql, name: Name, input: Record<string, unknown>) => gql(M[name], { input });

const anonymous = () => client(stack.router.handler, undefined, { 'x-forwarded-for': testIp() });
const staffLogin = (address: string, password: string) =>
  anonymous()('mutation ($input: LoginInput!) { staffLogin(input: $input) { accessToken refreshToken userErrors { code field } } }', {
    input: { email: address, password },
  });
const passwordChange = (address: string, currentPassword: string, newPassword: string) =>
  anonymous()('mutation ($input: PasswordChangeInput!) { staffPasswordChange(input: $input) { ok userErrors { code } } }', {
    input: { email: address, currentPassword, newPassword },
  });
const partnerLogin = (address: string, password: string) =>
  anonymous()('mutation ($input: LoginInput!) { partnerLogin(input: $input) { accessToken userErrors { code } } }', {
    input: { email: address, password },
  });
const partnerPasswordChange = (address: string, currentPassword: string, newPassword: string) =>
  anonymous()('mutation ($input: PasswordChangeInput!) { partnerPasswordChange(input: $input) { ok userErrors { code } } }', {
    input: { email: address, currentPassword, newPassword },
  });
const renew = (refreshToken: string) =>
  anonymous()(
    'mutation ($input: TokenRenewInput!) { customerAccessTokenRenew(input: $input) { accessToken refreshToken userErrors { code field } } }',
    { input: { refreshToken } },
  );
const bearer = (token: string, key?: string) => client(stack.router.handler, key, { authorization: `Bearer ${token}` });
const staffRow = (id: string) => () => dbRows(stack, 'customer', 'select * from "customer"."staff" where id = ?', [id]);

/** A member created by `admin`, with their one-time password replaced and signed in. */
async function member(admin: Gql, input: Record<string, unknown>) {
  const address = email(String(input.prefix ?? 'member'));
  const { prefix: _, ...rest } = input;
  const made = succeeded(
    await run(admin, 'staffCreate', { email: address, name: 'Member', segments: ['consumer'], ...rest }),
    'staffCreate',
  );
  expect(made.staff.passwordChangeRequired).toBe(true);
  succeeded(await passwordChange(address, made.oneTimePassword, PASSWORD), 'staffPasswordChange');
  const session = await signIn(stack.router.handler, 'staffLogin', address, undefined, PASSWORD);
  return { id: made.staff.id as string, email: address, ...session };
}

let lesser: Awaited<ReturnType<typeof member>>;
let voltGroup: string;

beforeAll(async () => {
  ({ stack, manager: as.volt } = await startWithManager());
  const h = stack.router.handler;
  as.nimbus = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  const regional = await signIn(h, 'staffLogin', 'regional@dcrm.example');
  as.regionalInNimbus = client(h, KEYS.nimbus, { authorization: `Bearer ${regional.accessToken}` });
  as.agent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
  as.skyline = (await signIn(h, 'partnerLogin', 'ops@skyline.example')).gql;
  // A lesser administrator: staff:manage and customer:read, the consumer segment, Volt only.
  voltGroup = succeeded(
    await run(as.volt, 'accessGroupCreate', { name: `Team leads ${Math.random()}`, scopes: ['staff:manage', 'customer:read'] }),
    'accessGroupCreate',
  ).accessGroup.id;
  lesser = await member(as.volt, { prefix: 'lesser', accessGroupIds: [voltGroup] });
});
afterAll(() => stack.stop());

describe('access groups', () => {
  it('a brand group is created in the acting brand, listed there only, with scopes from the known list', async () => {
    const group = succeeded(
      await run(as.volt, 'accessGroupCreate', {
        name: `Billing ${Math.random()}`,
        description: 'x',
        scopes: ['order:write', 'customer:read'],
      }),
      'accessGroupCreate',
    ).accessGroup;
    expect(group).toMatchObject({ storefrontId: VOLT, scopes: ['customer:read', 'order:write'] });
    const ids = async (gql: Gql) => ((await gql('{ accessGroups { id } }')).body.data?.accessGroups ?? []).map((g: { id: string }) => g.id);
    expect(await ids(as.volt)).toEqual(expect.arrayContaining([group.id, ID.careGroup]));
    expect(await ids(as.nimbus)).not.toContain(group.id);
    expect(await ids(as.nimbus)).toContain(ID.careGroup);
    expect(refusalOf(await run(as.volt, 'accessGroupCreate', { name: 'x', scopes: ['root:all'] }), 'accessGroupCreate')).toBe('INVALID');
    expect(refusalOf(await run(as.volt, 'accessGroupCreate', { name: group.name, scopes: [] }), 'accessGroupCreate')).toBe('TAKEN');
    // Nimbus may use the same name: names are unique per brand.
    succeeded(await run(as.nimbus, 'accessGroupCreate', { name: group.name, scopes: [] }), 'accessGroupCreate');
  });

  it('shared groups are the all-brands grant’s to create and change', async () => {
    expect(refusalOf(await run(as.volt, 'accessGroupCreate', { name: 'Everyone', scopes: [], shared: true }), 'accessGroupCreate')).toBe(
      'FORBIDDEN',
    );
    const before = await dbRows(stack, 'customer', 'select scopes from "customer"."access_group" where id = ?', [ID.careGroup]);
    expect(refusalOf(await run(as.volt, 'accessGroupUpdate', { id: ID.careGroup, scopes: ['customer:read'] }), 'accessGroupUpdate')).toBe(
      'FORBIDDEN',
    );
    expect(await dbRows(stack, 'customer', 'select scopes from "customer"."access_group" where id = ?', [ID.careGroup])).toEqual(before);
  });

  it("another brand's group reads like an unknown one", async () => {
    const nimbusGroup = succeeded(
      await run(as.nimbus, 'accessGroupCreate', { name: `N ${Math.random()}`, scopes: [] }),
      'accessGroupCreate',
    ).accessGroup.id;
    expect(refusalOf(await run(as.volt, 'accessGroupUpdate', { id: nimbusGroup, name: 'Mine' }), 'accessGroupUpdate')).toBe('NOT_FOUND');
    expect(
      refusalOf(await run(as.volt, 'accessGroupAssign', { staffId: ID.voltConsumer, accessGroupId: nimbusGroup }), 'accessGroupAssign'),
    ).toBe('NOT_FOUND');
  });

  it('a member gets a new group’s scopes with their next token, and loses them the same way', async () => {
    const m = await member(as.volt, { prefix: 'grouped' });
    expect(codes(await m.gql('{ apiKeys { nodes { id } } }'))).toEqual(['FORBIDDEN']);
    succeeded(await run(as.volt, 'accessGroupAssign', { staffId: m.id, accessGroupId: ID.securityGroup }), 'accessGroupAssign');
    expect(codes(await m.gql('{ apiKeys { nodes { id } } }'))).toEqual(['FORBIDDEN']);
    const renewed = succeeded(await renew(m.refreshToken), 'customerAccessTokenRenew');
    expect(codes(await bearer(renewed.accessToken)('{ apiKeys { nodes { id } } }'))).toEqual([]);
    succeeded(await run(as.volt, 'accessGroupRemove', { staffId: m.id, accessGroupId: ID.securityGroup }), 'accessGroupRemove');
    const again = succeeded(await renew(renewed.refreshToken), 'customerAccessTokenRenew');
    expect(codes(await bearer(again.accessToken)('{ apiKeys { nodes { id } } }'))).toEqual(['FORBIDDEN']);
  });
});

describe('staff', () => {
  it('a generated one-time password must be changed at first sign-in', async () => {
    const address = email('otp');
    const made = succeeded(await run(as.volt, 'staffCreate', { email: address, name: 'New Agent', segments: ['consumer'] }), 'staffCreate');
    expect(made.oneTimePassword).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(made.staff).toMatchObject({ homeStorefrontId: VOLT, storefrontIds: [VOLT], allBrands: false, active: true });
    expect((await staffLogin(address, made.oneTimePassword)).body.data?.staffLogin.userErrors).toEqual([
      { code: 'PASSWORD_EXPIRED', field: ['input', 'password'] },
    ]);
    succeeded(await passwordChange(address, made.oneTimePassword, PASSWORD), 'staffPasswordChange');
    expect((await staffLogin(address, PASSWORD)).body.data?.staffLogin.accessToken).toEqual(expect.any(String));
  });

  it('an initial password chosen by the administrator must be changed too', async () => {
    const address = email('initial');
    const made = succeeded(
      await run(as.volt, 'staffCreate', { email: address, name: 'X', segments: [], password: 'chosen-by-admin-1' }),
      'staffCreate',
    );
    expect(made.oneTimePassword).toBeNull();
    expect(refusalOf(await staffLogin(address, 'chosen-by-admin-1'), 'staffLogin')).toBe('PASSWORD_EXPIRED');
    expect(refusalOf(await run(as.volt, 'staffCreate', { email: address, name: 'X', segments: [] }), 'staffCreate')).toBe('TAKEN');
    expect(
      refusalOf(await run(as.volt, 'staffCreate', { email: email('weak'), name: 'X', segments: [], password: 'short' }), 'staffCreate'),
    ).toBe('WEAK_PASSWORD');
  });

  it('lists the acting brand’s members with filters and pages; another brand’s member is NOT_FOUND', async () => {
    const page = await as.volt(
      'query ($f: StaffFilter) { staffMembers(filter: $f, first: 2) { nodes { id email } pageInfo { hasNextPage endCursor } } }',
      {
        f: { query: 'volt.example' },
      },
    );
    expect(page.body.data?.staffMembers.nodes).toHaveLength(2);
    expect(page.body.data?.staffMembers.pageInfo.hasNextPage).toBe(true);
    const all = await as.volt('{ staffMembers(first: 100) { nodes { id } } }');
    const ids = all.body.data?.staffMembers.nodes.map((n: { id: string }) => n.id);
    expect(ids).toContain(ID.voltConsumer);
    expect(ids).not.toContain(ID.nimbusAgent);
    const reports = await as.volt('query ($f: StaffFilter) { staffMembers(filter: $f, first: 100) { nodes { id } } }', {
      f: { managerId: ID.voltManager },
    });
    expect(reports.body.data?.staffMembers.nodes.map((n: { id: string }) => n.id)).toContain(ID.voltConsumer);
    expect(codes(await as.volt('query ($id: ID!) { staff(id: $id) { id } }', { id: ID.nimbusAgent }))).toEqual(['NOT_FOUND']);
    const manager = await as.volt('query ($id: ID!) { staff(id: $id) { reports(first: 100) { nodes { id } } } }', { id: ID.voltManager });
    expect(manager.body.data?.staff.reports.nodes.map((r: { id: string }) => r.id)).toContain(ID.voltConsumer);
    // Without staff:manage, the directory is closed.
    expect(codes(await as.agent('{ staffMembers { nodes { id } } }'))).toEqual(['FORBIDDEN']);
  });

  it('refuses cycles in the hierarchy and managers who share no brand', async () => {
    const a = succeeded(
      await run(as.volt, 'staffCreate', { email: email('a'), name: 'A', segments: [], managerId: ID.voltManager }),
      'staffCreate',
    ).staff.id;
    const b = succeeded(await run(as.volt, 'staffCreate', { email: email('b'), name: 'B', segments: [], managerId: a }), 'staffCreate')
      .staff.id;
    const before = await staffRow(a)();
    expect(refusalOf(await run(as.volt, 'staffUpdate', { id: a, managerId: b }), 'staffUpdate')).toBe('MANAGER_CYCLE');
    expect(refusalOf(await run(as.volt, 'staffUpdate', { id: a, managerId: a }), 'staffUpdate')).toBe('MANAGER_CYCLE');
    expect(await staffRow(a)()).toEqual(before);
    // A Nimbus manager is not Volt's manager's to name; regional staff acting in Nimbus cannot give a Nimbus member a Volt-only manager.
    expect(
      refusalOf(
        await run(as.volt, 'staffCreate', { email: email('c'), name: 'C', segments: [], managerId: ID.nimbusAgent }),
        'staffCreate',
      ),
    ).toBe('NOT_FOUND');
    expect(
      refusalOf(
        await run(as.regionalInNimbus, 'staffCreate', { email: email('d'), name: 'D', segments: [], managerId: ID.voltConsumer }),
        'staffCreate',
      ),
    ).toBe('MANAGER_OTHER_BRAND');
    const updated = succeeded(await run(as.volt, 'staffUpdate', { id: b, managerId: null, name: 'B2' }), 'staffUpdate');
    expect(updated.staff.manager).toBeNull();
  });

  it('deactivation ends every session at once and refuses sign-in and renewal', async () => {
    const m = await member(as.volt, { prefix: 'leaver' });
    expect((await m.gql('{ staffMe { id } }')).body.data?.staffMe.id).toBe(m.id);
    const out = succeeded(await run(as.volt, 'staffDeactivate', { id: m.id }), 'staffDeactivate');
    expect(out.staff.active).toBe(false);
    expect((await m.gql('{ staffMe { id } }')).status).toBe(401);
    expect(refusalOf(await renew(m.refreshToken), 'customerAccessTokenRenew')).toBe('INVALID_TOKEN');
    expect(refusalOf(await staffLogin(m.email, PASSWORD), 'staffLogin')).toBe('ACCOUNT_INACTIVE');
    const listed = await as.volt('{ staffMembers(first: 100, filter: { active: false }) { nodes { id } } }');
    expect(listed.body.data?.staffMembers.nodes.map((n: { id: string }) => n.id)).toContain(m.id);
  });
});

describe('no privilege escalation', () => {
  const refused = async (name: Name, input: Record<string, unknown>, code = 'FORBIDDEN') =>
    expect(refusalOf(await run(lesser.gql, name, input), name), `${name} ${JSON.stringify(input)}`).toBe(code);

  it('grants only the scopes, segments and brands the administrator holds', async () => {
    const base = { email: email('esc'), name: 'E', segments: ['consumer'] };
    const count = () => dbRows(stack, 'customer', 'select count(*)::int as n from "customer"."staff"');
    const before = await count();
    await refused('staffCreate', { ...base, accessGroupIds: [ID.careGroup] });
    await refused('staffCreate', { ...base, segments: ['*'] });
    await refused('staffCreate', { ...base, storefrontIds: [NIMBUS] });
    await refused('staffCreate', { ...base, allBrands: true });
    expect(await count()).toEqual(before);
    await refused('accessGroupCreate', { name: 'Keys', scopes: ['apikey:manage'] });
    await refused('accessGroupUpdate', { id: voltGroup, scopes: ['staff:manage', 'customer:read', 'catalog:write'] });
    // Own grants: within what they hold is fine, beyond it is not.
    await refused('accessGroupAssign', { staffId: lesser.id, accessGroupId: ID.careGroup });
    await refused('staffUpdate', { id: lesser.id, segments: ['consumer', 'enterprise'] });
    succeeded(await run(lesser.gql, 'staffCreate', { ...base, accessGroupIds: [voltGroup] }), 'staffCreate');
  });

  it('manages nobody who holds more than they do, and never deactivates themselves', async () => {
    const before = await staffRow(ID.voltManager)();
    await refused('staffUpdate', { id: ID.voltManager, name: 'Demoted' });
    await refused('staffDeactivate', { id: ID.voltManager });
    await refused('accessGroupRemove', { staffId: ID.voltManager, accessGroupId: ID.careGroup });
    expect(await staffRow(ID.voltManager)()).toEqual(before);
    await refused('staffDeactivate', { id: lesser.id });
    expect(refusalOf(await run(as.volt, 'staffDeactivate', { id: ID.voltManager }), 'staffDeactivate')).toBe('FORBIDDEN');
  });

  it('nothing without staff:manage', async () => {
    expect(codes(await run(as.agent, 'staffCreate', { email: email('x'), name: 'X', segments: [] }))).toEqual(['FORBIDDEN']);
    // Outside a partner's schema view altogether.
    expect(distinctCodes(await run(as.connectify, 'staffDeactivate', { id: ID.voltConsumer }))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});

describe('password expiry on every way a staff token is issued', () => {
  // Staff tokens come from staffLogin and from renewal; API keys belong to brands and partners, never
  // to a staff member, and an external identity provider's tokens carry no dcrm password.
  const expire = (id: string, column: string) =>
    dbRows(
      stack,
      'customer',
      column === 'age'
        ? `update "customer"."staff" set password_changed_at = now() - interval '400 days' where id = ?`
        : `update "customer"."staff" set must_change_password = true where id = ?`,
      [id],
    );

  // staffLogin with the seeded expired account is tests/identity.test.ts's (which changes its password).
  it.each(['age', 'must-change'])('renewal refuses alike once the password has expired (%s), and the token stays unused', async (how) => {
    const m = await member(as.volt, { prefix: `renew-${how}` });
    await expire(m.id, how);
    const res = await renew(m.refreshToken);
    expect(res.body.data?.customerAccessTokenRenew.userErrors).toEqual([{ code: 'PASSWORD_EXPIRED', field: ['input', 'refreshToken'] }]);
    expect(refusalOf(await staffLogin(m.email, PASSWORD), 'staffLogin')).toBe('PASSWORD_EXPIRED');
    expect(
      await dbRows(stack, 'customer', 'select used_at from "customer"."refresh_token" where subject_id = ? and used_at is not null', [
        m.id,
      ]),
    ).toEqual([]);
    // A new password ends the old sessions: the refresh token is dead, sign-in works.
    succeeded(await passwordChange(m.email, PASSWORD, `${PASSWORD}-new`), 'staffPasswordChange');
    expect(refusalOf(await renew(m.refreshToken), 'customerAccessTokenRenew')).toBe('INVALID_TOKEN');
    expect((await m.gql('{ staffMe { id } }')).status).toBe(401);
    expect((await staffLogin(m.email, `${PASSWORD}-new`)).body.data?.staffLogin.accessToken).toEqual(expect.any(String));
  });
});

describe('partner users', () => {
  const users = async (gql: Gql, partnerId?: string): Promise<Response> =>
    gql('query ($p: ID) { partnerUsers(partnerId: $p, first: 100) { nodes { email admin active partner { id } } } }', { p: partnerId });

  it('staff of the partner’s brand manage its users; other brands’ staff cannot see the partner', async () => {
    const address = email('partner-staff');
    const made = succeeded(
      await run(as.volt, 'partnerUserCreate', { partnerId: ID.connectify, email: address, name: 'Ops 2', password: PASSWORD }),
      'partnerUserCreate',
    );
    expect(made.partnerUser).toMatchObject({ admin: false, active: true, partner: { id: ID.connectify } });
    expect((await users(as.volt, ID.connectify)).body.data?.partnerUsers.nodes.map((u: { email: string }) => u.email)).toContain(address);
    expect(codes(await users(as.nimbus, ID.connectify))).toEqual(['NOT_FOUND']);
    expect(
      refusalOf(
        await run(as.nimbus, 'partnerUserCreate', { partnerId: ID.connectify, email: email('x'), name: 'X', password: PASSWORD }),
        'partnerUserCreate',
      ),
    ).toBe('NOT_FOUND');
    expect(refusalOf(await run(as.nimbus, 'partnerUserDeactivate', { id: made.partnerUser.id }), 'partnerUserDeactivate')).toBe(
      'NOT_FOUND',
    );
  });

  it('a partner admin manages their own partner’s users only; a plain user and a partner key manage none', async () => {
    const address = email('partner-own');
    const made = succeeded(
      await run(as.connectify, 'partnerUserCreate', { email: address, name: 'Ops 3', password: PASSWORD }),
      'partnerUserCreate',
    );
    expect(made.partnerUser.partner.id).toBe(ID.connectify);
    const listed = (await users(as.connectify)).body.data?.partnerUsers.nodes;
    expect(listed.every((u: { partner: { id: string } }) => u.partner.id === ID.connectify)).toBe(true);
    expect(codes(await users(as.connectify, ID.skyline))).toEqual(['NOT_FOUND']);
    expect(
      refusalOf(
        await run(as.connectify, 'partnerUserCreate', { partnerId: ID.skyline, email: email('x'), name: 'X', password: PASSWORD }),
        'partnerUserCreate',
      ),
    ).toBe('NOT_FOUND');
    expect(refusalOf(await run(as.skyline, 'partnerUserDeactivate', { id: made.partnerUser.id }), 'partnerUserDeactivate')).toBe(
      'NOT_FOUND',
    );

    // The password was set for them: changed before the first sign-in.
    expect(refusalOf(await partnerLogin(address, PASSWORD), 'partnerLogin')).toBe('PASSWORD_EXPIRED');
    succeeded(await partnerPasswordChange(address, PASSWORD, `${PASSWORD}-own`), 'partnerPasswordChange');
    const plain = await signIn(stack.router.handler, 'partnerLogin', address, undefined, `${PASSWORD}-own`);
    expect(codes(await run(plain.gql, 'partnerUserCreate', { email: email('x'), name: 'X', password: PASSWORD }))).toEqual(['FORBIDDEN']);
    expect(codes(await users(client(stack.router.handler, PRIVATE_KEYS.connectifyPartner)))).toEqual(['FORBIDDEN']);

    // Deactivated: sessions end, sign-in refused.
    succeeded(await run(as.connectify, 'partnerUserDeactivate', { id: made.partnerUser.id }), 'partnerUserDeactivate');
    expect((await plain.gql('{ customers { nodes { id } } }')).status).toBe(401);
    expect(refusalOf(await renew(plain.refreshToken), 'customerAccessTokenRenew')).toBe('INVALID_TOKEN');
    expect(refusalOf(await partnerLogin(address, `${PASSWORD}-own`), 'partnerLogin')).toBe('ACCOUNT_INACTIVE');
  });

  it('a generated one-time password for a partner user must be changed, on sign-in and on renewal alike', async () => {
    const address = email('partner-otp');
    const made = succeeded(
      await run(as.volt, 'partnerUserCreate', { partnerId: ID.skyline, email: address, name: 'Ops 4' }),
      'partnerUserCreate',
    );
    expect(made.oneTimePassword).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(refusalOf(await partnerLogin(address, made.oneTimePassword), 'partnerLogin')).toBe('PASSWORD_EXPIRED');
    succeeded(await partnerPasswordChange(address, made.oneTimePassword, PASSWORD), 'partnerPasswordChange');
    const session = await signIn(stack.router.handler, 'partnerLogin', address, undefined, PASSWORD);
    await dbRows(stack, 'customer', 'update "customer"."partner_user" set must_change_password = true where email = ?', [address]);
    expect(refusalOf(await renew(session.refreshToken), 'customerAccessTokenRenew')).toBe('PASSWORD_EXPIRED');
  });
});
