import { describe, expect, it } from 'vitest';
import { npsSummary } from './nps.js';

describe('npsSummary', () => {
  it('is %promoters − %detractors', () => {
    expect(npsSummary([10, 9, 8, 7, 6, 0])).toEqual({ score: 0, responses: 6, promoters: 2, passives: 2, detractors: 2 });
    expect(npsSummary([10, 10, 10, 3])).toMatchObject({ score: 50 });
  });

  it('spans −100 to 100 and is null without responses', () => {
    expect(npsSummary([0, 1, 6]).score).toBe(-100);
    expect(npsSummary([9, 10]).score).toBe(100);
    expect(npsSummary([]).score).toBeNull();
  });
});
