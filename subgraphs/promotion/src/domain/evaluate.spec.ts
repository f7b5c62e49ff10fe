import { localeChain } from '@dcrm/kit/locale.js';
import { describe, expect, it } from 'vitest';
import { codeProblems, couponProblem, evaluate } from './evaluate.js';
import type { Action, CartLineInput, Condition, EvaluationContext, Promotion } from './promotion.types.js';

const base = { categoryId: null, kind: 'PLAN', quantity: 1, unitRecurring: null, unitOneOff: null, parentLineId: null } as const;
const line = (lineId: string, over: Partial<CartLineInput> = {}): CartLineInput => ({ ...base, lineId, productId: lineId, ...over });

const promo = (id: string, overrides: Partial<Promotion> = {}): Promotion => ({
  ...{ id, name: `Promo ${id}`, priority: 0, stacking: 'COMBINABLE', couponCode: null, usageLimit: null, perCustomerLimit: null },
  ...{ conditions: [], actions: [{ type: 'AMOUNT_OFF', amount: '1.00', target: 'RECURRING' }], messages: {}, active: true },
  ...overrides,
});

const customer = { id: 'c1', segment: 'CONSUMER', category: 'GOLD', country: 'IE', region: 'Leinster', isFirstOrder: true };
const ctx = (overrides: Partial<EvaluationContext> = {}): EvaluationContext => ({
  ...{ now: new Date('2025-06-15T12:00:00Z'), storefrontId: 'sf-ie', channel: 'WEB', customer, couponCodes: [] },
  ...{ usage: { total: {}, byCustomer: {} }, locales: ['en'] },
  ...overrides,
});

// Plan 30.00/month, a handset 200.00 up front + 10.00/month, an add-on under the plan 5.00/month + 2.50 once.
const cart: CartLineInput[] = [
  line('plan', { productId: 'plan-50', categoryId: 'plans', unitRecurring: '30.00' }),
  line('phone', { productId: 'phone-x', categoryId: 'phones', kind: 'DEVICE', unitOneOff: '200.00', unitRecurring: '10.00' }),
  line('addon', { productId: 'roaming', kind: 'ADDON', unitRecurring: '5', unitOneOff: '2.50', parentLineId: 'plan' }),
];
const run = (promotions: Promotion[], context: Partial<EvaluationContext> = {}, lines = cart) => evaluate(promotions, lines, ctx(context));
const ids = (promotions: Promotion[], context: Partial<EvaluationContext> = {}) =>
  run(promotions, context).discounts.map((d) => d.promotionId);

describe('order and stacking', () => {
  it('applies by priority desc, then id asc, whatever the input order', () => {
    const promotions = [promo('b'), promo('a'), promo('z', { priority: 5 })];
    expect(ids(promotions)).toEqual(['z', 'a', 'b']);
    expect(evaluate([...promotions].reverse(), cart, ctx())).toEqual(evaluate(promotions, cart, ctx()));
  });

  it('lets a highest-priority EXCLUSIVE promotion apply alone', () => {
    expect(ids([promo('x', { priority: 9, stacking: 'EXCLUSIVE' }), promo('a'), promo('b')])).toEqual(['x']);
  });

  it('rejects a lower EXCLUSIVE coupon as NOT_COMBINABLE, and skips an automatic one silently', () => {
    const exclusive = (id: string, couponCode: string | null) => promo(id, { stacking: 'EXCLUSIVE', couponCode });
    const result = run([promo('a', { priority: 9 }), exclusive('x', 'SOLO'), exclusive('y', null)], { couponCodes: ['solo'] });
    expect(result.discounts.map((d) => d.promotionId)).toEqual(['a']);
    expect(result.rejections).toEqual([{ promotionId: 'x', code: 'NOT_COMBINABLE', couponCode: 'SOLO' }]);
  });

  it('rejects a combinable coupon after an EXCLUSIVE one applied', () => {
    const result = run([promo('x', { priority: 9, stacking: 'EXCLUSIVE' }), promo('a', { couponCode: 'A' })], { couponCodes: ['A'] });
    expect(couponProblem(result, 'A')).toBe('NOT_COMBINABLE');
  });

  it('stacks combinable promotions and adds them up', () => {
    const result = run([promo('a'), promo('b', { actions: [{ type: 'AMOUNT_OFF', amount: '20.00', target: 'ONE_OFF' }] })]);
    expect(result).toMatchObject({ totalOneOff: '20.00', totalRecurring: '1.00', rejections: [] });
  });

  it('does not let an EXCLUSIVE promotion that discounts nothing block the others', () => {
    const nothing: Action = { type: 'FIXED_PRICE', productId: 'absent', price: '0.00', target: 'ONE_OFF' };
    expect(ids([promo('x', { priority: 9, stacking: 'EXCLUSIVE', actions: [nothing] }), promo('a')])).toEqual(['a']);
  });
});

