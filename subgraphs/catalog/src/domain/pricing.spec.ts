import type { Principal } from '@dcrm/kit';
import { describe, expect, it } from 'vitest';
import { headline, type PriceCandidate, priceBandSql, pricingContext, selectPrices } from './pricing.js';

const row = (
  id: string,
  productId: string,
  type: PriceCandidate['type'],
  customer: string | null = null,
  segment: string | null = null,
) => ({
  id,
  productId,
  type,
  listCustomerId: customer,
  listSegment: segment,
});

describe('selectPrices', () => {
  const candidates = [
    row('list-recurring', 'p1', 'RECURRING'),
    row('list-oneoff', 'p1', 'ONE_OFF'),
    row('segment-recurring', 'p1', 'RECURRING', null, 'smb'),
    row('account-recurring', 'p1', 'RECURRING', 'acme'),
    row('other-account', 'p1', 'RECURRING', 'globex'),
    row('p2-list', 'p2', 'ONE_OFF'),
  ];

  it('gives an anonymous shopper the storefront list prices', () => {
    const prices = selectPrices(candidates, { customerId: null, segments: [] });
    expect(prices.get('p1')?.map((p) => p.id)).toEqual(['list-recurring', 'list-oneoff']);
    expect(prices.get('p2')?.map((p) => p.id)).toEqual(['p2-list']);
  });

  it('prefers a segment list over list price, per price type', () => {
    const prices = selectPrices(candidates, { customerId: 'someone', segments: ['smb'] });
    expect(prices.get('p1')?.map((p) => p.id)).toEqual(['segment-recurring', 'list-oneoff']);
  });

  it("prefers the caller's own account list over everything, never another account's", () => {
    const prices = selectPrices(candidates, { customerId: 'acme', segments: ['smb'] });
    expect(prices.get('p1')?.map((p) => p.id)).toEqual(['account-recurring', 'list-oneoff']);
    const globex = selectPrices(candidates, { customerId: 'initech', segments: [] });
    expect(globex.get('p1')?.map((p) => p.id)).not.toContain('other-account');
  });

  it('picks the recurring price as headline, else one-off', () => {
    const prices = selectPrices(candidates, { customerId: null, segments: [] });
    expect(headline(prices.get('p1') ?? [])?.id).toBe('list-recurring');
    expect(headline(prices.get('p2') ?? [])?.id).toBe('p2-list');
    expect(headline([])).toBeNull();
  });
});

describe('pricingContext', () => {
  it('reads the account from customer principals and segments from roles', () => {
    const context = pricingContext({
      kind: 'customer',
      id: 'c1',
      storefrontId: 's',
      partnerId: null,
      roles: ['segment:smb', 'admin'],
      scopes: [],
    });
    expect(context).toEqual({ customerId: 'c1', segments: ['smb'] });
    const anonymous = pricingContext({ kind: 'anonymous', id: 'k', storefrontId: 's', partnerId: null, roles: [], scopes: [] });
    expect(anonymous.customerId).toBeNull();
  });

  it('prices for the account a service carries only with pricing:account', () => {
    const account = { customerId: 'c9', segment: 'smb' };
    const service: Principal = { kind: 'service', id: 'cart', storefrontId: 's', partnerId: null, roles: [], scopes: [], account };
    expect(pricingContext({ ...service, scopes: ['pricing:account'] })).toEqual({ customerId: 'c9', segments: ['smb'] });
    expect(pricingContext({ ...service, scopes: [] })).toEqual({ customerId: null, segments: [] });
    const staff: Principal = { ...service, kind: 'staff', scopes: ['pricing:account'] };
    expect(pricingContext(staff).customerId).toBeNull();
  });
});

describe('priceBandSql', () => {
  it('maps bounds as [min, max)', () => {
    const sql = priceBandSql('x');
    expect(sql).toContain("when x < 10 then 'UNDER_10'");
    expect(sql).toContain("when x < 100 then 'FROM_50_TO_100'");
    expect(sql).toContain("else 'OVER_100'");
  });
});
