import { describe, expect, it } from 'vitest';
import { CAMPAIGN_STATUSES } from '../entities/index.js';
import { canTransition, TRANSITIONS } from './campaign-lifecycle.js';

describe('campaign lifecycle', () => {
  it('moves forward only, and can be cancelled until it completes', () => {
    const allowed = CAMPAIGN_STATUSES.flatMap((from) =>
      CAMPAIGN_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`),
    );
    expect(allowed).toEqual([
      'DRAFT→SCHEDULED',
      'DRAFT→CANCELLED',
      'SCHEDULED→RUNNING',
      'SCHEDULED→CANCELLED',
      'RUNNING→COMPLETED',
      'RUNNING→CANCELLED',
    ]);
    expect(TRANSITIONS.COMPLETED).toEqual([]);
    expect(TRANSITIONS.CANCELLED).toEqual([]);
  });
});
