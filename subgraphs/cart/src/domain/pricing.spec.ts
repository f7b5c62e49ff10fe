import { describe, expect, it } from 'vitest';
import type { CatalogProduct } from '../clients/catalog.js';
import type { CartDiscount } from '../clients/promotions.js';
import { cartTotals, priceLines, priceOrder } from './pricing.js';
import { evaluationInput } from './promotions.js';

const product = (p: Partial<CatalogProduct>): CatalogProduct => ({
  id: 'p-plan',
  name: 'Unlimited 5G',
  kind: 'PLAN',
  categoryId: 'c-plans',
  status: 'ACTIVE',
  recurring: null,
  oneOff: null,
  deposit: null,
  currencyCode: 'EUR',
  taxCategory: 'STANDARD',
  compatibleAddonIds: [],
  ...p,
});

const plan = product({ recurring: '30.00' });
const phone = product({ id: 'p-phone', name: 'Phone', kind: 'DEVICE', categoryId: null, oneOff: '200.00', deposit: '50.00' });
const lines = [
  { id: 'l-plan', productId: 'p-plan', quantity: 2, parentLineId: null },
  { id: 'l-phone', productId: 'p-phone', quantity: 1, parentLineId: 'l-plan' },
  { id: 'l-gone', productId: 'p-gone', quantity: 1, parentLineId: undefined },
];

const discount = (d: Partial<CartDiscount>): CartDiscount => ({
  promotionId: 'promo-1',
  name: 'Half off',
  message: 'Half off your plan',
  oneOff: '0.00',
  recurring: '15.00',
  lineIds: ['l-plan'],
  couponCode: null,
  lines: [{ lineId: 'l-plan', oneOff: '0.00', recurring: '15.00' }],
  ...d,
});

describe('priceLines', () => {
  it('joins each line to its product in cart order and leaves out lines no longer sold', () => {
    const priced = priceLines(lines, [plan, phone, null]);
    expect(priced).toEqual([
      {
        lineId: 'l-plan',
        productId: 'p-plan',
        parentLineId: null,
        quantity: 2,
        name: 'Unlimited 5G',
        kind: 'PLAN',
        categoryId: 'c-plans',
        recurring: '30.00',
        oneOff: null,
        deposit: null,
        taxCategory: 'STANDARD',
      },
      {
        lineId: 'l-phone',
        productId: 'p-phone',
        parentLineId: 'l-plan',
        quantity: 1,
        name: 'Phone',
        kind: 'DEVICE',
        categoryId: null,
        recurring: null,
        oneOff: '200.00',
        deposit: '50.00',
        taxCategory: 'STANDARD',
      },
    ]);
  });

  it('counts archived and draft products for nothing', () => {
    const archived = { ...plan, status: 'ARCHIVED' as const };
    expect(priceLines(lines.slice(0, 2), [archived, { ...phone, status: 'DRAFT' }])).toEqual([]);
  });

  it('is what promotions are asked to evaluate: unit prices, kind, category and parent per line', () => {
    const input = evaluationInput(
      { customerId: null, channel: 'WEB', promoCodes: ['SPRING'] },
      priceLines(lines, [plan, phone, undefined]),
      { isFirstOrder: true, locale: 'en-IE' },
    );
    expect(input).toEqual({
      customerId: null,
      channel: 'WEB',
      couponCodes: ['SPRING'],
      isFirstOrder: true,
      locale: 'en-IE',
      lines: [
        {
          lineId: 'l-plan',
          productId: 'p-plan',
          categoryId: 'c-plans',
          kind: 'PLAN',
          quantity: 2,
          unitRecurring: '30.00',
          unitOneOff: null,
          parentLineId: null,
        },
        {
          lineId: 'l-phone',
          productId: 'p-phone',
          categoryId: null,
          kind: 'DEVICE',
          quantity: 1,
          unitRecurring: null,
          unitOneOff: '200.00',
          parentLineId: 'l-plan',
        },
      ],
    });
  });
});

describe('cartTotals', () => {
  it('takes each line’s share of the discounts off before tax', () => {
    const totals = cartTotals(priceLines(lines, [plan, phone, null]), [discount({})], 'EUR');
    expect(totals).toMatchObject({
      subtotalRecurring: '60.00',
      recurringDiscounts: '15.00',
      taxRecurring: '10.35', // 45.00 × 23%
      monthly: '55.35',
      subtotalOneOff: '200.00',
      dueNow: '296.00', // 200.00 + 46.00 tax + 50.00 deposit
    });
  });
});

describe('priceOrder', () => {
  it('is the cart’s totals with the promotions kept as applied, pointing at the order’s lines', () => {
    const priced = priceLines(lines, [plan, phone, null]);
    const discounts = [
      discount({}),
      discount({
        promotionId: 'promo-2',
        couponCode: 'PHONE10',
        oneOff: '10.00',
        recurring: '0.00',
        lineIds: ['l-phone', 'l-unknown'],
        lines: [{ lineId: 'l-phone', oneOff: '10.00', recurring: '0.00' }],
      }),
    ];
    const orderLineIds = new Map([
      ['l-plan', 'o-plan'],
      ['l-phone', 'o-phone'],
    ]);
    const totals = priceOrder(priced, discounts, 'EUR', orderLineIds);
    const { appliedDiscounts, ...rest } = totals;
    expect(rest).toEqual(cartTotals(priced, discounts, 'EUR'));
    expect(rest).toMatchObject({ discounts: '10.00', recurringDiscounts: '15.00', dueNow: '283.70' }); // 190.00 + 43.70 + 50.00
    expect(appliedDiscounts).toEqual([
      { ...discount({}), lines: undefined, lineIds: ['o-plan'] },
      expect.objectContaining({ promotionId: 'promo-2', couponCode: 'PHONE10', lineIds: ['o-phone', 'l-unknown'] }),
    ]);
    expect(appliedDiscounts?.every((d) => !('lines' in d))).toBe(true);
  });
});
