import { fromMinor } from '@dcrm/kit';
import type { ChannelStats } from './brand-store.js';
import { channelOrder, type RankedChannel } from './channels.js';
import type { RuleView } from './rules.js';
import { dayOf, type HotStore, type Reservation, type ReserveAnswer } from './store.js';
import type { DecisionChannel, Profile, Reason } from './types.js';

export type Winner = {
  rule: RuleView;
  channel: DecisionChannel;
  /** What the action holds under its event (caps, budgets, its cost to the brand): given back if it is not recorded. */
  reservation: Reservation;
};

/** What arbitration reads and reserves beyond the rules, for one event: the hot store, the brand's settings, its channels' counts. */
export type Arbiter = {
  store: HotStore;
  storefrontId: string;
  /** The event decided (eventKey): its reservation is kept under it, so deciding it again reuses it. */
  eventKey: string;
  /** The brand's daily caps across all its rules: actions and spend (minor units); null: none. */
  dailyActionCap: number | null;
  dailyBudgetMinor: number | null;
  stats: ChannelStats;
  minSample: number;
};

const CAP_MESSAGES = {
  DAILY_CAP: 'the customer reached the daily contact cap',
  CHANNEL_CAP: 'the channel reached its daily cap',
  COOLDOWN: 'the rule is cooling down for this customer',
  BUDGET: 'the rule spent its budget',
} as const;

/** Gives back what a winner reserved (its decision was not recorded). */
export async function releaseWinner(a: Pick<Arbiter, 'store'>, winner: Winner): Promise<void> {
  await a.store.release(winner.reservation);
}

/** What an action of `rule` on `channel` for the customer reserves under the event (the brand's caps from `a`). */
export const reservationOf = (
  a: Pick<Arbiter, 'storefrontId' | 'eventKey' | 'dailyActionCap' | 'dailyBudgetMinor'>,
  rule: RuleView,
  channel: DecisionChannel,
  customerId: string,
  nowMs: number,
): Reservation => ({
  eventKey: a.eventKey,
  storefrontId: a.storefrontId,
  customerId,
  ruleId: rule.id,
  channel,
  day: dayOf(nowMs),
  dailyCap: rule.dailyCap,
  channelDailyCap: rule.channelDailyCap,
  cooldownMs: rule.cooldownMinutes * 60_000,
  budget: rule.budget ?? null,
  nowMs,
  brandActionCap: a.dailyActionCap,
  brandBudgetMinor: a.dailyBudgetMinor,
  costMinor: rule.action.costMinor ?? 0,
});

const brandLimit = (a: Arbiter, cost: number) =>
  [
    a.dailyActionCap === null ? null : `${a.dailyActionCap} actions`,
    a.dailyBudgetMinor === null ? null : `${fromMinor(a.dailyBudgetMinor)} (this action costs ${fromMinor(cost)})`,
  ]
    .filter(Boolean)
    .join(', ');

/** One event's candidates, asked of the store in one step: per ranked rule, its channels in order and their reservations. */
export type Asked = { ranked: readonly RuleView[]; channels: RankedChannel[][]; candidates: Reservation[][] };

/** The (rule, channel) candidates of one event, best first (see `arbitrate`). */
export function candidatesOf(a: Arbiter, ranked: readonly RuleView[], profile: Profile, connected: boolean, nowMs: number): Asked {
  const channels: RankedChannel[][] = [];
  const candidates: Reservation[][] = [];
  for (const rule of ranked) {
    const order = channelOrder(rule.channels, profile, connected, a.stats, a.minSample);
    const usable = rule.action.kind === 'MESSAGE' ? order.filter((ch) => ch.channel !== 'LIVE') : order;
    channels.push(usable);
    candidates.push(usable.map(({ channel }) => reservationOf(a, rule, channel, profile.customerId, nowMs)));
  }
  return { ranked, channels, candidates };
}

/**
 * The store's answers (the candidates it tried, in order: firstReserved) read back into the winner, if
 * any, and a reason for every rule passed over — the winner's with why its channel was chosen.
 */
export function outcomeOf(a: Arbiter, asked: Asked, answers: readonly ReserveAnswer[], reasons: Reason[]): Winner | null {
  let tried = 0;
  for (const [n, rule] of asked.ranked.entries()) {
    const channels = asked.channels[n];
    if (channels.length === 0) {
      reasons.push({ ruleId: rule.id, code: 'NO_CHANNEL', message: `${rule.name}: no channel the customer consented to` });
      continue;
    }
    let lastRefusal: keyof typeof CAP_MESSAGES | null = null;
    for (const [c, ranked] of channels.entries()) {
      const answer = answers[tried++];
      if (answer === undefined) break;
      if (answer === 'BRAND_BUDGET') {
        const costMinor = rule.action.costMinor ?? 0;
        reasons.push({
          ruleId: rule.id,
          code: 'BRAND_BUDGET',
          message: `${rule.name}: the brand spent its daily budget (${brandLimit(a, costMinor)})`,
        });
        return null;
      }
      if (answer === 'OK') {
        reasons.push({
          ruleId: rule.id,
          code: 'WON',
          message: `${rule.name}: best matching rule (priority ${rule.priority}, score ${Number(rule.score)}) within its caps, on ${ranked.channel}`,
        });
        // Only the winner's channel says why it was chosen (channels.ts writes that text when it is read).
        reasons.push({ ruleId: rule.id, code: 'CHANNEL', message: ranked.why });
        return { rule, channel: ranked.channel, reservation: asked.candidates[n][c] };
      }
      lastRefusal = answer;
      // Only a channel's own cap leaves other channels worth trying (the store moved on the same way).
      if (answer !== 'CHANNEL_CAP') break;
    }
    if (lastRefusal) reasons.push({ ruleId: rule.id, code: lastRefusal, message: `${rule.name}: ${CAP_MESSAGES[lastRefusal]}` });
  }
  return null;
}

/**
 * Picks one best action, or none. Candidates come best first (rules.ts); for each, its channels in
 * order for this customer (channels.ts), and the first (rule, channel) whose caps the hot store
 * reserves atomically wins — so concurrent events of one customer, on any number of instances, never
 * exceed a cap. The brand's daily caps (actions, and spend: each action costs its rule's `costMinor`)
 * are checked in the same step: when the brand's day is spent, nothing wins (BRAND_BUDGET). The
 * reservation is held under the event, so an event decided again after a crash reuses its own
 * reservation rather than counting twice. Every loser and the winner leave a reason, and the winner's
 * channel why it was chosen. One store call tries every candidate (`reserveFirst`); a batch asks for
 * all its events at once (choose.ts).
 */
export async function arbitrate(
  a: Arbiter,
  ranked: readonly RuleView[],
  profile: Profile,
  connected: boolean,
  nowMs: number,
  reasons: Reason[],
): Promise<Winner | null> {
  const asked = candidatesOf(a, ranked, profile, connected, nowMs);
  const [answers] = await a.store.reserveFirst([asked.candidates]);
  return outcomeOf(a, asked, answers, reasons);
}
