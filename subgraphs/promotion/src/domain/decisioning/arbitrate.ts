import { channelOrder } from './channels.js';
import type { RuleView } from './rules.js';
import { dayOf, type HotStore, type Reservation } from './store.js';
import type { DecisionChannel, Profile, Reason } from './types.js';

export type Winner = { rule: RuleView; channel: DecisionChannel; reservation: Reservation };

const CAP_MESSAGES = {
  DAILY_CAP: 'the customer reached the daily contact cap',
  CHANNEL_CAP: 'the channel reached its daily cap',
  COOLDOWN: 'the rule is cooling down for this customer',
  BUDGET: 'the rule spent its budget',
} as const;

/**
 * Picks one best action, or none. Candidates come best first (rules.ts); for each, its channels in
 * order for this customer (channels.ts), and the first (rule, channel) whose caps the hot store
 * reserves atomically wins — so concurrent events of one customer, on any number of instances, never
 * exceed a cap. Every loser and the winner leave a reason.
 */
export async function arbitrate(
  store: HotStore,
  ranked: readonly RuleView[],
  profile: Profile,
  connected: boolean,
  nowMs: number,
  reasons: Reason[],
): Promise<Winner | null> {
  const day = dayOf(nowMs);
  for (const rule of ranked) {
    const channels = channelOrder(rule.channels, profile, connected).filter((ch) => ch !== 'LIVE' || rule.action.kind !== 'MESSAGE');
    if (channels.length === 0) {
      reasons.push({ ruleId: rule.id, code: 'NO_CHANNEL', message: `${rule.name}: no channel the customer consented to` });
      continue;
    }
    let lastRefusal: keyof typeof CAP_MESSAGES | null = null;
    for (const channel of channels) {
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
      const answer = await store.reserve(reservation);
      if (answer === 'OK') {
        reasons.push({
          ruleId: rule.id,
          code: 'WON',
          message: `${rule.name}: best matching rule (priority ${rule.priority}, score ${Number(rule.score)}) within its caps, on ${channel}`,
        });
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
