import type { AddressInfo } from 'node:net';
import {
  dispatchNotifications,
  inProcessTarget,
  internalSecret,
  newId,
  notifyStaff,
  PRINCIPAL_HEADER,
  type Principal,
  pickAssignee,
  type SubgraphTarget,
  seedId,
  signPrincipal,
  staffManagerChain,
  teamMembers,
  teamsFor,
} from '@dcrm/kit';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows, refusalOf, succeeded } from './support/brand-matrix.js';
import { client, codes, KEYS, PRIVATE_KEYS, STOREFRONT_IDS, signIn, startWithManager } from './support/stack.js';

/**
 * Teams and the staff directory, through the router and as other modules call it: staff administrators
 * build teams of their brand; other subgraphs (a service principal with `staff:directory`) ask for
 * manager chains, team members and the teams that take a piece of work, with kit's typed helpers; staff
 * are told about their work by email through the notification service (a real SMTP server here), also
 * from a subgraph's notify-on-change outbox.
 */
type Mail = { to: string[]; raw: string };
const received: Mail[] = [];
let smtp: SMTPServer;
let stack: Stack;
let customer: SubgraphTarget;
const saved = { url: process.env.SMTP_URL, from: process.env.SMTP_FROM };
type Gql = ReturnType<typeof client>;
const as = {} as Record<'volt' | 'nimbus' | 'agent' | 'customer' | 'partner', Gql>;

const VOLT = STOREFRONT_IDS.volt;
const NIMBUS = STOREFRONT_IDS.nimbus;
const STAFF = {
  voltManager: seedId('staff', 'volt-manager'),
  voltConsumer: seedId('staff', 'volt-consumer'),
  voltBusiness: seedId('staff', 'volt-business'),
  nimbusAgent: seedId('staff', 'nimbus-agent'),
  regional: seedId('staff', 'regional-manager'),
  admin: seedId('staff', 'catalog-admin'),
};
const TEAM = { voltSales: seedId('team', 'volt-sales'), nimbusSales: seedId('team', 'nimbus-sales'), finance: seedId('team', 'finance') };
const slug = (prefix: string) => `${prefix} ${Math.random().toString(36).slice(2, 8)}`;
const decoded = (raw: string) =>
  raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

const TEAM_FIELDS = 'id name kind storefrontId skills segments regions active manager { id } members { nodes { id } }';
const M = {
  teamCreate: `mutation ($input: TeamCreateInput!) { teamCreate(input: $input) { team { ${TEAM_FIELDS} } userErrors { code field } } }`,
  teamUpdate: `mutation ($input: TeamUpdateInput!) { teamUpdate(input: $input) { team { ${TEAM_FIELDS} } userErrors { code field } } }`,
  teamMemberAdd: `mutation ($input: TeamMemberInput!) { teamMemberAdd(input: $input) { team { members { nodes { id } } } userErrors { code field } } }`,
  teamMemberRemove: `mutation ($input: TeamMemberInput!) { teamMemberRemove(input: $input) { team { members { nodes { id } } } userErrors { code field } } }`,
};
const run = (gql: Gql, name: keyof typeof M, input: Record<string, unknown>) => gql(M[name], { input });
const caller = (storefrontId: string) => ({ customer, source: 'ticket', storefrontId });

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: decoded(Buffer.concat(chunks).toString('utf8')) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  process.env.SMTP_FROM = 'Volt <no-reply@volt.example>';
  ({ stack, manager: as.volt } = await startWithManager());
  const h = stack.router.handler;
  customer = inProcessTarget(stack.subgraphs.find((s) => s.definition.name === 'customer')?.server as never);
  as.nimbus = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  as.agent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.customer = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.partner = client(h, PRIVATE_KEYS.connectifyPartner);
});

afterAll(async () => {
  await stack?.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  process.env.SMTP_URL = saved.url;
  process.env.SMTP_FROM = saved.from;
  if (saved.url === undefined) delete process.env.SMTP_URL;
  if (saved.from === undefined) delete process.env.SMTP_FROM;
});

