import { describe, expect, it } from 'vitest';
import {
  addressKey,
  contactIndex,
  contactKeys,
  duplicateScore,
  emailKey,
  findDuplicates,
  foldText,
  nameKey,
  normalisePhone,
} from './contact-match.js';

describe('normalisation', () => {
  it('phones become E.164, national numbers read with the storefront country; invalid ones are null', () => {
    expect(normalisePhone('087 123 4567', 'IE')).toBe('+353871234567');
    expect(normalisePhone('087-123-4567', 'ie')).toBe('+353871234567');
    expect(normalisePhone('00353 87 123 4567', 'IE')).toBe('+353871234567');
    expect(normalisePhone('+44 7911 123456', 'IE')).toBe('+447911123456');
    expect(normalisePhone('06 12 34 56 78', 'FR')).toBe('+33612345678');
    expect(normalisePhone('087 123 4567')).toBeNull(); // national without a country
    expect(normalisePhone('087 123 4567', 'XX')).toBeNull();
    expect(normalisePhone('12', 'IE')).toBeNull();
    expect(normalisePhone('call me', 'IE')).toBeNull();
    expect(normalisePhone('  ', 'IE')).toBeNull();
  });

  it('emails are trimmed and lower-cased only (no Gmail dot or plus folding)', () => {
    expect(emailKey('  Jane.Doe+crm@GMail.com ')).toBe('jane.doe+crm@gmail.com');
    expect(emailKey('')).toBeNull();
    expect(emailKey(null)).toBeNull();
  });

  it('names fold case, accents, punctuation and word order; addresses fold the same way', () => {
    expect(foldText('  Ōmura-Ñúñez  ')).toBe('omura nunez');
    expect(nameKey({ firstName: 'Jane', lastName: 'Dóe' })).toBe('doe jane');
    expect(nameKey({ name: 'DOE,  jane' })).toBe('doe jane');
    expect(nameKey({ name: ' . ' })).toBeNull();
    expect(addressKey('12 Main St., Dublin 2')).toBe('12 main st dublin 2');
    expect(addressKey({ line1: '12 Main St', city: 'Dublin', postalCode: 'D02 X285', country: 'IE' })).toBe('12 main st dublin d02x285 ie');
    expect(addressKey({ line1: '12 MAIN ST', city: 'dublin', postalCode: 'd02x285', country: 'ie' })).toBe('12 main st dublin d02x285 ie');
  });

  it('contactKeys gives every key, for indexed columns', () => {
    expect(
      contactKeys(
        {
          firstName: 'José',
          lastName: 'Ruiz',
          email: 'Jose@X.ie',
          mobile: '0871234567',
          address: '1 Quay',
          interests: [' Fibre-1G', 'fibre-1g', 'TV'],
        },
        { defaultCountry: 'IE' },
      ),
    ).toEqual({ email: 'jose@x.ie', mobile: '+353871234567', name: 'jose ruiz', address: '1 quay', interests: ['fibre-1g', 'tv'] });
  });
});

describe('findDuplicates', () => {
  const existing = [
    { id: 'a', name: 'Jane Doe', email: 'jane@example.com', mobile: '+353871234567' },
    { id: 'b', firstName: 'Jane', lastName: 'Doe', address: '12 Main St, Dublin', interests: ['plan-x'] },
    { id: 'c', name: 'John Smith', mobile: '0871111111' },
    {
      id: 'd',
      keys: { email: null, mobile: '+353879999999', name: 'doe jane', address: null, interests: ['plan-y'] },
    },
  ];

  it('finds by email, mobile, name + address and name + interest, best first, with reasons', () => {
    const matches = findDuplicates(
      { name: 'jane DOE', email: ' JANE@example.com', mobile: '087 123 4567', address: '12 main st dublin', interests: 'plan-x' },
      existing,
      { defaultCountry: 'IE' },
    );
    expect(matches).toEqual([
      { id: 'a', score: 95, reasons: ['EMAIL', 'MOBILE'] },
      { id: 'b', score: 80, reasons: ['NAME_AND_ADDRESS', 'NAME_AND_INTEREST'] },
    ]);
  });

  it('uses stored keys as given, and a name alone is not a duplicate', () => {
    expect(findDuplicates({ name: 'Jane Doe', interests: ['PLAN-Y'] }, existing)).toEqual([
      { id: 'd', score: 60, reasons: ['NAME_AND_INTEREST'] },
    ]);
    expect(findDuplicates({ name: 'Jane Doe' }, existing)).toEqual([]);
  });

  it('national mobiles of existing rows are read with the default country; minScore drops weak matches', () => {
    expect(findDuplicates({ mobile: '+353 87 111 1111' }, existing, { defaultCountry: 'IE' })).toEqual([
      { id: 'c', score: 85, reasons: ['MOBILE'] },
    ]);
    expect(findDuplicates({ name: 'Jane Doe', interests: ['plan-y'] }, existing, { minScore: 70 })).toEqual([]);
    expect(duplicateScore(['EMAIL', 'MOBILE', 'NAME_AND_ADDRESS', 'NAME_AND_INTEREST'])).toBe(100);
  });

  it('an index matches 10,000 import rows against each other quickly, and re-adding replaces keys', () => {
    const index = contactIndex({ defaultCountry: 'IE' });
    const started = performance.now();
    let duplicates = 0;
    for (let i = 0; i < 10_000; i++) {
      const row = {
        id: `r${i}`,
        name: `Person ${i % 9_000}`,
        email: `p${i % 9_500}@example.com`,
        mobile: `087${String(1_000_000 + i).slice(-7)}`,
      };
      if (index.find(row).length) duplicates++;
      index.add(row);
    }
    expect(duplicates).toBe(500);
    expect(performance.now() - started).toBeLessThan(3_000);

    index.add({ id: 'x', email: 'old@example.com' });
    index.add({ id: 'x', email: 'new@example.com' });
    expect(index.find({ email: 'old@example.com' })).toEqual([]);
    expect(index.find({ email: 'new@example.com' })).toEqual([{ id: 'x', score: 90, reasons: ['EMAIL'] }]);
    expect(index.find({ email: 'new@example.com' }, 'x')).toEqual([]);
  });
});
