import type { Principal } from '@dcrm/kit';
import { describe, expect, it } from 'vitest';
import { customerScope } from './scope.js';

const base: Principal = { kind: 'customer', id: 'c1', storefrontId: 'sf', partnerId: null, roles: [], scopes: [] };

describe('customerScope', () => {
  it('limits a customer to their own tree within the storefront', () => {
    expect(customerScope(base, ['c1'])).toEqual({ storefrontId: 'sf', id: { $in: ['c1'] } });
    expect(customerScope(base, [])).toBeNull();
  });

  it('limits a partner to its partner id, and refuses a partner without one', () => {
    expect(customerScope({ ...base, kind: 'partner', partnerId: 'p1' })).toEqual({ storefrontId: 'sf', partner: 'p1' });
    expect(customerScope({ ...base, kind: 'partner' })).toBeNull();
  });

  it('limits staff to their segments; `*` is all segments; none is nothing', () => {
    expect(customerScope({ ...base, kind: 'staff', roles: ['segment:smb', 'staff'] })).toEqual({
      storefrontId: 'sf',
      segment: { $in: ['smb'] },
    });
    expect(customerScope({ ...base, kind: 'staff', roles: ['segment:*'] })).toEqual({ storefrontId: 'sf' });
    expect(customerScope({ ...base, kind: 'staff', roles: [] })).toBeNull();
  });

  it('gives anonymous callers nothing unless the key may look customers up', () => {
    expect(customerScope({ ...base, kind: 'anonymous' })).toBeNull();
    expect(customerScope({ ...base, kind: 'anonymous', scopes: ['customer:lookup'] })).toEqual({ storefrontId: 'sf' });
  });

  it('never crosses storefronts: no storefront, no customers', () => {
    expect(customerScope({ ...base, kind: 'staff', storefrontId: null, roles: ['segment:*'] })).toBeNull();
  });
});
