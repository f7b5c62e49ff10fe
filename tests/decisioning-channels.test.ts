import { randomUUID } from 'node:crypto';
import { EVENTS, type ProductViewedEvent } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows } from './support/brand-matrix.js';
import { customType, decisionRule, event, INGEST, privateKey, RULE_CREATE, until } from './support/decisioning.js';
import { KEYS, type Response, registerCustomer, signIn, startTestStack } from './support/stack.js';

/**
 * Decision logic through the router, in the Nimbus brand (whose settings no other test file changes):
 * PUSH consent given by the customer or staff and chosen; channels ranked by preference, then their
 * recent response rate (fed by offers accepted); the brand's global daily budget; and the platform's own
 * events (a resolved ticket, a product viewed) decided like external ones, once each.
 * Each customer gets a segment of its own, so the response rates it builds are its own.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
let staff: Gql;
let ingest: Gql;

beforeAll(async () => {
  stack = await startTestStack();
  staff = (await signIn(stack.router.handler, 'staffLogin', 'agent@nimbus.example')).gql;
  ingest = await privateKey(stack, staff, ['events:write']);
});
afterAll(() => stack.stop());

const SETTINGS = '{ decisionSettings { dailyActionCap actionsToday dailyBudget spentToday channelMinSample version } }';
const SETTINGS_SET = `mutation ($input: DecisionSettingsSetInput!) {
  decisionSettingsSet(input: $input) {
    decisionSettings { dailyActionCap actionsToday dailyBudget spentToday channelMinSample version }
    userErrors { code field }
  }
}`;
const CONSENT = `mutation ($input: ConsentSetInput!) { customerConsentSet(input: $input) { customer { consents { channel granted } } userErrors { code } } }`;
const PREFER = `mutation ($input: NotificationPreferenceSetInput!) { notificationPreferenceSet(input: $input) { userErrors { code } } }`;
const ACCEPT = 'mutation ($id: ID!) { offerAccept(input: { id: $id }) { offer { status } userErrors { code } } }';

type Row = {
  id: string;
  event_id: string;
  outcome: string;
  channel: string | null;
  offer_id: string | null;
  reasons: { code: string; message: string }[];
};
const decisionsOf = (customerId: string) =>
  dbRows(
    stack,
    'promotion',
    'select id, event_id, outcome, channel, offer_id, reasons from "promotion"."decision" where customer_id = ? order by decided_at, id',
    [customerId],
  ) as Promise<Row[]>;

/** A fresh Nimbus customer in a segment of its own, with these marketing consents. */
async function customer(marketingChannels: string[], segment = `seg-${randomUUID().slice(0, 8)}`) {
  const c = await registerCustomer(stack.router.handler, KEYS.nimbus, { prefix: 'channels', marketingChannels });
  await dbRows(stack, 'customer', 'update "customer"."customer" set segment = ? where id = ?', [segment, c.id]);
  return { ...c, segment };
}

/** Sets Nimbus's settings from the version just read (again on a CONFLICT: another test file may touch them meanwhile). */
async function settings(input: Record<string, unknown>) {
  for (let attempt = 0; ; attempt++) {
    const { version } = (await staff(SETTINGS)).body.data?.decisionSettings ?? {};
    const res = await staff(SETTINGS_SET, { input: { version, ...input } });
    const errors = res.body.data?.decisionSettingsSet.userErrors ?? [];
    if (errors[0]?.code === 'CONFLICT' && attempt < 5) continue;
    expect(errors, JSON.stringify(res.body)).toEqual([]);
    return res.body.data?.decisionSettingsSet.decisionSettings;
  }
}

const decide = async (type: string, customerId: string) => {
  const res = await ingest(INGEST, { events: [event(type, customerId)] });
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data?.eventsIngest.results[0] as { status: string; outcome: string; decisionId: string };
};

