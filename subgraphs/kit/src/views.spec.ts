import { describe, expect, it } from 'vitest';
import type { AccessRule } from './access.js';
import { AUDIENCES, audienceOf, inView } from './views.js';

const rule = (kinds: AccessRule['kinds'], scopes: string[] = []): AccessRule => ({ kinds, scopes });
const audiences = (rules: AccessRule[], internal: { scopes: string[]; holder: boolean } | null = null) =>
  AUDIENCES.filter((audience) => inView(audience, rules, internal));

describe('inView', () => {
  it('follows the kinds of every rule; scopes are left to run time', () => {
    expect(audiences([])).toEqual(['storefront', 'partner', 'staff']);
    expect(audiences([rule(null, ['customer:lookup'])])).toEqual(['storefront', 'partner', 'staff']);
    expect(audiences([rule(['customer'])])).toEqual(['storefront', 'staff']);
    expect(audiences([rule(['staff', 'partner'], ['apikey:manage'])])).toEqual(['partner', 'staff']);
    expect(audiences([rule(['staff'], ['promotion:write'])])).toEqual(['staff']);
    // A type's rule and a field's: one kind must pass both.
    expect(audiences([rule(['anonymous', 'staff']), rule(['customer', 'staff'])])).toEqual(['staff']);
  });

  it('puts service-only fields in no view', () => {
    expect(audiences([rule(['service'], ['message:send'])])).toEqual([]);
  });

  it('keeps @internal fields for staff, and for the storefront only when the holder may read them', () => {
    expect(audiences([], { scopes: ['customer:read'], holder: false })).toEqual(['staff']);
    expect(audiences([], { scopes: ['customer:read'], holder: true })).toEqual(['storefront', 'staff']);
  });
});

describe('audienceOf', () => {
  it('serves shoppers and customers the storefront view, services none', () => {
    expect(audienceOf('anonymous')).toBe('storefront');
    expect(audienceOf('customer')).toBe('storefront');
    expect(audienceOf('partner')).toBe('partner');
    expect(audienceOf('staff')).toBe('staff');
    expect(audienceOf('service')).toBeNull();
  });
});
