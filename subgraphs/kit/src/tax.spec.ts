import { describe, expect, it } from 'vitest';
import type { Principal } from './principal.js';
import { amountWithTax, taxDisplayFor, taxRate } from './tax.js';

const principal = (p: Partial<Principal>): Principal =>
  ({ kind: 'customer', id: 'c', storefrontId: 's', partnerId: null, roles: [], scopes: [], ...p }) as Principal;

describe('tax-inclusive prices', () => {
  it('adds the storefront country’s rate for the category, rounded half-up to the cent', () => {
    expect(taxRate('EUR', 'STANDARD')).toBe(23);
    expect(amountWithTax('9.99', 'EUR', 'STANDARD')).toBe('12.29'); // 9.99 × 1.23 = 12.2877
    expect(amountWithTax('10.00', 'EUR', 'REDUCED')).toBe('11.35');
    expect(amountWithTax('10.00', 'GBP', 'STANDARD')).toBe('12.00');
    expect(amountWithTax('10.00', 'GBP', 'EXEMPT')).toBe('10.00');
    // A currency without known rules is untaxed, as totals treat it.
    expect(amountWithTax('10.00', 'USD', 'STANDARD')).toBe('10.00');
  });

  it('shows business buyers prices without tax, everyone else with it', () => {
    expect(taxDisplayFor(principal({ roles: ['segment:consumer'] }))).toBe('INCLUDING_TAX');
    expect(taxDisplayFor(principal({ roles: ['segment:smb', 'account-admin'] }))).toBe('EXCLUDING_TAX');
    expect(taxDisplayFor(principal({ roles: ['segment:enterprise'] }))).toBe('EXCLUDING_TAX');
    expect(taxDisplayFor(principal({ kind: 'anonymous', id: null }))).toBe('INCLUDING_TAX');
    // Staff hold segments as grants, not as who they buy for.
    expect(taxDisplayFor(principal({ kind: 'staff', roles: ['staff', 'segment:smb'] }))).toBe('INCLUDING_TAX');
    expect(
      taxDisplayFor(principal({ kind: 'service', id: 'cart', account: { customerId: 'c', segment: 'smb' } } as Partial<Principal>)),
    ).toBe('EXCLUDING_TAX');
  });
});
