import { validateRules } from '@dcrm/kit';
import { describe, expect, it } from 'vitest';
import { LEAD_FACT_FIELDS, leadFacts, scoreLead } from './lead-scoring.js';

const lead = {
  channel: 'WEB' as const,
  status: 'NEW' as const,
  source: 'Fibre form',
  segment: 'consumer',
  rating: 'HOT' as const,
  category: 'CONSUMER_FIBRE',
  budgetAmount: '120.00',
  budgetCurrency: 'EUR',
  productIds: ['p1', 'p2'],
  address: { city: 'Cork', country: 'IE' },
  email: 'a@example.com',
  mobile: null,
  company: '  ',
  campaignId: 'c1',
  customerId: null,
  partnerId: null,
  consent: { contact: true, marketing: true, text: null, at: '2026-01-01T00:00:00Z', ip: null },
};

const rules = (input: unknown[]) => {
  const checked = validateRules(input as never, { fields: LEAD_FACT_FIELDS, outcome: 'points' });
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  return checked.value;
};

describe('lead scoring', () => {
  it('reads a lead as facts: numbers, presence flags, interests, country', () => {
    expect(leadFacts(lead)).toMatchObject({
      budget: 120,
      hasEmail: true,
      hasMobile: false,
      hasCompany: false,
      hasAddress: true,
      hasCampaign: true,
      interestCount: 2,
      country: 'IE',
      marketingConsent: true,
    });
  });

  it('adds the points of matching rules and explains each with the actual values', () => {
    const score = scoreLead(
      rules([
        { id: 'hot', name: 'Hot', points: 30, conditions: [{ path: 'rating', operator: 'EQ', value: 'HOT' }] },
        { id: 'fibre', points: 10, conditions: [{ path: 'productIds', operator: 'CONTAINS', value: 'p2' }] },
        { id: 'no-mobile', points: -5, conditions: [{ path: 'hasMobile', operator: 'EQ', value: 'false' }] },
        { id: 'rich', points: 50, conditions: [{ path: 'budget', operator: 'GTE', value: '1000' }] },
      ]),
      lead,
    );
    expect(score.score).toBe(35);
    expect(score.explanation.map((r) => [r.rule, r.points])).toEqual([
      ['hot', 30],
      ['fibre', 10],
      ['no-mobile', -5],
    ]);
    expect(score.explanation[0]).toMatchObject({
      name: 'Hot',
      reason: 'Hot (+30): rating eq "HOT" (was "HOT")',
      conditions: [{ path: 'rating', operator: 'eq', expected: 'HOT', actual: 'HOT' }],
    });
  });

  it('scores 0 without rules', () => {
    expect(scoreLead([], lead)).toEqual({ score: 0, explanation: [] });
  });
});
