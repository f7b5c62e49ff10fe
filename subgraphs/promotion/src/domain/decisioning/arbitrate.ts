import type { BrandStore, ChannelStats } from './brand-store.js';
import { channelOrder } from './channels.js';
import type { RuleView } from './rules.js';
import { dayOf, type HotStore, type Reservation } from './store.js';
import type { DecisionChannel, Profile, Reason } from './types.js';

export type Winner = {
  rule: RuleView;
  channel: DecisionChannel;
  reservation: Reservation;
  /** The brand whose daily budget (or count, without a cap) the action was taken from: given back with the reservation. */
  storefrontId: string;
};

/** What arbitration reads and reserves beyond the rules: the hot stores, the brand's settings, its channels' counts. */
export type Arbiter = {
  store: HotStore;
  brands: BrandStore;
  storefrontId: string;
  /** The brand's daily budget of actions across all its rules; null: none. */
  dailyActionCap: number | null;
  stats: ChannelStats;
  minSample: number;
};

const CAP_MESSAGES = {
  DAILY_CAP: 'the customer reached the daily contact cap',
  CHANNEL_CAP: 'the channel reached its daily cap',
  COOLDOWN: 'the rule is cooling down for this customer',
  BUDGET: 'the rule spent its budget',
} as const;

/** Gives back what a winner reserved (its decision turned out to be a duplicate, or was not recorded). */
export async function releaseWinner(a: Pick<Arbiter, 'store' | 'brands'>, winner: Winner): Promise<void> {
  await a.store.release(winner.reservation);
  await a.brands.releaseBudget(winner.storefrontId, winner.reservation.day);
}

/**
 * Picks one best action, or none. Candidates come best first (rules.ts); for each, its channels in
 * order for this customer (channels.ts), and the first (rule, channel) whose caps the hot store
 * reserves atomically wins — so concurrent events of one customer, on any number of instances, never
 * exceed a cap. The brand's daily budget is taken last, atomically too: when it is spent, nothing wins
 * (and the rule's reservation is given back). Every loser and the winner leave a reason, and the
 * winner's channel why it was chosen.
 */
export async function arbitrate(
  a: Arbiter,
  ranked: readonly RuleView[],
  profile: Profile,
  connected: boolean,
  nowMs: number,
  reasons: Reason[],
): Promise<Winner | null> {
  const day = dayOf(nowMs);
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
      const reservation: Reservation = {
        customerId: profile.customerId,
        ruleId: rule.id,
        channel,
        day,
        dailyCap: rule.dailyCap,
        channelDailyCap: rule.channelDailyCap,
        cooldownMs: rule.cooldownMinutes * 60_000,
        budget: rule.budget ?? null,
        nowMs,
      };
      const answer = await a.store.reserve(reservation);
      if (answer === 'OK') {
        // Counted even without a cap, so `actionsToday` is true and a cap set mid-day counts the day's actions.
        if (!(await a.brands.reserveBudget(a.storefrontId, day, a.dailyActionCap))) {
          await a.store.release(reservation);
          reasons.push({
            ruleId: rule.id,
            code: 'BRAND_BUDGET',
            message: `${rule.name}: the brand spent its daily budget of ${a.dailyActionCap} actions`,
          });
          return null;
        }
        reasons.push({
          ruleId: rule.id,
          code: 'WON',
          message: `${rule.name}: best matching rule (priority ${rule.priority}, score ${Number(rule.score)}) within its caps, on ${channel}`,
        });
        reasons.push({ ruleId: rule.id, code: 'CHANNEL', message: why });
        return { rule, channel, reservation, storefrontId: a.storefrontId };
      }
      lastRefusal = answer;
      // Only a channel's own cap leaves other channels worth trying.
      if (answer !== 'CHANNEL_CAP') break;
    }
    if (lastRefusal) reasons.push({ ruleId: rule.id, code: lastRefusal, message: `${rule.name}: ${CAP_MESSAGES[lastRefusal]}` });
  }
  return null;
}
