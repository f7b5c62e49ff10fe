import { describe, expect, it } from 'vitest';
import { redisAnswers, redisBus } from './bus.js';

const url = process.env.REDIS_URL;
const reachable = await redisAnswers(url);
if (!reachable) console.warn(`redis bus specs skipped: ${url ? `Redis at ${url} does not answer` : 'REDIS_URL is not set'}`);

describe.skipIf(!reachable)('redis bus (needs a reachable REDIS_URL)', () => {
  it('delivers to this process at once and to other processes through Redis, once each', async () => {
    const a = redisBus(url as string);
    const b = redisBus(url as string);
    const channel = `dcrm.test.${Date.now()}`;
    const heardA: unknown[] = [];
    const heardB: unknown[] = [];
    await a.subscribe(channel, (p) => heardA.push(p));
    await b.subscribe(channel, (p) => heardB.push(p));
    await a.publish(channel, { n: 1 });
    expect(heardA).toEqual([{ n: 1 }]); // synchronously, before publish returned
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heardA).toEqual([{ n: 1 }]); // no echo
    expect(heardB).toEqual([{ n: 1 }]);
    await a.close();
    await b.close();
  });

  it('a second handler of a channel being subscribed returns only once Redis confirmed the subscription', async () => {
    const a = redisBus(url as string);
    const b = redisBus(url as string);
    const channel = `dcrm.test.second.${Date.now()}`;
    const heard: unknown[] = [];
    void a.subscribe(channel, () => {});
    await a.subscribe(channel, (p) => heard.push(p));
    await b.publish(channel, { n: 2 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heard).toEqual([{ n: 2 }]);
    await a.close();
    await b.close();
  });
});
