import { describe, expect, it } from 'vitest';
import type { Brand } from '../clients/brand.js';
import type { IQuote, IQuoteLine } from '../entities/index.js';
import { renderQuoteHtml } from './document.js';

const brand: Brand = {
  name: 'Volt <Mobile>',
  theme: {
    primaryColor: '#0055ff',
    secondaryColor: '#eeeeee',
    accentColor: '#ff0066',
    logoUrl: 'https://volt.example/logo.svg',
    fontFamily: 'Inter',
  },
};
const quote = {
  id: 'q1',
  number: 'Q-2026-000001',
  revision: 2,
  status: 'APPROVED',
  currencyCode: 'EUR',
  validUntil: new Date('2026-12-31T10:00:00Z'),
  prospect: { name: '<script>alert(1)</script>', company: 'Acme & Co' },
  discountType: 'PERCENT',
  discountValue: '5.00',
  totals: {
    currencyCode: 'EUR',
    subtotalOneOff: '0.00',
    subtotalRecurring: '29.99',
    deposit: '0.00',
    taxOneOff: '0.00',
    taxRecurring: '6.56',
    discounts: '0.00',
    recurringDiscounts: '1.50',
    dueNow: '0.00',
    monthly: '35.05',
    appliedDiscounts: [],
  },
} as unknown as IQuote;
const lines = [
  { id: 'l1', name: 'Volt Unlimited "5G"', quantity: 1, recurringPrice: '29.99', oneOffPrice: null, parentLineId: null },
  {
    id: 'l2',
    name: 'EU Roaming',
    quantity: 1,
    recurringPrice: '4.99',
    oneOffPrice: null,
    parentLineId: 'l1',
    discountType: 'AMOUNT',
    discountValue: '1.00',
  },
] as unknown as IQuoteLine[];

describe('quote document', () => {
  it('renders the quote in the brand theme: lines, add-ons, discount and totals', () => {
    const html = renderQuoteHtml(quote, lines, brand);
    expect(html).toContain('color:#0055ff');
    expect(html).toContain('<img src="https://volt.example/logo.svg"');
    expect(html).toContain('Q-2026-000001 (revision 2)');
    expect(html).toContain('Valid until: 2026-12-31');
    expect(html).toContain('&nbsp;&nbsp;+ EU Roaming');
    expect(html).toContain('Quote discount: 5.00%');
    expect(html).toContain('Due now: 0.00 EUR · Monthly: 35.05 EUR');
  });

  it('escapes everything and ignores brand values that are not colours, fonts or web URLs', () => {
    const html = renderQuoteHtml(quote, lines, {
      name: 'Volt <Mobile>',
      theme: {
        primaryColor: 'red;}</style><script>x()</script>',
        secondaryColor: '#eee',
        accentColor: '#f06',
        logoUrl: 'javascript:alert(1)',
        fontFamily: 'x;}body{',
      },
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;, Acme &amp; Co');
    expect(html).toContain('Volt &lt;Mobile&gt;');
    expect(html).toContain('Volt Unlimited &quot;5G&quot;');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('color:#333333 ');
    expect(html).toContain('font-family:sans-serif');
  });
});