describe('team administration (staff:manage)', () => {
  it('creates, updates and staffs a team of the acting brand; members keep the order they joined in', async () => {
    const name = slug('Volt fibre sales');
    const created = succeeded(
      await run(as.volt, 'teamCreate', {
        name,
        kind: 'SALES',
        skills: [' Fibre ', 'fibre', 'MOBILE'],
        segments: ['consumer'],
        managerId: STAFF.voltManager,
        memberIds: [STAFF.voltBusiness, STAFF.voltConsumer],
      }),
      'teamCreate',
    ).team;
    expect(created).toMatchObject({
      name,
      kind: 'SALES',
      storefrontId: VOLT,
      skills: ['fibre', 'mobile'],
      segments: ['consumer'],
      regions: [],
      active: true,
      manager: { id: STAFF.voltManager },
      members: { nodes: [{ id: STAFF.voltBusiness }, { id: STAFF.voltConsumer }] },
    });
    const updated = succeeded(
      await run(as.volt, 'teamUpdate', { id: created.id, regions: ['Munster'], managerId: null, kind: 'SUPPORT' }),
      'teamUpdate',
    ).team;
    expect(updated).toMatchObject({ regions: ['munster'], manager: null, kind: 'SUPPORT', skills: ['fibre', 'mobile'] });
    const removed = succeeded(
      await run(as.volt, 'teamMemberRemove', { teamId: created.id, staffId: STAFF.voltBusiness }),
      'teamMemberRemove',
    );
    expect(removed.team.members.nodes).toEqual([{ id: STAFF.voltConsumer }]);
    const added = succeeded(await run(as.volt, 'teamMemberAdd', { teamId: created.id, staffId: STAFF.voltBusiness }), 'teamMemberAdd');
    expect(added.team.members.nodes).toEqual([{ id: STAFF.voltConsumer }, { id: STAFF.voltBusiness }]);
    // Adding twice changes nothing; removing a non-member is NOT_FOUND.
    expect(
      succeeded(await run(as.volt, 'teamMemberAdd', { teamId: created.id, staffId: STAFF.voltBusiness }), 'teamMemberAdd').team.members
        .nodes,
    ).toHaveLength(2);
    expect(refusalOf(await run(as.volt, 'teamMemberRemove', { teamId: created.id, staffId: STAFF.voltManager }), 'teamMemberRemove')).toBe(
      'NOT_FOUND',
    );
    // The directory: the team, a member's teams, the team's members.
    const listed = (
      await as.agent('query ($f: TeamFilter) { teams(filter: $f, first: 100) { nodes { id name } } }', {
        f: { staffId: STAFF.voltBusiness },
      })
    ).body.data?.teams.nodes;
    expect(listed.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining([created.id, TEAM.voltSales]));
    const me = (await as.agent('{ staffMe { teams { id name members { nodes { id } } } } }')).body.data?.staffMe.teams as { id: string }[];
    expect(me.map((t) => t.id)).toEqual(expect.arrayContaining([created.id, TEAM.voltSales]));
    // Retired: still listed, filtered out by active: true.
    succeeded(await run(as.volt, 'teamUpdate', { id: created.id, active: false }), 'teamUpdate');
    const active = (await as.volt('{ teams(filter: { active: true }, first: 100) { nodes { id } } }')).body.data?.teams.nodes as {
      id: string;
    }[];
    expect(active.map((t) => t.id)).not.toContain(created.id);
  });

  it('refuses bad input, taken names, other brands’ staff and the shared teams without the all-brands grant', async () => {
    const bad = await run(as.volt, 'teamCreate', { name: ' ', kind: 'SALES', memberIds: ['nope'] });
    expect(bad.body.data?.teamCreate.userErrors.map((e: { code: string }) => e.code).sort()).toEqual(['BLANK', 'INVALID']);
    expect(refusalOf(await run(as.volt, 'teamCreate', { name: 'volt SALES', kind: 'SALES' }), 'teamCreate')).toBe('TAKEN');
    expect(
      refusalOf(await run(as.volt, 'teamCreate', { name: slug('x'), kind: 'SALES', memberIds: [STAFF.nimbusAgent] }), 'teamCreate'),
    ).toBe('NOT_FOUND');
    expect(refusalOf(await run(as.volt, 'teamCreate', { name: slug('x'), kind: 'FINANCE', shared: true }), 'teamCreate')).toBe('FORBIDDEN');
    expect(refusalOf(await run(as.volt, 'teamUpdate', { id: TEAM.finance, name: 'Hijacked' }), 'teamUpdate')).toBe('FORBIDDEN');
    expect(refusalOf(await run(as.volt, 'teamMemberAdd', { teamId: TEAM.finance, staffId: STAFF.voltConsumer }), 'teamMemberAdd')).toBe(
      'FORBIDDEN',
    );
    // A Volt team's member must act on Volt: the regional manager does, Nimbus's agent does not.
    const team = succeeded(
      await run(as.volt, 'teamCreate', { name: slug('Volt regional'), kind: 'SALES', memberIds: [STAFF.regional] }),
      'teamCreate',
    );
    expect(team.team.members.nodes).toEqual([{ id: STAFF.regional }]);
  });

  it('staff without staff:manage read teams but cannot change them; customers and partners cannot name them', async () => {
    expect(codes(await run(as.agent, 'teamCreate', { name: slug('x'), kind: 'SALES' }))).toEqual(['FORBIDDEN']);
    expect((await as.agent('{ teams { nodes { id } } }')).body.data?.teams.nodes.length).toBeGreaterThan(0);
    for (const gql of [as.customer, as.partner]) expect(codes(await gql('{ teams { id } }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it("each brand sees its own teams and the shared ones, never the other brand's", async () => {
    const ids = async (gql: Gql) =>
      (await gql('{ teams(first: 100) { nodes { id storefrontId } } }')).body.data?.teams.nodes as {
        id: string;
        storefrontId: string | null;
      }[];
    const volt = await ids(as.volt);
    expect(volt.every((t) => t.storefrontId === VOLT || t.storefrontId === null)).toBe(true);
    expect(volt.map((t) => t.id)).toEqual(expect.arrayContaining([TEAM.voltSales, TEAM.finance]));
    expect(volt.map((t) => t.id)).not.toContain(TEAM.nimbusSales);
    expect((await ids(as.nimbus)).map((t) => t.id)).not.toContain(TEAM.voltSales);
  });
});

describe('staff directory for other subgraphs (service, staff:directory)', () => {
  const customerServer = () =>
    stack.subgraphs.find((s) => s.definition.name === 'customer')?.server.handler as Parameters<typeof request>[0];
  const ask = (p: Principal, query: string) => {
    const body = { query };
    return request(customerServer())
      .post('/graphql')
      .set({ 'content-type': 'application/json', [PRINCIPAL_HEADER]: signPrincipal(p, internalSecret(), { audience: 'customer', body }) })
      .send(body);
  };

  it('the manager chain climbs to the top, nearest first, for staff of the brand only', async () => {
    expect((await staffManagerChain(caller(VOLT), STAFF.voltConsumer)).map((s) => s.id)).toEqual([
      STAFF.voltManager,
      STAFF.regional,
      STAFF.admin,
    ]);
    expect((await staffManagerChain(caller(NIMBUS), STAFF.nimbusAgent)).map((s) => s.id)).toEqual([STAFF.regional, STAFF.admin]);
    expect(await staffManagerChain(caller(NIMBUS), STAFF.voltConsumer)).toEqual([]);
    expect(await staffManagerChain(caller(VOLT), newId())).toEqual([]);
    const [manager] = await staffManagerChain(caller(VOLT), STAFF.voltConsumer);
    expect(manager).toEqual({ id: STAFF.voltManager, name: 'Maeve Doyle', email: 'manager@volt.example' });
  });

  it('is cycle-safe and skips deactivated managers', async () => {
    const [a, b, c] = [newId(), newId(), newId()];
    const insert = (id: string, active: boolean) =>
      dbRows(
        stack,
        'customer',
        `insert into "customer"."staff" (id, storefront_id, storefronts, email, name, password_hash, password_changed_at, segments, active, created_at)
         values (?, ?, ?, ?, 'Loop', 'x', now(), '{}', ?, now())`,
        [id, VOLT, `{${VOLT}}`, `loop-${id}@volt.example`, active],
      );
    await insert(a, true);
    await insert(b, false);
    await insert(c, true);
    // a → b (deactivated) → c → a: a cycle the administration would refuse.
    for (const [member, manager] of [
      [a, b],
      [b, c],
      [c, a],
    ])
      await dbRows(stack, 'customer', 'update "customer"."staff" set manager_id = ? where id = ?', [manager, member]);
    expect((await staffManagerChain(caller(VOLT), a)).map((s) => s.id)).toEqual([c]);
  });

  it('team members in the order they joined; the teams that take a piece of work, most specific first', async () => {
    expect((await teamMembers(caller(VOLT), TEAM.voltSales)).map((s) => s.id)).toEqual([STAFF.voltConsumer, STAFF.voltBusiness]);
    expect(await teamMembers(caller(NIMBUS), TEAM.voltSales)).toEqual([]);
    expect((await teamMembers(caller(NIMBUS), TEAM.finance)).map((s) => s.id)).toEqual([STAFF.regional]);
    const name = slug('Volt enterprise fibre');
    const specific = succeeded(
      await run(as.volt, 'teamCreate', {
        name,
        kind: 'SALES',
        skills: ['fibre'],
        segments: ['enterprise'],
        memberIds: [STAFF.voltBusiness],
      }),
      'teamCreate',
    ).team.id;
    const teams = await teamsFor(caller(VOLT), { kind: 'SALES', skill: 'FIBRE', segment: 'enterprise' });
    expect(teams[0]).toMatchObject({ id: specific, name, kind: 'SALES', members: [{ id: STAFF.voltBusiness }] });
    expect(teams.map((t) => t.id)).toContain(TEAM.voltSales);
    expect(teams.every((t) => t.storefrontId === VOLT || t.storefrontId === null)).toBe(true);
    // Another segment: the catch-all team, not the enterprise one.
    expect((await teamsFor(caller(VOLT), { kind: 'SALES', skill: 'fibre', segment: 'consumer' })).map((t) => t.id)).not.toContain(specific);
    expect((await teamsFor(caller(NIMBUS), { kind: 'FINANCE' })).map((t) => t.id)).toEqual([TEAM.finance]);
    // Round robin by the caller's own load counts.
    const members = await teamMembers(caller(VOLT), TEAM.voltSales);
    expect(pickAssignee(members, { [STAFF.voltConsumer]: 4, [STAFF.voltBusiness]: 2 })?.id).toBe(STAFF.voltBusiness);
    expect(pickAssignee(members, {}, STAFF.voltConsumer)?.id).toBe(STAFF.voltBusiness);
  });

  it('answers service principals with the scope only; the router does not expose it', async () => {
    const query = `{ staffManagerChain(staffId: "${STAFF.voltConsumer}") { id } }`;
    const base = { id: 'ticket', storefrontId: VOLT, partnerId: null, roles: [] };
    const staff = await ask({ ...base, kind: 'staff', scopes: ['staff:directory', 'staff:manage'] }, query);
    expect(staff.body.errors?.map((e: { extensions?: { code?: string } }) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const unscoped = await ask({ ...base, kind: 'service', scopes: ['message:send'] }, query);
    expect(unscoped.body.errors?.map((e: { extensions?: { code?: string } }) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(codes(await as.volt(query))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(codes(await as.volt('{ teamsFor(criteria: { kind: SALES }) { id } }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});

describe('staff as notification recipients', () => {
  const staffSent = (staffId: string, key: string) =>
    dbRows(
      stack,
      'customer',
      'select channel, recipient, subject, status, customer_id from "customer"."notification_sent" where staff_id = ? and template_key = ?',
      [staffId, key],
    ) as Promise<{ channel: string; recipient: string; subject: string; status: string; customer_id: string | null }[]>;

  it('escalates a ticket to each manager up the chain by email, from the default template', async () => {
    const chain = await staffManagerChain(caller(VOLT), STAFF.voltConsumer);
    const ticket = newId();
    const variables = {
      ticketId: ticket,
      ticketNumber: 'T-1001',
      subject: 'No broadband',
      priority: 'HIGH',
      reason: 'resolution target breached',
      assigneeName: 'Liam Ryan',
      dueAt: null,
      url: null,
    };
    const results = await notifyStaff(
      caller(VOLT),
      chain.slice(0, 2).map((m) => ({ staffId: m.id, templateKey: 'ticket.escalated', variables, dedupeKey: `esc:${ticket}:${m.id}` })),
    );
    expect(results).toEqual([
      { staffId: STAFF.voltManager, outcome: 'SENT' },
      { staffId: STAFF.regional, outcome: 'SENT' },
    ]);
    const mail = received.find((m) => m.to.includes('manager@volt.example') && m.raw.includes('T-1001'));
    expect(mail?.raw).toContain('Subject: Escalated: ticket T-1001 (HIGH)');
    expect(mail?.raw).toContain('Hi Maeve Doyle, ticket T-1001 "No broadband" (HIGH) is escalated to you: resolution target breached.');
    expect(mail?.raw).toContain('Assignee: Liam Ryan.');
    expect(await staffSent(STAFF.voltManager, 'ticket.escalated')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'EMAIL', recipient: 'manager@volt.example', status: 'SENT', customer_id: null }),
        expect.objectContaining({ channel: 'SITE_MESSAGE', recipient: STAFF.voltManager, status: 'SENT', customer_id: null }),
      ]),
    );
    // In the manager's own inbox too, unread until they mark it; nobody else can.
    const inbox = (await as.volt('{ staffInbox(unreadOnly: true, first: 50) { unreadCount nodes { id title body readAt } } }')).body.data
      ?.staffInbox;
    const message = inbox.nodes.find((m: { title: string }) => m.title === 'Escalated: ticket T-1001 (HIGH)');
    expect(message).toMatchObject({ readAt: null });
    expect(message.body).toContain('is escalated to you: resolution target breached.');
    const MARK = 'mutation ($input: StaffInboxMarkReadInput!) { staffInboxMarkRead(input: $input) { unreadCount userErrors { code } } }';
    expect((await as.agent(MARK, { input: { ids: [message.id] } })).body.data?.staffInboxMarkRead.userErrors).toEqual([
      { code: 'NOT_FOUND' },
    ]);
    expect(
      (await as.agent('{ staffInbox(first: 100) { nodes { id } } }')).body.data?.staffInbox.nodes.map((m: { id: string }) => m.id),
    ).not.toContain(message.id);
    const marked = (await as.volt(MARK, { input: { ids: [message.id] } })).body.data?.staffInboxMarkRead;
    expect(marked).toEqual({ unreadCount: inbox.unreadCount - 1, userErrors: [] });
    for (const gql of [as.customer, as.partner])
      expect(codes(await gql('{ staffInbox { unreadCount } }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    // A retried job sends nothing twice.
    const again = await notifyStaff(caller(VOLT), [
      { staffId: STAFF.voltManager, templateKey: 'ticket.escalated', variables, dedupeKey: `esc:${ticket}:${STAFF.voltManager}` },
    ]);
    expect(again).toEqual([{ staffId: STAFF.voltManager, outcome: 'DUPLICATE' }]);
    // Staff messages stay out of the customers' sent history staff read.
    const history = (await as.volt('{ notificationsSent(filter: { templateKey: "ticket.escalated" }) { nodes { id } } }')).body.data
      ?.notificationsSent.nodes;
    expect(history).toEqual([]);
  });

  it('skips staff who do not act on the brand or are deactivated; never sends them marketing; checks variables', async () => {
    const variables = { leadId: newId(), leadName: 'Globex', source: 'WEB', rating: 'HOT', url: null };
    const results = await notifyStaff(caller(VOLT), [
      { staffId: STAFF.nimbusAgent, templateKey: 'lead.assigned', variables },
      { staffId: STAFF.voltBusiness, templateKey: 'lead.assigned', variables },
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['SKIPPED', 'SENT']);
    const marketing = await customer.execute(
      {
        query: 'mutation ($input: NotificationSendInput!) { notificationSend(input: $input) { results { outcome } userErrors { code } } }',
        variables: { input: { messages: [{ staffId: STAFF.voltBusiness, templateKey: 'lead.assigned', variables: [], marketing: true }] } },
      },
      { kind: 'service', id: 'opportunity', storefrontId: VOLT, partnerId: null, roles: [], scopes: ['message:send'] },
    );
    expect(marketing.data?.notificationSend.results).toEqual([{ outcome: 'OPTED_OUT' }]);
    await expect(
      notifyStaff(caller(VOLT), [{ staffId: STAFF.voltBusiness, templateKey: 'lead.assigned', variables: { leadName: 'x' } }]),
    ).rejects.toThrow(/Missing variables/);
    const both = await customer.execute(
      {
        query: 'mutation ($input: NotificationSendInput!) { notificationSend(input: $input) { results { outcome } userErrors { code } } }',
        variables: {
          input: { messages: [{ staffId: STAFF.voltBusiness, customerId: newId(), templateKey: 'lead.assigned', variables: [] }] },
        },
      },
      { kind: 'service', id: 'opportunity', storefrontId: VOLT, partnerId: null, roles: [], scopes: ['message:send'] },
    );
    expect(both.data?.notificationSend.userErrors).toEqual([{ code: 'INVALID' }]);
  });

  it("a subgraph's notify-on-change outbox row naming a staff member reaches them", async () => {
    const cart = stack.subgraphs.find((s) => s.definition.name === 'cart');
    const id = newId();
    const variables = {
      quoteId: newId(),
      quoteNumber: 'Q-77',
      customerName: 'Acme',
      total: '€1,200.00',
      reason: 'discount above 15%',
      requestedBy: null,
      url: null,
    };
    await dbRows(
      stack,
      'cart',
      `insert into "cart"."notify_outbox" (id, storefront_id, customer_id, staff_id, template_key, variables, created_at)
       values (?, ?, null, ?, 'quote.approvalRequested', ?::jsonb, now())`,
      [id, VOLT, STAFF.voltManager, JSON.stringify(variables)],
    );
    await dispatchNotifications(cart?.orm.em.fork() as never, customer, 'cart');
    const [row] = (await dbRows(stack, 'cart', 'select outcome, sent_at from "cart"."notify_outbox" where id = ?', [id])) as {
      outcome: string;
      sent_at: Date | null;
    }[];
    expect(row.outcome).toBe('SENT');
    const mail = received.find((m) => m.to.includes('manager@volt.example') && m.raw.includes('Q-77'));
    expect(mail?.raw).toContain('Subject: Approval needed: quote Q-77');
  });
});

describe('SQL per request', () => {
  it('the team directory with managers, members and their teams costs the same for more teams', async () => {
    const query =
      'query ($n: Int) { teams(first: $n) { nodes { id manager { id name } members(first: 5) { nodes { id name teams { id } } } } } }';
    const before = await as.volt(query, { n: 2 });
    for (let i = 0; i < 3; i++)
      succeeded(
        await run(as.volt, 'teamCreate', {
          name: slug('Volt n+1'),
          kind: 'SUPPORT',
          managerId: STAFF.voltManager,
          memberIds: [STAFF.voltConsumer, STAFF.voltBusiness, STAFF.voltManager],
        }),
        'teamCreate',
      );
    const after = await as.volt(query, { n: 5 });
    expect(before.body.data?.teams.nodes).toHaveLength(2);
    expect(after.body.data?.teams.nodes).toHaveLength(5);
    expect(after.statements).toBe(before.statements);
  });
});
