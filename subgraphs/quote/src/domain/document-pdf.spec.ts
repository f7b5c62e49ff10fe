import { describe, expect, it } from 'vitest';
import type { Brand } from '../clients/brand.js';
import type { IQuote, IQuoteLine } from '../entities/index.js';
import { documentView } from './document.js';
import { renderQuotePdf } from './document-pdf.js';

const brand: Brand = {
  name: 'Volt Mobile',
  theme: { primaryColor: '#0055ff', secondaryColor: '#eee', accentColor: '#ff0066', logoUrl: '', fontFamily: 'Inter' },
};
const quote = {
  number: 'Q-2026-000042',
  revision: 3,
  status: 'APPROVED',
  currencyCode: 'EUR',
  validUntil: new Date('2026-12-31T10:00:00Z'),
  prospect: { name: 'Zoë Quinn 北京', company: 'Quinn & Co' },
  discountType: 'PERCENT',
  discountValue: '5.00',
  totals: { taxOneOff: '1.15', taxRecurring: '6.56', dueNow: '49.00', monthly: '35.05', appliedDiscounts: [{ name: 'Spring offer' }] },
} as unknown as IQuote;
const line = (name: string, parentLineId: string | null = null) =>
  ({
    name,
    quantity: 2,
    recurringPrice: '29.99',
    oneOffPrice: '5.00',
    parentLineId,
    discountType: 'AMOUNT',
    discountValue: '1.00',
  }) as IQuoteLine;

/** The text a PDF shows, from its uncompressed content streams: pdfkit writes each run as `[<hex> kern <hex> …] TJ`. */
function shownText(pdf: Buffer): string {
  const runs = [...pdf.toString('latin1').matchAll(/\[([^\]]*)\]\s*TJ/g)];
  return runs
    .map(([, run]) => Buffer.from([...(run as string).matchAll(/<([0-9a-f]*)>/g)].map((m) => m[1]).join(''), 'hex').toString('latin1'))
    .join('\n');
}

const render = (lines: IQuoteLine[], b: Brand = brand) =>
  renderQuotePdf(documentView(quote, lines, b), { compress: false, createdAt: new Date('2026-11-01T00:00:00Z') });

describe('quote document as PDF', () => {
  it('is a PDF with the brand, number, revision, lines, discounts, totals, tax, validity and terms', async () => {
    const pdf = await render([line('Volt Unlimited'), line('EU Roaming', 'l1')]);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = shownText(pdf);
    for (const expected of [
      'Volt Mobile',
      'Quote Q-2026-000042 (revision 3)',
      'For: Zoë Quinn ??, Quinn & Co',
      'Status: APPROVED',
      'Valid until: 2026-12-31',
      'Volt Unlimited',
      '  + EU Roaming',
      '29.99 EUR',
      'Quote discount: 5.00%',
      'Promotion: Spring offer',
      'Tax: 1.15 EUR now, 6.56 EUR monthly',
      'Due now: 49.00 EUR',
      'Monthly: 35.05 EUR',
      'This quote is valid until 2026-12-31; an expired quote cannot be accepted.',
    ])
      expect(text).toContain(expected);
    // The brand's primary colour fills the title and the table header (pdfkit writes it as RGB fractions), the accent the totals.
    expect(pdf.toString('latin1')).toMatch(/\n0 0\.33\d* 1 scn\n/);
    expect(pdf.toString('latin1')).toMatch(/\n1 0 0\.4 scn\n/);
  });

  it('breaks a long quote over pages, repeating the table header', async () => {
    const pdf = await render(Array.from({ length: 50 }, (_, i) => line(`Plan ${i + 1}`)));
    expect(pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length).toBeGreaterThan(1);
    const text = shownText(pdf);
    expect(text).toContain('Plan 50');
    expect(text.match(/^Product$/gm)?.length).toBeGreaterThan(1);
  });

  it('falls back to neutral colours when the brand has none it can use, and deflates by default', async () => {
    const odd: Brand = { ...brand, theme: { ...brand.theme, primaryColor: 'red;', accentColor: '#ff006680' } };
    const pdf = await render([line('Volt Unlimited')], odd);
    // #333333 instead of the primary colour; the accent without its alpha.
    expect(pdf.toString('latin1')).toMatch(/\n0\.2\d* 0\.2\d* 0\.2\d* scn\n/);
    expect(pdf.toString('latin1')).toMatch(/\n1 0 0\.4 scn\n/);
    const compressed = await renderQuotePdf(documentView(quote, [line('Volt Unlimited')], brand), { createdAt: new Date() });
    expect(compressed.subarray(0, 5).toString()).toBe('%PDF-');
    expect(compressed.toString('latin1')).toContain('/FlateDecode');
  });
});
