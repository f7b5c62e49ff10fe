import { type ChannelCounts, type ChannelStats, RATE_DAYS } from './brand-store.js';
import type { DecisionChannel, Profile } from './types.js';

/** Which notification channel needs which marketing consent (the inbox needs none). */
const CONSENT: Partial<Record<DecisionChannel, string>> = { EMAIL: 'EMAIL', SMS: 'SMS', PUSH: 'PUSH' };

/** A channel to try, with why it ranks where it does (recorded with the decision when it is the one used). */
export type RankedChannel = { readonly channel: DecisionChannel; readonly why: string };

/** The counts a channel's response rate is measured on: its segment's when they are sample enough, else the brand's; null when neither is. */
function measured(stats: ChannelStats, channel: DecisionChannel, minSample: number): ChannelCounts | null {
  const segment = stats.segment.get(channel);
  if (segment && segment.sent >= minSample) return segment;
  const brand = stats.brand.get(channel);
  return brand && brand.sent >= minSample ? brand : null;
}

/** A channel's net response rate: offers accepted less offers declined, over offers sent (a decline is a delivered, negative answer). */
export const netRate = (c: ChannelCounts) => (c.responded - c.declined) / c.sent;
const percent = (c: ChannelCounts) => `${Math.round(100 * netRate(c))}%`;

/**
 * A ranked channel whose `why` is written when it is read: only the channel used is recorded with its
 * decision, and writing the text of every candidate channel cost more than ranking them.
 */
class Ranked implements RankedChannel {
  constructor(
    readonly channel: DecisionChannel,
    readonly group: number,
    readonly rate: number,
    private readonly standing: string,
    private readonly counts: ChannelCounts | null,
    private readonly scope: string,
    private readonly minSample: number,
  ) {}

  get why(): string {
    if (this.channel === 'LIVE') return 'LIVE: the customer is connected';
    const c = this.counts;
    const how = c
      ? `response rate ${percent(c)} (${c.responded} accepted, ${c.declined} declined of ${c.sent} offers in ${RATE_DAYS} days, ${this.scope})`
      : `not measured yet (under ${this.minSample} offers in ${RATE_DAYS} days): tried to learn its response rate`;
    return `${this.channel}: ${this.standing}; ${how}`;
  }
}

/**
 * The channels a rule's action may go out on for this customer, in the order to try:
 * 1. LIVE first when the customer is connected (the offer is seen at once);
 * 2. then the rule's other channels the customer may receive — PUSH, SMS and EMAIL with their marketing
 *    consent, the INBOX always — those the customer prefers for offers (their OFFERS preference) ahead
 *    of the rest;
 * 3. within each of those two groups, channels not yet measured (fewer than `minSample` offers sent on
 *    them in the last RATE_DAYS days, in the customer's segment and in the whole brand) first, in the
 *    rule's order, so every channel gets the sample its rate needs; then the measured ones by response
 *    rate (offers accepted less offers declined, ÷ sent, of the segment when it has the sample, else of the brand), highest
 *    first, the rule's order breaking ties.
 * Caps per channel are checked by arbitration, which takes the first channel still under its cap.
 */
export function channelOrder(
  ruleChannels: readonly string[],
  profile: Profile,
  connected: boolean,
  stats: ChannelStats,
  minSample: number,
): RankedChannel[] {
  const ranked: Ranked[] = [];
  for (const ch of ruleChannels as DecisionChannel[]) {
    if (ch === 'LIVE') {
      if (connected) ranked.push(new Ranked(ch, 0, 0, '', null, '', minSample));
      continue;
    }
    const consent = CONSENT[ch];
    if (ch !== 'INBOX' && (consent === undefined || !profile.consents.includes(consent))) continue;
    const preferred = profile.preferred.includes(ch);
    const standing = preferred ? 'preferred by the customer' : ch === 'INBOX' ? 'needs no consent' : 'consented to';
    const counts = measured(stats, ch, minSample);
    // Unmeasured channels rank above every rate (2 > 1 ≥ any net rate) within their group, in the rule's order.
    const rate = counts ? netRate(counts) : 2;
    const scope = counts === stats.segment.get(ch) ? 'segment' : 'brand';
    ranked.push(new Ranked(ch, preferred ? 1 : 2, rate, standing, counts, scope, minSample));
  }
  // A stable sort keeps the rule's own order among equals.
  return ranked.sort((a, b) => a.group - b.group || b.rate - a.rate);
}
