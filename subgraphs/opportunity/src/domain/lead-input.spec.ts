import { Checks } from '@dcrm/kit';
import { describe, expect, it } from 'vitest';
import { checkReachable, leadFields, normaliseMobile } from './lead-input.js';
import type { ErrorCode } from './opportunity.errors.js';

const errors = (checks: Checks) => checks.errors.map((e) => `${e.field?.join('.')}:${e.code}`);

describe('leadFields', () => {
  it('normalises contact details: email case and spaces, mobile to E.164, blank to null', () => {
    const checks = new Checks<ErrorCode>();
    const out = leadFields({ email: '  Orla@Example.NET ', mobile: '00353 87-123 4567', firstName: '  ', company: ' Acme ' }, checks);
    expect(out).toEqual({ email: 'orla@example.net', mobile: '+353871234567', firstName: null, company: 'Acme' });
    expect(checks.ok).toBe(true);
  });

  it('reports every problem at once, under its field', () => {
    const checks = new Checks<ErrorCode>();
    leadFields(
      {
        email: 'nope',
        mobile: '12345',
        productIds: ['x'],
        budget: { amount: '-3', currencyCode: 'eur' },
        category: 'has space',
        address: { country: 'Ireland' },
        campaignId: 'y',
      },
      checks,
    );
    expect(errors(checks).sort()).toEqual(
      [
        'input.address.country:INVALID',
        'input.budget.amount:INVALID',
        'input.budget.currencyCode:INVALID',
        'input.campaignId:INVALID',
        'input.category:INVALID',
        'input.email:INVALID',
        'input.mobile:INVALID',
        'input.productIds.0:INVALID',
      ].sort(),
    );
  });

  it('leaves out what the input leaves out, and clears what it nulls', () => {
    const checks = new Checks<ErrorCode>();
    expect(leadFields({ rating: null, budget: null }, checks)).toEqual({ rating: null, budgetAmount: null, budgetCurrency: null });
  });

  it('needs an email or a mobile', () => {
    const checks = new Checks<ErrorCode>();
    checkReachable(checks, { email: null, mobile: null });
    expect(errors(checks)).toEqual(['input.email:REQUIRED']);
  });

  it('normaliseMobile keeps a number already in E.164', () => {
    expect(normaliseMobile('+447700900101')).toBe('+447700900101');
    expect(normaliseMobile('(087) 123.4567')).toBe('0871234567');
  });
});