describe('caps', () => {
  it('never discounts more than remains, and reports an exhausted coupon as INELIGIBLE', () => {
    const big = promo('big', { priority: 2, actions: [{ type: 'AMOUNT_OFF', amount: '999.00', target: 'RECURRING' }] });
    const result = run([big, promo('more', { couponCode: 'MORE' })], { couponCodes: ['MORE'] });
    expect(result.totalRecurring).toBe('45.00');
    expect(result.discounts[0].lineIds).toEqual(['plan', 'phone', 'addon']);
    expect(couponProblem(result, 'MORE')).toBe('INELIGIBLE');
  });

  it('compounds stacked percentages on what remains', () => {
    const half: Action = { type: 'PERCENT_OFF', percent: 50, target: 'ONE_OFF' };
    const result = run([promo('a', { actions: [half] }), promo('b', { actions: [half] })]);
    expect(result.discounts.map((d) => d.oneOff)).toEqual(['101.25', '50.63']);
    expect(result.totalOneOff).toBe('151.88');
  });
});

describe('conditions', () => {
  const cases: [string, Condition, Partial<EvaluationContext>][] = [
    ['STOREFRONT', { type: 'STOREFRONT', storefrontIds: ['sf-ie'] }, { storefrontId: 'sf-uk' }],
    ['SEGMENT', { type: 'SEGMENT', segments: ['CONSUMER'] }, { customer: { ...customer, segment: 'BUSINESS' } }],
    ['SEGMENT (anonymous)', { type: 'SEGMENT', segments: ['CONSUMER'] }, { customer: null }],
    ['CUSTOMER_CATEGORY', { type: 'CUSTOMER_CATEGORY', categories: ['GOLD'] }, { customer: { ...customer, category: 'SILVER' } }],
    ['GEOGRAPHY country', { type: 'GEOGRAPHY', countries: ['ie'] }, { customer: { ...customer, country: 'GB' } }],
    ['GEOGRAPHY region', { type: 'GEOGRAPHY', countries: ['IE'], regions: ['Leinster'] }, { customer: { ...customer, region: 'Munster' } }],
    ['CHANNEL', { type: 'CHANNEL', channels: ['WEB', 'APP'] }, { channel: 'STORE' }],
    ['FIRST_ORDER', { type: 'FIRST_ORDER' }, { customer: { ...customer, isFirstOrder: false } }],
  ];
  it.each(cases)('%s holds for a matching context and not otherwise', (_, condition, failing) => {
    expect(ids([promo('p', { conditions: [condition] })])).toEqual(['p']);
    expect(ids([promo('p', { conditions: [condition] })], failing)).toEqual([]);
  });

  const inCart = (productIds: string[], minQuantity?: number): Condition => ({ type: 'PRODUCTS_IN_CART', productIds, minQuantity });
  const cartCases: { pass: Condition; fail: Condition }[] = [
    { pass: inCart(['phone-x', 'phone-y']), fail: inCart(['phone-y']) },
    { pass: inCart(['phone-x', 'plan-50'], 2), fail: inCart(['phone-x'], 2) },
    {
      pass: { type: 'CATEGORIES_IN_CART', categoryIds: ['tablets', 'phones'] },
      fail: { type: 'CATEGORIES_IN_CART', categoryIds: ['tablets'] },
    },
    {
      pass: { type: 'MIN_SUBTOTAL', amount: '202.50', basis: 'ONE_OFF' },
      fail: { type: 'MIN_SUBTOTAL', amount: '202.51', basis: 'ONE_OFF' },
    },
    {
      pass: { type: 'MIN_SUBTOTAL', amount: '45', basis: 'RECURRING' },
      fail: { type: 'MIN_SUBTOTAL', amount: '45.01', basis: 'RECURRING' },
    },
    {
      pass: { type: 'DATE_WINDOW', from: '2025-06-01T00:00:00Z', to: '2025-07-01' },
      fail: { type: 'DATE_WINDOW', to: '2025-06-15T12:00:00Z' },
    },
  ];
  it.each(cartCases)('$pass.type holds for a matching cart and not otherwise', ({ pass, fail }) => {
    expect(ids([promo('p', { conditions: [pass] })])).toEqual(['p']);
    expect(ids([promo('p', { conditions: [pass, fail] })])).toEqual([]);
  });

  it('treats an unparsable date window as ineligible', () => {
    const result = run([promo('p', { couponCode: 'D', conditions: [{ type: 'DATE_WINDOW', from: 'soon' }] })], { couponCodes: ['D'] });
    expect(couponProblem(result, 'D')).toBe('INELIGIBLE');
  });
});

