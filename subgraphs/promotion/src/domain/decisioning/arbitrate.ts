import { fromMinor } from '@dcrm/kit';
import type { ChannelStats } from './brand-store.js';
import { channelOrder } from './channels.js';
import type { RuleView } from './rules.js';
import { dayOf, type HotStore, type Reservation } from './store.js';
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

/**
 * Picks one best action, or none. Candidates come best first (rules.ts); for each, its channels in
 * order for this customer (channels.ts), and the first (rule, channel) whose caps the hot store
 * reserves atomically wins — so concurrent events of one customer, on any number of instances, never
 * exceed a cap. The brand's daily caps (actions, and spend: each action costs its rule's `costMinor`)
 * are checked in the same step: when the brand's day is spent, nothing wins (BRAND_BUDGET). The
 * reservation is held under the event, so an event decided again after a crash reuses its own
 * reservation rather than counting twice. Every loser and the winner leave a reason, and the winner's
 * channel why it was chosen.
 */
export async function arbitrate(
  a: Arbiter,
  ranked: readonly RuleView[],
  profile: Profile,
  connected: boolean,
  nowMs: number,
  reasons: Reason[],
): Promise<Winner | null> {
  for (const rule of ranked) {
    const channels = channelOrder(rule.channels, profile, connected, a.stats, a.minSample).filter(
      (ch) => ch.channel !== 'LIVE' || rule.action.kind !== 'MESSAGE',
    );
    if (channels.length === 0) {
      reasons.push({ ruleId: rule.id, code: 'NO_CHANNEL', message: `${rule.name}: no channel the customer consented to` });
      continue;
    }
    let lastRefusal: keyof typeof CAP_MESSAGES | null = null;
    for (const { channel, why } of channels) {
      const costMinor = rule.action.costMinor ?? 0;
      const reservation = reservationOf(a, rule, channel, profile.customerId, nowMs);
      const answer = await a.store.reserve(reservation);
      if (answer === 'BRAND_BUDGET') {
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
          message: `${rule.name}: best matching rule (priority ${rule.priority}, score ${Number(rule.score)}) within its caps, on ${channel}`,
        });
        reasons.push({ ruleId: rule.id, code: 'CHANNEL', message: why });
        return { rule, channel, reservation };
      }
      lastRefusal = answer;
      // Only a channel's own cap leaves other channels worth trying.
      if (answer !== 'CHANNEL_CAP') break;
    }
    if (lastRefusal) reasons.push({ ruleId: rule.id, code: lastRefusal, message: `${rule.name}: ${CAP_MESSAGES[lastRefusal]}` });
  }
  return null;
}