describe('PUSH', () => {
  it('customers and staff give PUSH consent; a decision then goes out by push, through the notification service', async () => {
    const app = await customer(['EMAIL']);
    const byStaff = await customer([]);
    const without = await customer(['EMAIL']);
    const own = await app.gql(CONSENT, { input: { channel: 'PUSH', granted: true } });
    expect(own.body.data?.customerConsentSet.customer.consents).toContainEqual({ channel: 'PUSH', granted: true });
    expect(
      (await app.gql(PREFER, { input: { type: 'OFFERS', channels: ['PUSH'] } })).body.data?.notificationPreferenceSet.userErrors,
    ).toEqual([]);
    const given = await staff(CONSENT, { input: { customerId: byStaff.id, channel: 'PUSH', granted: true } });
    expect(given.body.data?.customerConsentSet.customer.consents).toContainEqual({ channel: 'PUSH', granted: true });

    const preferred = await customType(staff);
    await decisionRule(staff, { eventType: preferred, channels: ['EMAIL', 'PUSH', 'INBOX'] });
    const pushOnly = await customType(staff);
    await decisionRule(staff, { eventType: pushOnly, channels: ['PUSH'] });
    expect(await decide(preferred, app.id)).toMatchObject({ status: 'ACCEPTED', outcome: 'ACTION' });
    expect(await decide(pushOnly, byStaff.id)).toMatchObject({ outcome: 'ACTION' });
    expect(await decide(pushOnly, without.id)).toMatchObject({ outcome: 'NO_ACTION' });

    const [chosen] = await decisionsOf(app.id);
    expect(chosen.channel).toBe('PUSH');
    expect(chosen.reasons).toContainEqual(
      expect.objectContaining({ code: 'CHANNEL', message: expect.stringContaining('PUSH: preferred by the customer') }),
    );
    expect((await decisionsOf(byStaff.id))[0].channel).toBe('PUSH');
    expect((await decisionsOf(without.id))[0].reasons.map((r) => r.code)).toContain('NO_CHANNEL');
    // The notification service sent it on PUSH, to the account (its app), keyed by the decision.
    const sent = await dbRows(
      stack,
      'customer',
      'select channel, recipient, status from "customer"."notification_sent" where dedupe_key like ?',
      [`decision:${chosen.id}:%`],
    );
    expect(sent).toEqual([{ channel: 'PUSH', recipient: app.id, status: 'SENT' }]);
  });
});

describe('channel choice by response rate', () => {
  it('measured channels rank by their response rate in the segment; the customer’s preference comes first', async () => {
    await settings({ channelMinSample: 3 });
    const segment = `seg-${randomUUID().slice(0, 8)}`;
    const answering = await customer(['EMAIL', 'SMS'], segment);
    const [smsOnly, emailOnly, either] = [await customType(staff), await customType(staff), await customType(staff)];
    await decisionRule(staff, { eventType: smsOnly, channels: ['SMS'] });
    await decisionRule(staff, { eventType: emailOnly, channels: ['EMAIL'] });
    await decisionRule(staff, { eventType: either, channels: ['SMS', 'EMAIL'] });
    // Three offers by SMS, never answered; three by email, all accepted: a sample of 3 each.
    for (let i = 0; i < 3; i++) {
      await decide(smsOnly, answering.id);
      await decide(emailOnly, answering.id);
    }
    const sent = await decisionsOf(answering.id);
    expect(sent.map((d) => d.channel).sort()).toEqual(['EMAIL', 'EMAIL', 'EMAIL', 'SMS', 'SMS', 'SMS']);
    for (const d of sent.filter((d) => d.channel === 'EMAIL')) {
      expect((await answering.gql(ACCEPT, { id: d.offer_id })).body.data?.offerAccept.offer.status).toBe('ACCEPTED');
      // Accepting again changes nothing, and is not counted again.
      await answering.gql(ACCEPT, { id: d.offer_id });
    }
    // Staff read the same counts.
    const RATES = 'query ($s: String) { decisionChannelRates(segment: $s) { channel sent responded rate } }';
    const rates = (await staff(RATES, { s: segment })).body.data?.decisionChannelRates;
    expect(rates).toContainEqual({ channel: 'EMAIL', sent: 3, responded: 3, rate: 1 });
    expect(rates).toContainEqual({ channel: 'SMS', sent: 3, responded: 0, rate: 0 });
    expect(rates).toContainEqual({ channel: 'PUSH', sent: 0, responded: 0, rate: null });
    // SMS comes first in the rule, but email answers better in this segment.
    const ranked = await decide(either, answering.id);
    const chosen = (await decisionsOf(answering.id)).find((d) => d.id === ranked.decisionId) as Row;
    expect(chosen.channel).toBe('EMAIL');
    expect(chosen.reasons).toContainEqual({
      ruleId: expect.any(String),
      code: 'CHANNEL',
      message: 'EMAIL: consented to; response rate 100% (3 accepted, 0 declined of 3 offers in 7 days, segment)',
    });
    // A customer of the same segment who prefers SMS for offers gets SMS: preference before rate.
    const prefersSms = await customer(['EMAIL', 'SMS'], segment);
    await prefersSms.gql(PREFER, { input: { type: 'OFFERS', channels: ['SMS'] } });
    const theirs = await decide(either, prefersSms.id);
    const own = (await decisionsOf(prefersSms.id)).find((d) => d.id === theirs.decisionId) as Row;
    expect(own.channel).toBe('SMS');
    expect(own.reasons.find((r) => r.code === 'CHANNEL')?.message).toBe(
      'SMS: preferred by the customer; response rate 0% (0 accepted, 0 declined of 3 offers in 7 days, segment)',
    );
    await settings({ channelMinSample: 20 });
  });
});