describe('actions', () => {
  const discountOf = (action: Action, lines = cart) => {
    const [discount] = run([promo('p', { actions: [action] })], {}, lines).discounts;
    return discount && `${discount.oneOff} once, ${discount.recurring} monthly on ${discount.lineIds.join(' ')}`;
  };

  it('PERCENT_OFF targets one-off, recurring or both, optionally some products only', () => {
    expect(discountOf({ type: 'PERCENT_OFF', percent: 10, target: 'BOTH' })).toBe('20.25 once, 4.50 monthly on plan phone addon');
    expect(discountOf({ type: 'PERCENT_OFF', percent: 10, target: 'ONE_OFF' })).toBe('20.25 once, 0.00 monthly on phone addon');
    const planOnly: Action = { type: 'PERCENT_OFF', percent: 50, target: 'RECURRING', productIds: ['plan-50'], months: 6 };
    expect(discountOf(planOnly)).toBe('0.00 once, 15.00 monthly on plan');
  });

  it('AMOUNT_OFF spreads over lines in cart order', () => {
    expect(discountOf({ type: 'AMOUNT_OFF', amount: '35.00', target: 'RECURRING' })).toBe('0.00 once, 35.00 monthly on plan phone');
  });

  it('FIXED_PRICE sets the unit price per quantity and never raises it', () => {
    const phones = [line('p2', { productId: 'phone-x', quantity: 2, unitOneOff: '200.00' })];
    const fixed: Action = { type: 'FIXED_PRICE', productId: 'phone-x', price: '149.00', target: 'ONE_OFF' };
    expect(discountOf(fixed, phones)).toBe('102.00 once, 0.00 monthly on p2');
    expect(discountOf({ ...fixed, price: '250.00' }, phones)).toBeUndefined();
  });

  it('FREE_ADDON zeroes an add-on line under a parent, only then', () => {
    expect(discountOf({ type: 'FREE_ADDON', addonProductId: 'roaming' })).toBe('2.50 once, 5.00 monthly on addon');
    const orphan = [line('addon', { productId: 'roaming', unitRecurring: '5.00', parentLineId: 'gone' })];
    expect(discountOf({ type: 'FREE_ADDON', addonProductId: 'roaming' }, orphan)).toBeUndefined();
  });

  it('BUNDLE_PRICE prices complete bundles when all products are present', () => {
    const bundle: Action = { type: 'BUNDLE_PRICE', productIds: ['plan-50', 'phone-x'], price: '35.00', target: 'RECURRING' };
    expect(discountOf(bundle)).toBe('0.00 once, 5.00 monthly on plan');
    expect(discountOf({ ...bundle, productIds: ['plan-50', 'tablet'] })).toBeUndefined();
    // Two plans, one phone: one bundle (30 + 10 → 35), the second plan keeps its price.
    const twoPlans = [line('plan', { productId: 'plan-50', quantity: 2, unitRecurring: '30.00' }), cart[1]];
    expect(discountOf(bundle, twoPlans)).toBe('0.00 once, 5.00 monthly on plan');
  });
});

