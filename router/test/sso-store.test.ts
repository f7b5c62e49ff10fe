import { describe, expect, it } from 'vitest';
import { openOneTimeStore } from '../src/sso/store.js';

const redisUrl = process.env.REDIS_URL || null;

describe.each([
  ['in memory', null],
  ['in Redis', redisUrl],
])('one-time store %s', (name, url) => {
  it.skipIf(name === 'in Redis' && !url)('gives a value back once, and never after it expired', async () => {
    const store = openOneTimeStore(url, `dcrm-test:sso:${process.pid}:${Math.random().toString(36).slice(2)}`);
    try {
      await store.put('a', { verifier: 'v' }, 60_000);
      expect(await store.take('a')).toEqual({ verifier: 'v' });
      expect(await store.take('a')).toBeNull();
      await store.put('b', 1, 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await store.take('b')).toBeNull();
      expect(await store.take('never')).toBeNull();
    } finally {
      await store.close();
    }
  });
});