describe('declines', () => {
  it('a dismissed offer counts as declined on its channel, lowering its rate below one that was only ignored', async () => {
    await settings({ channelMinSample: 3 });
    const segment = `seg-${randomUUID().slice(0, 8)}`;
    const c = await customer(['EMAIL', 'SMS'], segment);
    const [smsOnly, emailOnly, either] = [await customType(staff), await customType(staff), await customType(staff)];
    await decisionRule(staff, { eventType: smsOnly, channels: ['SMS'] });
    await decisionRule(staff, { eventType: emailOnly, channels: ['EMAIL'] });
    await decisionRule(staff, { eventType: either, channels: ['SMS', 'EMAIL'] });
    for (let i = 0; i < 3; i++) {
      await decide(smsOnly, c.id);
      await decide(emailOnly, c.id);
    }
    const sent = await decisionsOf(c.id);
    const DISMISS = 'mutation ($id: ID!) { offerDismiss(input: { id: $id }) { offer { status } userErrors { code } } }';
    // One accepted on each channel; the other two SMS offers declined, the email ones left alone.
    const [smsAccepted, ...smsDeclined] = sent.filter((d) => d.channel === 'SMS');
    const [emailAccepted] = sent.filter((d) => d.channel === 'EMAIL');
    for (const d of [smsAccepted, emailAccepted]) await c.gql(ACCEPT, { id: d.offer_id });
    for (const d of smsDeclined) {
      expect((await c.gql(DISMISS, { id: d.offer_id })).body.data?.offerDismiss.offer.status).toBe('DISMISSED');
      await c.gql(DISMISS, { id: d.offer_id });
    }
    // Accepted, then cleared away: still an accept, not a decline.
    await c.gql(DISMISS, { id: emailAccepted.offer_id });
    const RATES = 'query ($s: String) { decisionChannelRates(segment: $s) { channel sent responded declined rate } }';
    const rates = (await staff(RATES, { s: segment })).body.data?.decisionChannelRates;
    expect(rates).toContainEqual({ channel: 'EMAIL', sent: 3, responded: 1, declined: 0, rate: 1 / 3 });
    expect(rates).toContainEqual({ channel: 'SMS', sent: 3, responded: 1, declined: 2, rate: -1 / 3 });
    // The same accepts, but SMS's customers said no: email wins although SMS comes first in the rule.
    const ranked = await decide(either, c.id);
    const chosen = (await decisionsOf(c.id)).find((d) => d.id === ranked.decisionId) as Row;
    expect(chosen.channel).toBe('EMAIL');
    await settings({ channelMinSample: 20 });
  });
});

