import { parseCrontab } from 'graphile-worker';
import { describe, expect, it } from 'vitest';
import { CRONTAB } from './index.js';

describe('cart schedule', () => {
  it('is a valid graphile-worker crontab running the abandonment task every minute', () => {
    const [item] = parseCrontab(CRONTAB);
    expect(item.task).toBe('cart:abandonment');
    expect(typeof item.match).toBe('function');
  });
});
