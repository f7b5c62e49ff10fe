import { describe, expect, it } from 'vitest';
import type { ChannelCounts, ChannelStats } from './brand-store.js';
import { channelOrder } from './channels.js';
import type { DecisionChannel, Profile } from './types.js';

const profile = (consents: string[], preferred: string[] = []): Profile => ({
  customerId: 'c',
  name: 'A',
  segment: 'consumer',
  partnerId: null,
  consents,
  preferred,
});
type Counts = Partial<Record<DecisionChannel, [number, number] | [number, number, number]>>;
const stats = (segment: Counts = {}, brand: Counts = {}): ChannelStats => {
  const map = (c: Counts) =>
    new Map(
      Object.entries(c).map(([ch, [sent, responded, declined = 0]]) => [
        ch as DecisionChannel,
        { sent, responded, declined } as ChannelCounts,
      ]),
    );
  return { segment: map(segment), brand: map(brand) };
};
const order = (...args: Parameters<typeof channelOrder>) => channelOrder(...args).map((c) => c.channel);
const ALL = ['LIVE', 'PUSH', 'SMS', 'EMAIL', 'INBOX'];

describe('channel choice', () => {
  it('live first when connected; then consented channels, preferred first; the inbox always', () => {
    const p = profile(['SMS'], ['SMS']);
    expect(order(['LIVE', 'EMAIL', 'SMS', 'INBOX'], p, true, stats(), 20)).toEqual(['LIVE', 'SMS', 'INBOX']);
    expect(order(['LIVE', 'EMAIL', 'PUSH', 'INBOX'], p, false, stats(), 20)).toEqual(['INBOX']);
    expect(order(ALL, profile(['PUSH', 'EMAIL']), false, stats(), 20)).toEqual(['PUSH', 'EMAIL', 'INBOX']);
  });

  it('measured channels rank by response rate, the segment’s when it has the sample, else the brand’s', () => {
    const p = profile(['SMS', 'EMAIL', 'PUSH']);
    const measured = stats({ SMS: [40, 2], EMAIL: [40, 8] }, { PUSH: [100, 10], INBOX: [100, 1], EMAIL: [1000, 1] });
    expect(order(ALL, p, false, measured, 20)).toEqual(['EMAIL', 'PUSH', 'SMS', 'INBOX']);
    const ranked = channelOrder(ALL, p, false, measured, 20);
    expect(ranked[0].why).toBe('EMAIL: consented to; response rate 20% (8 accepted, 0 declined of 40 offers in 7 days, segment)');
    expect(ranked[1].why).toContain('10 accepted, 0 declined of 100 offers in 7 days, brand');
  });

  it('declines count against a channel: accepted less declined, over sent', () => {
    const p = profile(['SMS', 'EMAIL']);
    // The same accepts; SMS's customers declined 6 of their offers, EMAIL's let theirs lapse.
    const measured = stats({ SMS: [40, 8, 6], EMAIL: [40, 8] });
    const ranked = channelOrder(['SMS', 'EMAIL'], p, false, measured, 20);
    expect(ranked.map((c) => c.channel)).toEqual(['EMAIL', 'SMS']);
    expect(ranked[1].why).toContain('response rate 5% (8 accepted, 6 declined of 40 offers');
  });

  it('preference comes before rate; a channel under the sample is tried first, in the rule’s order', () => {
    const p = profile(['SMS', 'EMAIL'], ['SMS']);
    const measured = stats({ SMS: [40, 1], EMAIL: [40, 20], INBOX: [40, 30] });
    expect(order(ALL, p, false, measured, 20)).toEqual(['SMS', 'INBOX', 'EMAIL']);
    // PUSH has 5 of the 20 offers it needs: it goes first among the unpreferred, to learn its rate.
    const learning = stats({ SMS: [40, 1], EMAIL: [40, 20], INBOX: [40, 30], PUSH: [5, 0] });
    const ranked = channelOrder(ALL, profile(['SMS', 'EMAIL', 'PUSH'], ['SMS']), false, learning, 20);
    expect(ranked.map((c) => c.channel)).toEqual(['SMS', 'PUSH', 'INBOX', 'EMAIL']);
    expect(ranked[1].why).toContain('not measured yet');
    // Ties keep the rule's order.
    expect(order(['EMAIL', 'SMS'], profile(['SMS', 'EMAIL']), false, stats({ SMS: [20, 5], EMAIL: [20, 5] }), 20)).toEqual([
      'EMAIL',
      'SMS',
    ]);
  });
});