describe("the brand's daily budget in money", () => {
  it('each action spends its rule’s cost; one that would go over the budget is NO_ACTION with BRAND_BUDGET', async () => {
    const badCost = await staff(RULE_CREATE, {
      input: {
        name: 'Too precise',
        eventType: 'RECHARGE',
        action: { kind: 'MESSAGE', template: { title: 't', message: 'm' }, cost: '1.005' },
      },
    });
    expect(badCost.body.data?.decisionRuleCreate.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID', field: ['input', 'action', 'cost'] }),
    ]);
    const type = await customType(staff);
    await decisionRule(staff, {
      eventType: type,
      channels: ['INBOX'],
      action: { kind: 'OFFER', template: { title: 'Paid', message: 'For {{name}}' }, cost: '2.50' },
    });
    const people = [await customer([]), await customer([]), await customer([])];
    const before = (await staff(SETTINGS)).body.data?.decisionSettings;
    const budget = (Number(before.spentToday) + 5).toFixed(2);
    expect(await settings({ dailyBudget: budget })).toMatchObject({ dailyBudget: budget, spentToday: before.spentToday });
    try {
      const res = await ingest(INGEST, { events: people.map((p) => event(type, p.id)) });
      const outcomes = ((res.body.data?.eventsIngest.results ?? []) as { outcome: string }[]).map((r) => r.outcome).sort();
      expect(outcomes).toEqual(['ACTION', 'ACTION', 'NO_ACTION']);
      const refused = (await Promise.all(people.map((p) => decisionsOf(p.id)))).flat().find((d) => d.outcome === 'NO_ACTION') as Row;
      expect(refused.reasons.find((r) => r.code === 'BRAND_BUDGET')?.message).toContain('this action costs 2.50');
      expect((await staff(SETTINGS)).body.data?.decisionSettings.spentToday).toBe(budget);
    } finally {
      await settings({ dailyBudget: null });
    }
    expect(await decide(type, people[0].id)).toMatchObject({ outcome: 'ACTION' });
  });
});

describe("the brand's daily budget", () => {
  it('staff set it; concurrent events never take more; when spent an event is NO_ACTION with the reason', async () => {
    const bad = await staff(SETTINGS_SET, { input: { version: 0, dailyActionCap: -1 } });
    expect(bad.body.data?.decisionSettingsSet.userErrors.map((e: { field: string[] }) => e.field)).toContainEqual([
      'input',
      'dailyActionCap',
    ]);
    const before = (await staff(SETTINGS)).body.data?.decisionSettings;
    const stale = await staff(SETTINGS_SET, { input: { version: before.version + 7, dailyActionCap: 5 } });
    expect(stale.body.data?.decisionSettingsSet.userErrors).toEqual([{ code: 'CONFLICT', field: ['input', 'version'] }]);

    const type = await customType(staff);
    await decisionRule(staff, { eventType: type, channels: ['INBOX'] });
    const people = [await customer([]), await customer([]), await customer([])];
    const set = await settings({ dailyActionCap: before.actionsToday + 2 });
    expect(set).toMatchObject({ dailyActionCap: before.actionsToday + 2, actionsToday: before.actionsToday });
    const res = await ingest(INGEST, { events: people.map((p) => event(type, p.id)) });
    const outcomes = ((res.body.data?.eventsIngest.results ?? []) as { outcome: string }[]).map((r) => r.outcome).sort();
    expect(outcomes).toEqual(['ACTION', 'ACTION', 'NO_ACTION']);
    const refused = (await Promise.all(people.map((p) => decisionsOf(p.id)))).flat().find((d) => d.outcome === 'NO_ACTION') as Row;
    expect(refused.reasons.map((r) => r.code)).toContain('BRAND_BUDGET');
    expect((await staff(SETTINGS)).body.data?.decisionSettings.actionsToday).toBe(before.actionsToday + 2);
    // Lifted: the next event acts again.
    await settings({ dailyActionCap: null });
    expect(await decide(type, people[0].id)).toMatchObject({ outcome: 'ACTION' });
  });
});

