import { describe, expect, it } from 'vitest';
import { type StaffGrant, staffEligibility } from './staff-grants.js';

const VOLT = 'volt-id';
const grant = (over: Partial<StaffGrant> = {}): StaffGrant => ({
  id: 's1',
  active: true,
  homeStorefrontId: VOLT,
  storefrontIds: [VOLT],
  allBrands: false,
  segments: ['consumer'],
  ...over,
});

describe('staffEligibility', () => {
  it('admits an active member of the brand whose segments cover the work', () => {
    expect(staffEligibility(grant(), VOLT, 'consumer')).toBe('OK');
    expect(staffEligibility(grant({ segments: ['*'] }), VOLT, 'enterprise')).toBe('OK');
    expect(staffEligibility(grant(), VOLT, null)).toBe('OK');
  });

  it('counts the home brand, explicit grants and the all-brands grant', () => {
    expect(staffEligibility(grant({ homeStorefrontId: 'other', storefrontIds: ['other', VOLT] }), VOLT, 'consumer')).toBe('OK');
    expect(staffEligibility(grant({ homeStorefrontId: 'other', storefrontIds: [], allBrands: true }), VOLT, 'consumer')).toBe('OK');
  });

  it('refuses unknown ids and another brand’s staff alike, then inactive members, then other segments', () => {
    expect(staffEligibility(null, VOLT, 'consumer')).toBe('UNKNOWN_STAFF');
    expect(staffEligibility(grant({ homeStorefrontId: 'other', storefrontIds: ['other'] }), VOLT, 'consumer')).toBe('UNKNOWN_STAFF');
    expect(staffEligibility(grant({ homeStorefrontId: 'other', storefrontIds: ['other'], active: false }), VOLT, null)).toBe(
      'UNKNOWN_STAFF',
    );
    expect(staffEligibility(grant({ active: false }), VOLT, 'consumer')).toBe('STAFF_INACTIVE');
    expect(staffEligibility(grant(), VOLT, 'smb')).toBe('STAFF_NOT_IN_SEGMENT');
  });
});
