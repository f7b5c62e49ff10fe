import { randomUUID } from 'node:crypto';
import { memoryBus, type Peers } from '@dcrm/kit';
import { afterEach, describe, expect, it } from 'vitest';
import type { PromotionServices } from '../services.js';
import { profileCache } from './profiles.js';

/** A customer subgraph that knows every mobile it is asked for, counting the mobiles asked. */
function customerPeer() {
  const asked: string[] = [];
  const peers = (() => ({
    name: 'customer',
    execute: async (request: { variables?: { mobiles?: string[] } }) => {
      const mobiles = request.variables?.mobiles ?? [];
      asked.push(...mobiles);
      const accounts = mobiles.map((mobile) => ({
        id: `id-${mobile}`,
        name: mobile,
        segment: 'prepaid',
        partner: null,
        consents: [],
        notificationPreferences: [],
        email: `${mobile.slice(1)}@example.com`,
        mobile,
      }));
      return { data: { _customersByIdentity: accounts } };
    },
  })) as unknown as Peers;
  return { peers, asked };
}

const BRAND = randomUUID();
const caches: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of caches.splice(0)) await c.close();
});

function cacheOf(maxEntries: number) {
  const customer = customerPeer();
  const services = { peers: customer.peers, bus: memoryBus() } as unknown as PromotionServices;
  const cache = profileCache(services, undefined, '', maxEntries);
  caches.push(cache);
  return { cache, asked: customer.asked };
}
const events = (...mobiles: string[]) => mobiles.map((msisdn) => ({ storefrontId: BRAND, identity: { msisdn } }));
const ids = (profiles: ({ customerId: string } | null)[]) => profiles.map((p) => p?.customerId ?? null);

describe('the profile cache of a process', () => {
  it('answers a batch’s hits even when the batch’s own misses fill the cache past its size', async () => {
    const { cache, asked } = cacheOf(10);
    const first = Array.from({ length: 10 }, (_, i) => `+3538700000${i}`);
    await cache.resolve(events(...first));
    // The oldest entry is a hit; the new numbers evict the oldest entries as they are remembered.
    const later = ['+35387000100', '+35387000101'];
    const profiles = await cache.resolve(events(first[0], ...later));
    expect(ids(profiles)).toEqual([`id-${first[0]}`, ...later.map((m) => `id-${m}`)]);
    expect(asked).toEqual([...first, ...later]);
  });

  it('stays within its size, evicting the least recently fetched first', async () => {
    const { cache, asked } = cacheOf(10);
    const numbers = Array.from({ length: 25 }, (_, i) => `+353870001${String(i).padStart(2, '0')}`);
    for (const n of numbers) await cache.resolve(events(n));
    asked.length = 0;
    // The newest numbers are still cached; the first ones went and are asked for again.
    await cache.resolve(events(...numbers.slice(-5)));
    expect(asked).toEqual([]);
    await cache.resolve(events(numbers[0]));
    expect(asked).toEqual([numbers[0]]);
  });
});