describe('windows and limits', () => {
  const typed = (overrides: Partial<Promotion>, context: Partial<EvaluationContext> = {}) =>
    couponProblem(run([promo('p', { couponCode: 'CODE', ...overrides })], { couponCodes: ['CODE'], ...context }), 'CODE');

  it('reports NOT_STARTED and EXPIRED (window is [from, to))', () => {
    expect(typed({ conditions: [{ type: 'DATE_WINDOW', from: '2025-06-15T12:00:01Z' }] })).toBe('NOT_STARTED');
    expect(typed({ conditions: [{ type: 'DATE_WINDOW', to: '2025-06-15T12:00:00Z' }] })).toBe('EXPIRED');
    expect(typed({ conditions: [{ type: 'DATE_WINDOW', from: '2025-06-15T12:00:00Z' }] })).toBeNull();
  });

  it('reports EXHAUSTED and CUSTOMER_LIMIT; a per-customer limit needs a customer', () => {
    expect(typed({ usageLimit: 100 }, { usage: { total: { p: 100 }, byCustomer: {} } })).toBe('EXHAUSTED');
    expect(typed({ perCustomerLimit: 1 }, { usage: { total: {}, byCustomer: { p: 1 } } })).toBe('CUSTOMER_LIMIT');
    expect(typed({ usageLimit: 100, perCustomerLimit: 2 }, { usage: { total: { p: 99 }, byCustomer: { p: 1 } } })).toBeNull();
    expect(typed({ perCustomerLimit: 1 }, { customer: null })).toBe('INELIGIBLE');
  });

  it('skips automatic promotions that fail silently', () => {
    const result = run([promo('p', { usageLimit: 1 }), promo('q', { conditions: [{ type: 'FIRST_ORDER' }] })], {
      usage: { total: { p: 1 }, byCustomer: {} },
      customer: { ...customer, isFirstOrder: false },
    });
    expect(result).toEqual({ discounts: [], totalOneOff: '0.00', totalRecurring: '0.00', rejections: [] });
  });
});

describe('coupons', () => {
  const coupon = promo('c', { couponCode: 'Summer25', actions: [{ type: 'AMOUNT_OFF', amount: '25.00', target: 'ONE_OFF' }] });

  it('requires the code, and says so without disclosing it', () => {
    const result = run([coupon]);
    expect(result.discounts).toEqual([]);
    expect(result.rejections).toEqual([{ promotionId: 'c', code: 'COUPON_REQUIRED', couponCode: null }]);
  });

  it('matches codes trimmed and case-insensitively', () => {
    const result = run([coupon], { couponCodes: ['  summer25 '] });
    expect(result.discounts[0]).toMatchObject({ couponCode: 'Summer25', oneOff: '25.00' });
    expect(result.rejections).toEqual([]);
    expect(couponProblem(result, 'SUMMER25')).toBeNull();
  });

  it('calls a code no active promotion has UNKNOWN_CODE', () => {
    const result = run([{ ...coupon, active: false }], { couponCodes: ['SUMMER25', 'NOPE'] });
    expect(result).toMatchObject({ discounts: [], rejections: [] });
    expect(couponProblem(result, 'NOPE')).toBe('UNKNOWN_CODE');
    expect(couponProblem(result, 'summer25')).toBe('UNKNOWN_CODE');
  });
});

describe('messages', () => {
  const action: Action = { type: 'PERCENT_OFF', percent: 20, target: 'RECURRING', productIds: ['plan-50'], months: 6 };
  const messageFor = (messages: Record<string, string>, locale: string, storefront: string | null = null) =>
    run([promo('m', { name: 'Summer', actions: [action], messages })], { locales: localeChain(locale, storefront) }).discounts[0].message;

  it('picks locale, then language, then en, then the name, and fills placeholders', () => {
    const messages = {
      en: '{{percent}}% off {{product}} for {{months}} months',
      fr: '{{percent}} % sur {{product}}',
      'de-AT': 'Hi {{amount}}!',
    };
    expect(messageFor(messages, 'en')).toBe('20% off plan-50 for 6 months');
    expect(messageFor(messages, 'fr-BE')).toBe('20 % sur plan-50');
    expect(messageFor(messages, 'de-AT')).toBe('Hi !');
    expect(messageFor(messages, 'es')).toBe('20% off plan-50 for 6 months');
    expect(messageFor({}, 'es')).toBe('Summer');
  });

  it("falls back to the storefront's locale, then its language, before en", () => {
    const messages = { en: 'In English', fr: 'En français', 'de-CH': 'Auf Schweizerdeutsch' };
    expect(messageFor(messages, 'es', 'fr-BE')).toBe('En français');
    expect(messageFor(messages, 'es', 'de-CH')).toBe('Auf Schweizerdeutsch');
    expect(messageFor(messages, 'fr', 'de-CH')).toBe('En français');
  });
});

