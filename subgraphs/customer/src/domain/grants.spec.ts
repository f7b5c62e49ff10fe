import type { Principal } from '@dcrm/kit';
import { describe, expect, it } from 'vitest';
import { brandsOverlap, outranks, ungrantableBrands, ungrantableScopes, ungrantableSegments } from './grants.js';

const VOLT = '0195f000-0000-7000-8000-000000000001';
const NIMBUS = '0195f000-0000-7000-8000-000000000002';
const admin = (over: Partial<Principal> = {}): Principal => ({
  kind: 'staff',
  id: 'a',
  storefrontId: VOLT,
  storefronts: [VOLT],
  partnerId: null,
  roles: ['staff', 'segment:consumer'],
  scopes: ['staff:manage', 'customer:read'],
  ...over,
});

describe('grants an administrator may hand on', () => {
  it('brands: only their own; all brands only with the all-brands grant', () => {
    expect(ungrantableBrands(admin(), [VOLT])).toEqual([]);
    expect(ungrantableBrands(admin(), [VOLT, NIMBUS, '*'])).toEqual([NIMBUS, '*']);
    expect(ungrantableBrands(admin({ storefronts: ['*'] }), [NIMBUS, '*'])).toEqual([]);
  });

  it('scopes and segments: only those they hold (`module:*` and segment `*` cover the rest)', () => {
    expect(ungrantableScopes(admin(), ['customer:read', 'catalog:write'])).toEqual(['catalog:write']);
    expect(ungrantableScopes(admin({ scopes: ['catalog:*'] }), ['catalog:write'])).toEqual([]);
    expect(ungrantableSegments(admin(), ['consumer', 'smb'])).toEqual(['smb']);
    expect(ungrantableSegments(admin({ roles: ['segment:*'] }), ['smb'])).toEqual([]);
  });

  it('manages only staff whose grants are all within theirs', () => {
    expect(outranks(admin(), { brands: [VOLT], scopes: ['customer:read'], segments: ['consumer'] })).toBe(true);
    expect(outranks(admin(), { brands: [VOLT, NIMBUS], scopes: [], segments: [] })).toBe(false);
    expect(outranks(admin(), { brands: [VOLT], scopes: ['apikey:manage'], segments: [] })).toBe(false);
    expect(outranks(admin(), { brands: [VOLT], scopes: [], segments: ['*'] })).toBe(false);
  });

  it('brand overlap for a manager', () => {
    expect(brandsOverlap([VOLT], [NIMBUS])).toBe(false);
    expect(brandsOverlap([VOLT, NIMBUS], [NIMBUS])).toBe(true);
    expect(brandsOverlap(['*'], [NIMBUS])).toBe(true);
  });
});
