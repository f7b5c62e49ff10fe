import { describe, expect, it } from 'vitest';
import { openRateLimiter, rateLimitFrom } from './rate-limit.js';

describe('openRateLimiter (in memory)', () => {
  it('admits `points` actions per key, then says how long to wait; keys count apart', async () => {
    const limiter = openRateLimiter('spec', { points: 2, durationSeconds: 60 }, {});
    expect(await limiter.consume('a')).toEqual({ ok: true });
    expect(await limiter.consume('a')).toEqual({ ok: true });
    const refused = await limiter.consume('a');
    expect(refused.ok).toBe(false);
    expect(refused.ok === false && refused.retryAfter).toBeGreaterThan(0);
    expect(await limiter.consume('b')).toEqual({ ok: true });
    await limiter.close();
  });
});

describe('rateLimitFrom', () => {
  it('reads N/SECONDS, falls back when unset, refuses anything else', () => {
    const fallback = { points: 5, durationSeconds: 10 };
    expect(rateLimitFrom('X', fallback, {})).toEqual(fallback);
    expect(rateLimitFrom('X', fallback, { X: '20/3600' })).toEqual({ points: 20, durationSeconds: 3600 });
    expect(() => rateLimitFrom('X', fallback, { X: '20' })).toThrow(/N\/SECONDS/);
    expect(() => rateLimitFrom('X', fallback, { X: '0/60' })).toThrow();
  });
});
