import { describe, expect, it } from 'vitest';
import { acceptedLocale, canonicalLocale, localeChain } from './locale.js';
import { pickText } from './translations.js';

describe('request locale', () => {
  it('canonicalises BCP 47 tags and refuses what is not one', () => {
    expect(canonicalLocale('de-ch')).toBe('de-CH');
    expect(canonicalLocale('pt_BR')).toBe('pt-BR');
    expect(canonicalLocale('not a tag')).toBeNull();
    expect(canonicalLocale('*')).toBeNull();
  });

  it('takes the most preferred language of Accept-Language', () => {
    expect(acceptedLocale('en;q=0.5, fr-CH, fr;q=0.9')).toBe('fr-CH');
    expect(acceptedLocale('*')).toBeNull();
    expect(acceptedLocale(undefined)).toBeNull();
  });

  it('falls back from the locale to its language, then to the storefront default', () => {
    expect(localeChain('de-CH', 'en-IE')).toEqual(['de-CH', 'de', 'en-IE', 'en']);
    expect(localeChain(null, 'en')).toEqual(['en']);
    expect(localeChain('fr', 'fr-FR')).toEqual(['fr', 'fr-FR']);
  });

  it('picks the first locale of the chain holding the field, else the stored text', () => {
    const texts = new Map<string, Record<string, string>>([
      ['fr', { name: 'Forfait' }],
      ['de', { name: 'Tarif', description: 'Beschreibung' }],
    ]);
    expect(pickText(texts, ['de-CH', 'de'], 'name', 'Plan')).toBe('Tarif');
    expect(pickText(texts, ['fr'], 'description', 'Stored')).toBe('Stored');
  });
});
