import { type EventBus, offerChannels } from '@dcrm/kit';
import { describe, expect, it } from 'vitest';
import { publishOffers } from './offers.js';

/** A bus that records publishes and answers `listenersOf` from a fixed set of listened channels. */
function recordingBus(listened: string[], opts: { failAsk?: boolean } = {}) {
  const published: string[] = [];
  const asked: string[][] = [];
  const bus: EventBus = {
    publish: async (channel) => {
      published.push(channel);
    },
    subscribe: async () => async () => {},
    close: async () => {},
    listenersOf: async (channels) => {
      asked.push([...channels]);
      if (opts.failAsk) throw new Error('Redis away');
      return channels.map((c) => (listened.includes(c) ? 1 : 0));
    },
  };
  return { bus, published, asked };
}

const offer = (n: number, customerId: string | null = `c${n}`) => ({ offerId: `o${n}`, storefrontId: 's1', customerId });

describe('publishOffers', () => {
  it('publishes a batch only on the channels someone listens on, asking once', async () => {
    const { bus, published, asked } = recordingBus([offerChannels.customer('c2'), offerChannels.storefront('s1')]);
    await publishOffers(bus, [offer(1), offer(2), offer(3), offer(4, null)]);
    expect(asked).toHaveLength(1);
    expect(published).toEqual([offerChannels.customer('c2'), offerChannels.storefront('s1')]);
  });

  it('publishes a single offer without asking', async () => {
    const { bus, published, asked } = recordingBus([]);
    await publishOffers(bus, [offer(1)]);
    expect(asked).toEqual([]);
    expect(published).toEqual([offerChannels.customer('c1')]);
  });

  it('publishes every offer of the batch when the ask fails', async () => {
    const { bus, published } = recordingBus([], { failAsk: true });
    await publishOffers(bus, [offer(1), offer(2)]);
    expect(published).toEqual([offerChannels.customer('c1'), offerChannels.customer('c2')]);
  });
});