describe('internal events', () => {
  it('a resolved ticket enters decisioning as TICKET_RESOLVED, decided once by its bus event id', async () => {
    const c = await customer(['EMAIL']);
    await decisionRule(staff, {
      eventType: 'TICKET_RESOLVED',
      conditions: [{ subject: 'SEGMENT', op: 'IN', values: [c.segment] }],
      channels: ['INBOX'],
    });
    const created = await staff(
      'mutation ($input: TicketCreateInput!) { ticketCreate(input: $input) { ticket { id version } userErrors { code } } }',
      { input: { customerId: c.id, category: 'NETWORK', subject: 'Slow', description: 'Evenings' } },
    );
    const ticket = created.body.data?.ticketCreate.ticket;
    const moved = await staff(
      'mutation ($input: TicketTransitionInput!) { ticketTransition(input: $input) { ticket { status } userErrors { code } } }',
      { input: { id: ticket.id, version: ticket.version, to: 'RESOLVED', resolution: 'Reset the line' } },
    );
    expect(moved.body.data?.ticketTransition.ticket.status).toBe('RESOLVED');
    await until(async () => (await decisionsOf(c.id)).length > 0, 'a decision for the resolved ticket');
    const rows = (await dbRows(
      stack,
      'promotion',
      'select producer, event_type, outcome from "promotion"."decision" where customer_id = ?',
      [c.id],
    )) as { producer: string; event_type: string; outcome: string }[];
    expect(rows).toEqual([{ producer: 'dcrm.bus', event_type: 'TICKET_RESOLVED', outcome: 'ACTION' }]);
  });

  it('a product view heard twice is decided once', async () => {
    const c = await customer([]);
    await decisionRule(staff, {
      eventType: 'PRODUCT_VIEWED',
      conditions: [{ subject: 'SEGMENT', op: 'IN', values: [c.segment] }],
      channels: ['INBOX'],
    });
    const viewed: ProductViewedEvent = {
      eventId: randomUUID(),
      storefrontId: (await dbRows(stack, 'customer', 'select storefront_id from "customer"."customer" where id = ?', [c.id])).map(
        (r) => (r as { storefront_id: string }).storefront_id,
      )[0],
      customerId: c.id,
      productId: randomUUID(),
      at: new Date().toISOString(),
    };
    await stack.bus.publish(EVENTS.productViewed, viewed);
    await stack.bus.publish(EVENTS.productViewed, viewed);
    await until(async () => (await decisionsOf(c.id)).length > 0, 'a decision for the product view');
    // Both deliveries are handled by now (a second decision would be in by the time of the offer).
    await until(
      async () => (await dbRows(stack, 'promotion', 'select 1 from "promotion"."offer" where customer_id = ?', [c.id])).length > 0,
      'the offer',
    );
    const rows = await decisionsOf(c.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ event_id: viewed.eventId, outcome: 'ACTION' });
  });

  it('a dismissed offer enters decisioning as OFFER_DISMISSED, once: a rule on it makes the next offer', async () => {
    const c = await customer([]);
    const type = await customType(staff);
    await decisionRule(staff, { eventType: type, channels: ['INBOX'] });
    await decisionRule(staff, {
      eventType: 'OFFER_DISMISSED',
      conditions: [
        { subject: 'SEGMENT', op: 'IN', values: [c.segment] },
        { subject: 'PAYLOAD', key: 'source', op: 'IN', values: ['REAL_TIME'] },
      ],
      channels: ['INBOX'],
    });
    const first = await decide(type, c.id);
    const [made] = await decisionsOf(c.id);
    expect(made.id).toBe(first.decisionId);
    const DISMISS = 'mutation ($id: ID!) { offerDismiss(input: { id: $id }) { offer { status } userErrors { code } } }';
    expect((await c.gql(DISMISS, { id: made.offer_id })).body.data?.offerDismiss.offer.status).toBe('DISMISSED');
    await c.gql(DISMISS, { id: made.offer_id });
    await until(async () => (await decisionsOf(c.id)).length > 1, 'a decision for the dismissed offer');
    const answered = (await dbRows(
      stack,
      'promotion',
      `select producer, event_id, outcome, offer_id from "promotion"."decision" where customer_id = ? and event_type = 'OFFER_DISMISSED'`,
      [c.id],
    )) as { producer: string; event_id: string; outcome: string; offer_id: string }[];
    expect(answered).toEqual([
      { producer: 'dcrm.bus', event_id: `${made.offer_id}:DISMISSED`, outcome: 'ACTION', offer_id: expect.any(String) },
    ]);
    expect(answered[0].offer_id).not.toBe(made.offer_id);
  });
});
