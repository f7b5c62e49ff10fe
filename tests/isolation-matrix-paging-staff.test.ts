import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { codes, GENEROUS_COST, KEYS, type Response, signIn, startWithManager } from './support/stack.js';

/**
 * The staff-side lists that became connections (teams and their members, direct reports, partner
 * users, the campaign dashboard's campaigns) and an order's status history: whichever way a caller
 * pages, it sees only what forward paging showed before — staff their brand, a partner admin its own
 * partner, a customer their own orders.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};

const TEAM = { voltSales: seedId('team', 'volt-sales'), nimbusSales: seedId('team', 'nimbus-sales'), finance: seedId('team', 'finance') };
const STAFF = { voltManager: seedId('staff', 'volt-manager'), voltConsumer: seedId('staff', 'volt-consumer') };
const PARTNER = { connectify: seedId('partner', 'connectify'), skyline: seedId('partner', 'skyline') };

beforeAll(async () => {
  ({ stack, manager: as.voltManager } = await startWithManager({ cost: GENEROUS_COST }));
  const h = stack.router.handler;
  as.nimbusAgent = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
  as.oliver = (await signIn(h, 'customerLogin', 'oliver@example.co.uk', KEYS.nimbus)).gql;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
});
afterAll(() => stack.stop());

/** The data of a query, read forward (`first: size`) and backward (`last: size`) through `$first`/`$last`. */
async function bothWays(gql: Gql, query: string, variables: Record<string, unknown> = {}, size = 100) {
  const read = async (page: Record<string, unknown>) => {
    const res = await gql(query, { ...variables, ...page });
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    expect(res.body.data).toBeTruthy();
    return res.body.data as NonNullable<Response['body']['data']>;
  };
  return [await read({ first: size }), await read({ last: size })];
}
const idsOf = (connection: { nodes: { id: string }[] } | undefined) => (connection?.nodes ?? []).map((n) => n.id).sort();