describe('money and purity', () => {
  it('is exact in minor units: 3 × 9.99 at 15% off is 4.50, rounded half-up per line', () => {
    const off15 = promo('p', { actions: [{ type: 'PERCENT_OFF', percent: 15, target: 'ONE_OFF' }] });
    expect(run([off15], {}, [line('a', { quantity: 3, unitOneOff: '9.99' })]).totalOneOff).toBe('4.50');
    // 3 × 9.95 = 29.85 → 4.4775 → 4.48 (per unit would give 4.47).
    expect(run([off15], {}, [line('a', { quantity: 3, unitOneOff: '9.95' })]).totalOneOff).toBe('4.48');
    const tenths = [line('a', { unitOneOff: '0.1' }), line('b', { unitOneOff: '0.20' })];
    const thirty = promo('q', { actions: [{ type: 'AMOUNT_OFF', amount: '0.3', target: 'ONE_OFF' }] });
    expect(run([thirty], {}, tenths)).toMatchObject({ totalOneOff: '0.30', discounts: [{ lineIds: ['a', 'b'] }] });
  });

  it('rejects malformed money instead of guessing', () => {
    expect(() => run([], {}, [line('a', { unitOneOff: '9.999' })])).toThrow(RangeError);
  });

  it('does not mutate its inputs and answers the same twice', () => {
    const promotions = [promo('a'), promo('b', { priority: 3 })];
    const snapshot = structuredClone({ promotions, cart });
    const first = evaluate(promotions, cart, ctx());
    expect({ promotions, cart }).toEqual(snapshot);
    expect(evaluate(promotions, cart, ctx())).toEqual(first);
  });
});

describe('per-line breakdown', () => {
  it('says what each discount took from each line, adding up to the discount', () => {
    const result = run([
      promo('a', { priority: 2, actions: [{ type: 'AMOUNT_OFF', amount: '35.00', target: 'RECURRING' }] }),
      promo('b', { actions: [{ type: 'PERCENT_OFF', percent: 10, target: 'BOTH' }] }),
    ]);
    expect(result.discounts[0].lines).toEqual([
      { lineId: 'plan', oneOff: '0.00', recurring: '30.00' },
      { lineId: 'phone', oneOff: '0.00', recurring: '5.00' },
    ]);
    // The second works on what remains: phone 200 + 5 → 20.00 + 0.50; add-on 2.50 + 5 → 0.25 + 0.50.
    expect(result.discounts[1].lines).toEqual([
      { lineId: 'phone', oneOff: '20.00', recurring: '0.50' },
      { lineId: 'addon', oneOff: '0.25', recurring: '0.50' },
    ]);
    for (const discount of result.discounts) {
      const sum = (side: 'oneOff' | 'recurring') => discount.lines.reduce((total, l) => total + Number(l[side]) * 100, 0);
      expect(sum('oneOff') / 100).toBeCloseTo(Number(discount.oneOff), 2);
      expect(sum('recurring') / 100).toBeCloseTo(Number(discount.recurring), 2);
      expect(discount.lines.map((l) => l.lineId)).toEqual(discount.lineIds);
    }
  });
});

describe('codeProblems', () => {
  const limited = promo('l', { couponCode: 'ONCE', perCustomerLimit: 1 });
  const open = promo('o', { couponCode: 'OPEN' });

  it('answers each typed code once, null when it applied', () => {
    const context = ctx({ couponCodes: ['open', ' OPEN ', 'nope'] });
    const result = evaluate([open], cart, context);
    expect(codeProblems(result, [open], context)).toEqual([
      { code: 'open', problem: null },
      { code: 'nope', problem: 'UNKNOWN_CODE' },
    ]);
  });

  it('asks an anonymous shopper to sign in for a per-customer-limited code, and only then', () => {
    const anonymous = ctx({ couponCodes: ['ONCE'], customer: null });
    expect(codeProblems(evaluate([limited], cart, anonymous), [limited], anonymous)).toEqual([
      { code: 'ONCE', problem: 'COUPON_REQUIRES_SIGN_IN' },
    ]);
    const signedIn = ctx({ couponCodes: ['ONCE'] });
    expect(codeProblems(evaluate([limited], cart, signedIn), [limited], signedIn)).toEqual([{ code: 'ONCE', problem: null }]);
    const ineligible = { ...open, conditions: [{ type: 'FIRST_ORDER' } as const] };
    const anonymousOpen = ctx({ couponCodes: ['OPEN'], customer: null });
    expect(codeProblems(evaluate([ineligible], cart, anonymousOpen), [ineligible], anonymousOpen)).toEqual([
      { code: 'OPEN', problem: 'INELIGIBLE' },
    ]);
  });
});
