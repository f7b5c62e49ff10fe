import { newId, seedId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../../stack/src/stack.js';
import { client, codes, KEYS, type Response, signIn, startTestStack } from '../../../tests/support/stack.js';
import { Ticket, type TicketPriority, type TicketStatus } from '../src/entities/index.js';

/**
 * Staff ticket dashboards through the router. The tickets counted are written here, in a team of their
 * own (every figure is asked for that team), on accounts no other test reads.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const TEAM = newId();
const AGENT_A = newId();
const AGENT_B = newId();
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

type Fixture = {
  status: TicketStatus;
  priority: TicketPriority;
  segment?: string;
  ageMs: number;
  respondedAfter?: number;
  resolvedAfter?: number;
  breached?: boolean;
  assignee?: string;
};

/** Open: one under a day, one of 1–3 days (breached), one of 3–7 days (breached), one over 7 days; resolved: two in range, one before it. */
const FIXTURES: Fixture[] = [
  { status: 'IN_PROGRESS', priority: 'HIGH', ageMs: 2 * HOUR, respondedAfter: 30 * MIN, assignee: AGENT_A },
  { status: 'ACKNOWLEDGED', priority: 'HIGH', ageMs: 2 * DAY, breached: true, assignee: AGENT_A },
  { status: 'IN_PROGRESS', priority: 'CRITICAL', ageMs: 5 * DAY, respondedAfter: HOUR, breached: true, assignee: AGENT_B },
  { status: 'ACKNOWLEDGED', priority: 'LOW', ageMs: 10 * DAY, respondedAfter: 2 * HOUR },
  { status: 'RESOLVED', priority: 'MEDIUM', ageMs: 4 * DAY, respondedAfter: HOUR, resolvedAfter: DAY, assignee: AGENT_A },
  { status: 'CLOSED', priority: 'LOW', ageMs: 40 * DAY, respondedAfter: HOUR, resolvedAfter: 5 * DAY },
  { status: 'RESOLVED', priority: 'MEDIUM', segment: 'smb', ageMs: DAY, respondedAfter: 2 * HOUR, resolvedAfter: 6 * HOUR },
];

/** When the fixtures were inserted: their creation times are this minus their ages. */
let insertedAt = 0;

async function insertFixtures(em: EntityManager) {
  const now = Date.now();
  insertedAt = now;
  for (const f of FIXTURES) {
    const createdAt = new Date(now - f.ageMs);
    em.create(Ticket, {
      storefrontId: seedId('storefront', 'volt'),
      customerId: newId(),
      segment: f.segment ?? 'consumer',
      raisedByKind: 'CUSTOMER',
      channel: 'SELF_CARE',
      category: 'OTHER',
      priority: f.priority,
      severity: 'MINOR',
      status: f.status,
      subject: 'Dashboard fixture',
      description: 'Counted by the dashboard test only.',
      teamId: TEAM,
      assigneeStaffId: f.assignee ?? null,
      breached: f.breached ?? false,
      createdAt,
      updatedAt: createdAt,
      statusChangedAt: createdAt,
      firstRespondedAt: f.respondedAfter ? new Date(createdAt.getTime() + f.respondedAfter) : null,
      resolvedAt: f.resolvedAfter ? new Date(createdAt.getTime() + f.resolvedAfter) : null,
    });
  }
  await em.flush();
}

beforeAll(async () => {
  stack = await startTestStack();
  const ticket = stack.subgraphs.find((s) => s.definition.name === 'ticket');
  if (!ticket) throw new Error('no ticket subgraph');
  await insertFixtures(ticket.orm.em.fork() as EntityManager);
  const h = stack.router.handler;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.consumerAgent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.businessAgent = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  as.voltManager = (await signIn(h, 'staffLogin', 'manager@volt.example')).gql;
  as.nimbusAgent = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  as.catalogAdmin = (await signIn(h, 'staffLogin', 'admin@dcrm.example')).gql;
  as.shopper = client(h, KEYS.volt);
});
afterAll(() => stack.stop());

const STATS = 'openCount breachedCount createdCount resolvedCount averageFirstResponseSeconds averageResolutionSeconds';
const DASHBOARD = `query ($period: DashboardPeriod, $from: DateTime, $to: DateTime, $teamId: ID) {
  ticketDashboard(period: $period, from: $from, to: $to, teamId: $teamId) {
    from to period totals { ${STATS} }
    openByPriority { priority count breachedCount byAge { age count } }
    teams { teamId stats { ${STATS} } }
    assignees { assignee { id } stats { ${STATS} } }
    periods { start createdCount resolvedCount averageFirstResponseSeconds averageResolutionSeconds } } }`;

async function dashboard(gql: Gql, variables: Record<string, unknown> = {}) {
  const res = await gql(DASHBOARD, { teamId: TEAM, ...variables });
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data?.ticketDashboard;
}

describe('ticketDashboard', () => {
  it('open tickets by priority and age, breached, raised and resolved, average response and resolution', async () => {
    const d = await dashboard(as.voltManager);
    expect(d.period).toBe('DAY');
    // Raised in the last 30 days: all but the CLOSED one; answered ones took 30 min, 1 h, 2 h, 1 h and 2 h.
    expect(d.totals).toEqual({
      openCount: 4,
      breachedCount: 2,
      createdCount: 6,
      resolvedCount: 2,
      averageFirstResponseSeconds: (30 * 60 + 3600 + 7200 + 3600 + 7200) / 5,
      averageResolutionSeconds: (86_400 + 21_600) / 2,
    });
    const byPriority = Object.fromEntries(d.openByPriority.map((p: { priority: string }) => [p.priority, p]));
    expect(byPriority.HIGH).toEqual({
      priority: 'HIGH',
      count: 2,
      breachedCount: 1,
      byAge: [
        { age: 'UNDER_1_DAY', count: 1 },
        { age: 'DAYS_1_TO_3', count: 1 },
        { age: 'DAYS_3_TO_7', count: 0 },
        { age: 'OVER_7_DAYS', count: 0 },
      ],
    });
    expect(byPriority.CRITICAL).toMatchObject({ count: 1, breachedCount: 1 });
    expect(byPriority.CRITICAL.byAge.find((a: { age: string }) => a.age === 'DAYS_3_TO_7').count).toBe(1);
    expect(byPriority.LOW.byAge.find((a: { age: string }) => a.age === 'OVER_7_DAYS').count).toBe(1);
    expect(byPriority.MEDIUM).toMatchObject({ count: 0, breachedCount: 0 });
  });

  it('per team, per assignee and per period', async () => {
    const d = await dashboard(as.voltManager);
    expect(d.teams).toEqual([{ teamId: TEAM, stats: d.totals }]);
    const byAssignee = Object.fromEntries(
      d.assignees.map((a: { assignee: { id: string } | null; stats: unknown }) => [a.assignee?.id ?? 'none', a.stats]),
    );
    expect(byAssignee[AGENT_A]).toMatchObject({ openCount: 2, breachedCount: 1, createdCount: 3, resolvedCount: 1 });
    expect(byAssignee[AGENT_B]).toMatchObject({ openCount: 1, breachedCount: 1, createdCount: 1, resolvedCount: 0 });
    expect(byAssignee.none).toMatchObject({ openCount: 1, createdCount: 2, resolvedCount: 1 });
    // Every day of the range, oldest first; the counts add up to the totals.
    expect(d.periods.length).toBeGreaterThanOrEqual(30);
    expect(d.periods.length).toBeLessThanOrEqual(31);
    const starts = d.periods.map((p: { start: string }) => Date.parse(p.start));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(starts.every((s: number) => new Date(s).getUTCHours() === 0)).toBe(true);
    const sum = (key: string) => d.periods.reduce((n: number, p: Record<string, number>) => n + p[key], 0);
    expect(sum('createdCount')).toBe(6);
    expect(sum('resolvedCount')).toBe(2);
    // The youngest ticket (2 hours old) counts in the day it was created: today's period, or yesterday's
    // in the first two hours after midnight UTC.
    const youngest = insertedAt - Math.min(...FIXTURES.map((f) => f.ageMs));
    const itsDay = d.periods.find((p: { start: string }) => Date.parse(p.start) <= youngest && youngest < Date.parse(p.start) + DAY);
    expect(itsDay.createdCount).toBeGreaterThanOrEqual(1);
  });

  it('weeks and months over an explicit range, empty ones included', async () => {
    const months = await dashboard(as.voltManager, { period: 'MONTH', from: '2026-01-15T00:00:00Z', to: '2026-04-01T00:00:00Z' });
    expect(months.periods.map((p: { start: string }) => p.start)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-02-01T00:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
    ]);
    expect(months.periods.every((p: { createdCount: number }) => p.createdCount === 0)).toBe(true);
    const weeks = await dashboard(as.voltManager, { period: 'WEEK' });
    expect(weeks.periods.length).toBeGreaterThanOrEqual(12);
    expect(weeks.periods.every((p: { start: string }) => new Date(p.start).getUTCDay() === 1)).toBe(true);
    // Twelve weeks reach the ticket raised 40 days ago too.
    expect(weeks.periods.reduce((n: number, p: { createdCount: number }) => n + p.createdCount, 0)).toBe(7);
    expect(weeks.totals).toMatchObject({ createdCount: 7, resolvedCount: 3 });
  });

  it('counts only the segments and brands the staff member is granted', async () => {
    const consumer = await dashboard(as.consumerAgent);
    expect(consumer.totals).toMatchObject({ openCount: 4, createdCount: 5, resolvedCount: 1, averageResolutionSeconds: 86_400 });
    const business = await dashboard(as.businessAgent);
    expect(business.totals).toMatchObject({ openCount: 0, createdCount: 1, resolvedCount: 1, averageResolutionSeconds: 21_600 });
    const nimbus = await dashboard(as.nimbusAgent);
    expect(nimbus.totals).toEqual({
      openCount: 0,
      breachedCount: 0,
      createdCount: 0,
      resolvedCount: 0,
      averageFirstResponseSeconds: null,
      averageResolutionSeconds: null,
    });
    // Without a team, the demo tickets count too.
    expect((await dashboard(as.voltManager, { teamId: null })).totals.openCount).toBeGreaterThanOrEqual(4 + 5);
  });

  it('refuses staff without ticket:read, customers, shoppers and bad ranges', async () => {
    expect(codes(await as.catalogAdmin(DASHBOARD, { teamId: TEAM }))).toEqual(['FORBIDDEN']);
    expect(codes(await as.aoife(DASHBOARD, {}))[0]).toMatch(/FORBIDDEN|GRAPHQL_VALIDATION_FAILED/);
    expect(codes(await as.shopper(DASHBOARD, {}))[0]).toMatch(/UNAUTHENTICATED|GRAPHQL_VALIDATION_FAILED/);
    const backwards = await as.voltManager(DASHBOARD, { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' });
    expect(codes(backwards)).toEqual(['BAD_USER_INPUT']);
    const tooLong = await as.voltManager(DASHBOARD, { period: 'DAY', from: '2024-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' });
    expect(codes(tooLong)).toEqual(['BAD_USER_INPUT']);
  });

  it('runs a fixed number of SQL statements, whatever the number of tickets', async () => {
    const team = await as.voltManager(DASHBOARD, { teamId: TEAM });
    const all = await as.voltManager(DASHBOARD, { teamId: null });
    expect(all.statements).toBe(team.statements);
    expect(team.statements).toBeLessThanOrEqual(4);
  });
});
