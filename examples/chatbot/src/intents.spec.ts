import { describe, expect, it } from 'vitest';
import { dataAllowance, editDistance, matchIntent, matchProduct, priceCeiling } from './intents.js';

describe('matchIntent', () => {
  it.each([
    ['plans under 30 with 50GB', { kind: 'findPlans', maxPrice: 30, minDataGb: 50 }],
    ['Any SIM below €25 with at least 20 gigs?', { kind: 'findPlans', maxPrice: 25, minDataGb: 20 }],
    ['show me plans with unlimited data', { kind: 'findPlans', maxPrice: null, minDataGb: Number.POSITIVE_INFINITY }],
    ['something for 19.99 a month', { kind: 'findPlans', maxPrice: 19.99, minDataGb: null }],
    ['50GB under 20', { kind: 'findPlans', maxPrice: 20, minDataGb: 50 }],
    ['plans', { kind: 'findPlans', maxPrice: null, minDataGb: null }],
  ])('finds plans: %s', (text, intent) => {
    expect(matchIntent(text)).toEqual(intent);
  });

  it.each([
    ['compare Volt Unlimited 5G and Volt Flex 5G 50GB', ['Volt Unlimited 5G', 'Volt Flex 5G 50GB']],
    ['Compare the 20GB plan with the 50GB plan', ['20GB', '50GB']],
    ['difference between unlimited, 100gb and 50gb?', ['unlimited', '100gb', '50gb']],
    ['volt-sim-50gb vs volt-sim-unlimited', ['volt-sim-50gb', 'volt-sim-unlimited']],
  ])('compares: %s', (text, products) => {
    expect(matchIntent(text)).toEqual({ kind: 'compare', products });
  });

  it.each([
    ['add Volt Unlimited 5G to my cart', 'Volt Unlimited 5G'],
    ["I'll take the 50GB plan", '50GB'],
    ['buy eu roaming plus please', 'eu roaming plus'],
  ])('adds to the cart: %s', (text, product) => {
    expect(matchIntent(text)).toEqual({ kind: 'addToCart', product });
  });

  it('reads orders, the cart, offers and sign-in', () => {
    expect(matchIntent('where is my order DC-2026-000042?')).toEqual({ kind: 'orderStatus', number: 'DC-2026-000042' });
    expect(matchIntent('dc-2026-000042')).toEqual({ kind: 'orderStatus', number: 'DC-2026-000042' });
    expect(matchIntent("Where's my order")).toEqual({ kind: 'orderStatus', number: null });
    expect(matchIntent("what's in my cart")).toEqual({ kind: 'showCart' });
    expect(matchIntent('show basket')).toEqual({ kind: 'showCart' });
    expect(matchIntent('my offers')).toEqual({ kind: 'myOffers' });
    expect(matchIntent('any deals for me?')).toEqual({ kind: 'myOffers' });
    expect(matchIntent('login aoife@example.com dcrm-demo-2026')).toEqual({
      kind: 'login',
      email: 'aoife@example.com',
      password: 'dcrm-demo-2026',
    });
    expect(matchIntent('sign out')).toEqual({ kind: 'logout' });
    expect(matchIntent('my number is +353 87 100 0001')).toEqual({ kind: 'identify', mobile: '+353871000001', email: null });
  });

  it('greets, helps and admits what it does not understand', () => {
    expect(matchIntent('hello')).toEqual({ kind: 'greeting' });
    expect(matchIntent('help')).toEqual({ kind: 'help' });
    expect(matchIntent('')).toEqual({ kind: 'help' });
    expect(matchIntent('tell me a joke')).toEqual({ kind: 'unknown' });
  });
});

describe('slots', () => {
  it('reads a price ceiling, never a data amount', () => {
    expect(priceCeiling('under 30')).toBe(30);
    expect(priceCeiling('less than 19,99 euro')).toBe(19.99);
    expect(priceCeiling('€25 max')).toBe(25);
    expect(priceCeiling('under 50GB')).toBeNull();
    expect(priceCeiling('with 100gb')).toBeNull();
  });

  it('reads a data allowance in GB', () => {
    expect(dataAllowance('50GB')).toBe(50);
    expect(dataAllowance('20 gigs')).toBe(20);
    expect(dataAllowance('1TB')).toBe(1000);
    expect(dataAllowance('500 MB')).toBe(0.5);
    expect(dataAllowance('unlimited data')).toBe(Number.POSITIVE_INFINITY);
    expect(dataAllowance('a 5G phone')).toBeNull();
  });
});

describe('matchProduct', () => {
  const catalog = [
    { id: '1', slug: 'volt-sim-50gb', name: 'Volt Flex 5G 50GB' },
    { id: '2', slug: 'volt-sim-100gb', name: 'Volt Flex 5G 100GB' },
    { id: '3', slug: 'volt-sim-unlimited', name: 'Volt Unlimited 5G' },
    { id: '4', slug: 'volt-sim-unlimited-max', name: 'Volt Unlimited 5G Max' },
    { id: '5', slug: 'volt-sim-5gb', name: 'Volt Essentials 5GB' },
    { id: '6', slug: 'eu-roaming-pass', name: 'EU Roaming Plus' },
  ];

  it('takes an exact slug or name first', () => {
    expect(matchProduct('volt-sim-unlimited-max', catalog)?.id).toBe('4');
    expect(matchProduct('volt unlimited 5g', catalog)?.id).toBe('3');
  });

  it('matches words, prefixes and a typo, preferring the most specific name', () => {
    expect(matchProduct('unlimited', catalog)?.id).toBe('3');
    expect(matchProduct('unlimited max', catalog)?.id).toBe('4');
    expect(matchProduct('unlimted', catalog)?.id).toBe('3');
    expect(matchProduct('50 GB', catalog)?.id).toBe('1');
    expect(matchProduct('the 5GB plan', catalog)?.id).toBe('5');
    expect(matchProduct('roaming', catalog)?.id).toBe('6');
  });

  it('finds nothing rather than a poor guess', () => {
    expect(matchProduct('fibre broadband', catalog)).toBeNull();
    expect(matchProduct('the plan', catalog)).toBeNull();
  });

  it('measures edit distance with an early stop', () => {
    expect(editDistance('unlimted', 'unlimited')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('abc', 'abcdefg', 2)).toBe(3);
  });
});
