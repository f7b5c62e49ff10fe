import { describe, expect, it } from 'vitest';
import { parseLeadRow } from './lead-import.js';

const codes = (data: Record<string, string>) => parseLeadRow(data).problems.map((p) => `${p.field}:${p.code}`);

describe('lead.import rows', () => {
  it('maps headers loosely and normalises e-mail, mobile (with a country), rating, budget', () => {
    const { value, problems } = parseLeadRow({
      'First name': ' Ada ',
      last_name: 'Lovelace',
      EMAIL: 'Ada@Example.COM',
      Phone: '087 123 4567',
      country: 'ie',
      rating: 'hot',
      budget: '99.50',
      currency: 'eur',
      'Product IDs': '0190c8e4-1111-7000-8000-000000000001; 0190c8e4-1111-7000-8000-000000000001',
      city: 'Cork',
    });
    expect(problems).toEqual([]);
    expect(value).toMatchObject({
      firstName: 'Ada',
      email: 'ada@example.com',
      mobile: '+353871234567',
      rating: 'HOT',
      budgetAmount: '99.50',
      budgetCurrency: 'EUR',
      productIds: ['0190c8e4-1111-7000-8000-000000000001'],
      segment: 'consumer',
      address: { city: 'Cork', country: 'IE' },
    });
  });

  it('reports every problem of a row', () => {
    expect(codes({ firstName: 'X' })).toEqual(['email:REQUIRED']);
    expect(codes({ email: 'x@example.com' })).toEqual(['lastName:REQUIRED']);
    expect(codes({ lastName: 'X', email: 'nope', mobile: '12', rating: 'TEPID', budget: '-3', campaignId: 'c' })).toEqual([
      'email:INVALID',
      'mobile:INVALID',
      'rating:INVALID',
      'budget:INVALID',
      'currency:REQUIRED',
      'campaignId:INVALID',
    ]);
    expect(codes({ company: 'Acme', email: 'a@acme.example', budget: '10' })).toEqual(['currency:REQUIRED']);
  });
});
