import { newId, offerChannels } from '@dcrm/kit';
import { type Arbiter, candidatesOf, outcomeOf, type Winner } from './arbitrate.js';
import type { ChannelStats } from './brand-store.js';
import type { Decisioning } from './decide.js';
import type { DecisionRow } from './recorder.js';
import { candidates, type RuleView } from './rules.js';
import type { Features, Profile, Reason, ValidEvent } from './types.js';

/** One event of a batch on its way through the decision path (`i`: its place in the batch). */
export type Working = {
  i: number;
  event: ValidEvent;
  key: string;
  profile: Profile;
  features?: Features;
  winner?: Winner | null;
  reasons: Reason[];
};

// One object for every event without a match (the recorder serialises it once).
const NO_MATCH: Reason = { ruleId: null, code: 'NO_MATCH', message: 'No rule matched: no action' };
const ALL_CAPPED: Reason = { ruleId: null, code: 'ALL_CAPPED', message: 'Every matching rule was capped: no action' };

/** Whether each customer has a live-offer subscription open on some router: one `PUBSUB NUMSUB` for the batch. */
async function connectedOf(d: Decisioning, customerIds: string[]): Promise<boolean[]> {
  if (customerIds.length === 0) return [];
  const bus = d.services.bus;
  const channels = customerIds.map((id) => offerChannels.customer(id));
  const counts = bus.listenersOf
    ? await bus.listenersOf(channels)
    : await Promise.all(channels.map(async (c) => (await bus.listeners?.(c)) ?? 0));
  return counts.map((n) => n > 0);
}

/**
 * Steps 4–5 of a batch (decide.ts): match each claimed event against its brand's rules, ask once for
 * the batch which customers are connected, then arbitrate the ones with candidates — each winner's
 * reservation taken in the hot store and the event pushed onto `reserved` (given back if the batch
 * fails). Leaves `winner` (null: NO_ACTION) and the reasons on every event.
 */
export async function choose(d: Decisioning, claimed: Working[], nowMs: number, reserved: Working[]): Promise<void> {
  const asking: { w: Working; ranked: RuleView[] }[] = [];
  for (const w of claimed) {
    const { ranked, reasons } = candidates(d.rules.rules(w.event.storefrontId), {
      event: w.event,
      features: w.features as Features,
      profile: w.profile,
    });
    for (const reason of reasons) w.reasons.push(reason);
    if (ranked.length) asking.push({ w, ranked });
    else {
      w.reasons.push(NO_MATCH);
      w.winner = null;
    }
  }
  const connected = await connectedOf(
    d,
    asking.map(({ w }) => w.profile.customerId),
  );
  // Channel counts once per (brand, segment) of the batch, not an await per event.
  const counts = new Map<string, Promise<ChannelStats>>();
  const keys = asking.map(({ w }) => {
    const key = `${w.event.storefrontId}\n${w.profile.segment}`;
    if (!counts.has(key)) counts.set(key, d.brands.stats(w.event.storefrontId, w.profile.segment, nowMs));
    return key;
  });
  const statsOf = new Map<string, ChannelStats>();
  await Promise.all([...counts].map(async ([key, stats]) => statsOf.set(key, await stats)));
  const asked = asking.map(({ w, ranked }, n) => {
    const storefrontId = w.event.storefrontId;
    const { dailyActionCap, dailyBudgetMinor, channelMinSample: minSample } = d.rules.settings(storefrontId);
    const stats = statsOf.get(keys[n]) as ChannelStats;
    const arbiter: Arbiter = { store: d.store, storefrontId, eventKey: w.key, dailyActionCap, dailyBudgetMinor, stats, minSample };
    return { arbiter, asked: candidatesOf(arbiter, ranked, w.profile, connected[n], nowMs) };
  });
  // One store call reserves for the whole batch, its events in order.
  const answers = await d.store.reserveFirst(asked.map((x) => x.asked.candidates));
  for (const [n, { w }] of asking.entries()) {
    w.winner = outcomeOf(asked[n].arbiter, asked[n].asked, answers[n], w.reasons);
    if (w.winner) reserved.push(w);
    else w.reasons.push(ALL_CAPPED);
  }
}

/** The decision row of a chosen event (step 6): ACTION with its rule, channel and a new offer id, or NO_ACTION. */
export function rowOf(w: Working, decidedAt: Date): DecisionRow {
  const winner = w.winner ?? null;
  return {
    id: newId(),
    storefrontId: w.event.storefrontId,
    producer: w.event.producer,
    eventId: w.event.eventId,
    eventType: w.event.type,
    customerId: w.profile.customerId,
    segment: w.profile.segment,
    partnerId: w.profile.partnerId,
    occurredAt: w.event.occurredAt,
    outcome: winner ? 'ACTION' : 'NO_ACTION',
    ruleId: winner?.rule.id ?? null,
    actionKind: winner?.rule.action.kind ?? null,
    channel: winner?.channel ?? null,
    offerId: winner && winner.rule.action.kind !== 'MESSAGE' ? newId() : null,
    reasons: w.reasons,
    decidedAt,
  };
}
