import { SERVICE_SCOPES } from '@dcrm/kit';
import { describe, expect, it } from 'vitest';
import { pricingPrincipal } from './pricing-principal.js';

describe('who the catalog prices a quote for', () => {
  it("an account's quote: the quote service carrying that account with pricing:account, no customer identity", () => {
    const principal = pricingPrincipal({ storefrontId: 's1', customerId: 'c1', segment: 'smb' });
    expect(principal).toEqual({
      kind: 'service',
      id: 'quote',
      storefrontId: 's1',
      partnerId: null,
      roles: [],
      scopes: [SERVICE_SCOPES.accountPricing],
      account: { customerId: 'c1', segment: 'smb' },
    });
  });

  it("a prospect's quote: the service with the prospect's segment, no account and no account pricing", () => {
    const principal = pricingPrincipal({ storefrontId: 's1', customerId: null, segment: 'enterprise' });
    expect(principal).toMatchObject({ kind: 'service', id: 'quote', storefrontId: 's1', roles: ['segment:enterprise'], scopes: [] });
    expect(principal.account).toBeUndefined();
  });
});