describe('staff lists that became connections keep brand isolation, both ways', () => {
  it('teams: each brand pages its own and the shared ones, never the other brand’s', async () => {
    const TEAMS = 'query ($first: Int, $last: Int) { teams(first: $first, last: $last) { nodes { id storefrontId } } }';
    for (const [who, own, other] of [
      ['voltManager', TEAM.voltSales, TEAM.nimbusSales],
      ['nimbusAgent', TEAM.nimbusSales, TEAM.voltSales],
    ]) {
      const [forward, backward] = (await bothWays(as[who], TEAMS)).map((d) => idsOf(d.teams));
      const seen = forward.filter((id) => backward.includes(id));
      expect(seen, who).toEqual(expect.arrayContaining([own, TEAM.finance]));
      expect([...forward, ...backward], who).not.toContain(other);
    }
  });

  it('Team.members: the shared team shows another brand’s staff none of this brand’s members, both ways', async () => {
    const MEMBERS = `query ($first: Int, $last: Int) { finance: teams(first: 5, filter: { kind: FINANCE }) {
      nodes { id members(first: $first, last: $last) { nodes { id email } } } } }`;
    for (const data of await bothWays(as.nimbusAgent, MEMBERS, {}, 20)) {
      const emails = (data.finance.nodes as { members: { nodes: { email: string }[] } }[]).flatMap((t) =>
        t.members.nodes.map((m) => m.email),
      );
      expect(emails.some((e) => e.endsWith('@volt.example'))).toBe(false);
    }
    const OWN = `query ($id: ID!, $first: Int, $last: Int) { staff(id: $id) { teams { id members(first: $first, last: $last) { nodes { id } } } } }`;
    const [forward, backward] = (await bothWays(as.voltManager, OWN, { id: STAFF.voltConsumer }, 20)).map(
      (d) => (d.staff.teams as { id: string; members: { nodes: { id: string }[] } }[]).find((t) => t.id === TEAM.voltSales)?.members,
    );
    expect(idsOf(forward)).toEqual(idsOf(backward));
    expect(idsOf(forward)).toContain(STAFF.voltConsumer);
  });

  it('Staff.reports: a manager pages their brand’s reports; another brand’s staff reach no Volt member, both ways', async () => {
    const REPORTS = 'query ($id: ID!, $first: Int, $last: Int) { staff(id: $id) { reports(first: $first, last: $last) { nodes { id } } } }';
    const [forward, backward] = (await bothWays(as.voltManager, REPORTS, { id: STAFF.voltManager })).map((d) => idsOf(d.staff.reports));
    expect(forward).toEqual(backward);
    expect(forward).toContain(STAFF.voltConsumer);
    for (const page of [{ first: 100 }, { last: 100 }])
      expect(codes(await as.nimbusAgent(REPORTS, { id: STAFF.voltManager, ...page }))).toEqual(['NOT_FOUND']);
    // Through the shared team: the members' reports Nimbus sees are Nimbus staff only.
    const NESTED = `query ($first: Int, $last: Int) { teams(first: 3, filter: { kind: FINANCE }) { nodes {
      members(first: 10) { nodes { reports(first: $first, last: $last) { nodes { email } } } } } } }`;
    for (const data of await bothWays(as.nimbusAgent, NESTED, {}, 10)) {
      const text = JSON.stringify(data);
      expect(text).not.toContain('@volt.example');
    }
  });

  it('partnerUsers: a partner admin pages its own users, staff their brand’s partners, another brand none', async () => {
    const USERS =
      'query ($p: ID, $first: Int, $last: Int) { partnerUsers(partnerId: $p, first: $first, last: $last) { nodes { id partner { id } } } }';
    const [own, ownBack] = await bothWays(as.connectify, USERS);
    expect(idsOf(own.partnerUsers).length).toBeGreaterThan(0);
    for (const data of [own, ownBack])
      expect((data.partnerUsers.nodes as { partner: { id: string } }[]).every((u) => u.partner.id === PARTNER.connectify)).toBe(true);
    const [staff, staffBack] = await bothWays(as.voltManager, USERS, { p: PARTNER.connectify });
    expect(idsOf(staff.partnerUsers)).toEqual(
      expect.arrayContaining(idsOf(own.partnerUsers).filter((id) => idsOf(staffBack.partnerUsers).includes(id))),
    );
    for (const page of [{ first: 100 }, { last: 100 }]) {
      expect(codes(await as.nimbusAgent(USERS, { p: PARTNER.connectify, ...page }))).toEqual(['NOT_FOUND']);
      expect(codes(await as.connectify(USERS, { p: PARTNER.skyline, ...page }))).toEqual(['NOT_FOUND']);
    }
  });

  it('CampaignDashboard.campaigns: each brand pages its own campaigns only, both ways', async () => {
    const DASHBOARD = 'query ($first: Int, $last: Int) { campaignDashboard { campaigns(first: $first, last: $last) { nodes { id } } } }';
    const [volt, voltBack] = (await bothWays(as.voltManager, DASHBOARD)).map((d) => idsOf(d.campaignDashboard.campaigns));
    const [nimbus, nimbusBack] = (await bothWays(as.nimbusAgent, DASHBOARD)).map((d) => idsOf(d.campaignDashboard.campaigns));
    expect(volt.length).toBeGreaterThan(0);
    for (const id of [...volt, ...voltBack]) {
      expect(nimbus).not.toContain(id);
      expect(nimbusBack).not.toContain(id);
    }
  });
});

describe('Order.history, both ways', () => {
  it('a customer pages their own order’s history; another customer and another brand’s staff reach no order', async () => {
    const orders = await as.oliver('{ me { orders(first: 1) { nodes { id } } } }');
    const orderId = orders.body.data?.me.orders.nodes[0].id as string;
    const HISTORY =
      'query ($id: ID!, $first: Int, $last: Int) { order(id: $id) { history(first: $first, last: $last) { nodes { status at } } } }';
    const [forward, backward] = await bothWays(as.oliver, HISTORY, { id: orderId });
    expect(forward.order.history.nodes.length).toBeGreaterThan(0);
    expect(backward.order.history).toEqual(forward.order.history);
    for (const gql of [as.aoife, as.voltManager])
      for (const page of [{ first: 100 }, { last: 100 }]) {
        const res = await gql(HISTORY, { id: orderId, ...page });
        expect(res.body.data?.order ?? null).toBeNull();
        expect(codes(res)).toEqual(['NOT_FOUND']);
      }
  });
});
