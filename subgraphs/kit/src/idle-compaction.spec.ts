import { getHeapSpaceStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { compactHeap, compactWhenIdle } from './idle-compaction.js';

const newSpaceMiB = () => (getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0) / 2 ** 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Keeps the event loop working for `ms` (a burst of requests, as the sampler sees it). */
const work = (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end);
};

describe('compactHeap', () => {
  it('shrinks the young generation back to its smallest after it grew', () => {
    let kept: object[] = [];
    for (let i = 0; i < 2_000_000; i++) {
      kept.push({ i });
      if (kept.length > 100_000) kept = [];
    }
    compactHeap();
    expect(newSpaceMiB()).toBeLessThanOrEqual(2);
  });
});

describe('compactWhenIdle', () => {
  it('compacts once per busy-to-idle change, not while idle nor while busy', async () => {
    let compactions = 0;
    const stop = compactWhenIdle({ intervalMs: 100, idleBelow: 0.3, idleIntervals: 2, compact: () => compactions++ });
    await sleep(500);
    expect(compactions).toBe(0); // idle from the start: nothing to give back
    for (let i = 0; i < 4; i++) {
      work(80);
      await sleep(20);
    }
    expect(compactions).toBe(0); // busy
    await sleep(600);
    expect(compactions).toBe(1);
    await sleep(500);
    expect(compactions).toBe(1); // still idle: once is enough
    work(80);
    await sleep(600);
    expect(compactions).toBe(2);
    stop();
  });
});
