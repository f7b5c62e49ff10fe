import { computeTotals, type SeedOptions, seedId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { lineDiscounts } from '../domain/pricing.js';
import { type DiscountType, type Prospect, Quote, QuoteLine, type QuoteStatus } from '../entities/index.js';
import { seedContracts } from './contracts.js';

const DAY = 86_400_000;

/** Demo ids shared with the catalog and customer seeds (same namespaces and keys). */
const storefront = (brand: 'volt' | 'nimbus') => seedId('storefront', brand);
const customer = (key: string) => seedId('customer', key);
const product = (slug: string) => seedId('product', slug);
export const demoQuoteId = (key: string) => seedId('quote', key);
const demoLineId = (quote: string, i: number) => seedId('quote-line', `${quote}:${i}`);

type DemoLine = {
  slug: string;
  name: string;
  kind: 'PLAN' | 'ADDON';
  recurring?: string;
  oneOff?: string;
  addOnOf?: number;
  discount?: [DiscountType, string];
};
type DemoQuote = {
  key: string;
  brand: 'volt' | 'nimbus';
  customer?: string;
  partner?: string;
  segment: string;
  prospect?: Prospect;
  status: QuoteStatus;
  /** Validity, in days from now (negative: already expired). */
  validDays: number;
  discount?: [DiscountType, string];
  lines: DemoLine[];
  note?: string;
};

/**
 * A few quotes so the back office and self-care show something after `pnpm start`, one per kind of
 * viewer: a consumer's (Aoife), a business account's (Acme), a partner account's (Niamh, Connectify),
 * a prospect's (staff only) and a Nimbus one (Oliver). Lines are snapshots of the demo catalog prices.
 * Tests read these but never change them.
 */
const QUOTES: DemoQuote[] = [
  {
    key: 'aoife-1',
    brand: 'volt',
    customer: 'aoife',
    segment: 'consumer',
    status: 'DRAFT',
    validDays: 30,
    lines: [
      { slug: 'volt-sim-unlimited', name: 'Volt Unlimited 5G', kind: 'PLAN', recurring: '29.99', discount: ['PERCENT', '10'] },
      { slug: 'eu-roaming-pass', name: 'EU Roaming Plus', kind: 'ADDON', recurring: '4.99', addOnOf: 0 },
    ],
    note: 'Asked twice about roaming; offer 10% to keep her.',
  },
  {
    key: 'acme-1',
    brand: 'volt',
    customer: 'acme-telecom-buyers',
    segment: 'smb',
    status: 'SUBMITTED',
    validDays: 14,
    discount: ['AMOUNT', '20.00'],
    lines: [{ slug: 'volt-sim-5gb', name: 'Volt Essentials 5GB', kind: 'PLAN', recurring: '9.99' }],
    note: 'Fleet of 20 lines to follow if accepted.',
  },
  {
    key: 'niamh-1',
    brand: 'volt',
    customer: 'connectify-one',
    partner: 'connectify',
    segment: 'consumer',
    status: 'APPROVED',
    validDays: -3,
    lines: [{ slug: 'volt-sim-5gb', name: 'Volt Essentials 5GB', kind: 'PLAN', recurring: '9.99' }],
  },
  {
    key: 'prospect-1',
    brand: 'volt',
    segment: 'enterprise',
    prospect: { name: 'Orla Byrne', email: 'orla@initech.example', company: 'Initech Ireland' },
    status: 'DRAFT',
    validDays: 30,
    discount: ['PERCENT', '5'],
    lines: [{ slug: 'volt-sim-unlimited', name: 'Volt Unlimited 5G', kind: 'PLAN', recurring: '29.99' }],
  },
  {
    key: 'oliver-1',
    brand: 'nimbus',
    customer: 'oliver',
    segment: 'consumer',
    status: 'DRAFT',
    validDays: 21,
    lines: [
      { slug: 'nimbus-fibre-150', name: 'Nimbus Fibre 150', kind: 'PLAN', recurring: '29.99' },
      { slug: 'tv-entertainment-pack', name: 'TV Entertainment Pack', kind: 'ADDON', recurring: '12.00', addOnOf: 0 },
    ],
  },
];

/** Demo quotes with their lines and totals; skipped when they exist (idempotent). */
export async function seed(em: EntityManager, _options: SeedOptions = {}): Promise<Record<string, unknown>> {
  const summary = { quotes: QUOTES.length, ...(await seedContracts(em)) };
  if (await em.count(Quote, { id: { $in: QUOTES.map((q) => demoQuoteId(q.key)) } })) return summary;
  const now = Date.now();
  await em.transactional(async (tx) => {
    for (const [n, demo] of QUOTES.entries()) {
      const currencyCode = demo.brand === 'volt' ? 'EUR' : 'GBP';
      const lines = demo.lines.map((l, i) => ({
        lineId: demoLineId(demo.key, i),
        quantity: 1,
        recurring: l.recurring ?? null,
        oneOff: l.oneOff ?? null,
        deposit: null,
        taxCategory: 'STANDARD' as const,
        discountType: l.discount?.[0] ?? null,
        discountValue: l.discount?.[1] ?? null,
      }));
      const discount = demo.discount ? { type: demo.discount[0], value: demo.discount[1] } : null;
      const priced = lineDiscounts(lines, discount);
      const quote = tx.create(Quote, {
        id: demoQuoteId(demo.key),
        storefrontId: storefront(demo.brand),
        customerId: demo.customer ? customer(demo.customer) : null,
        partnerId: demo.partner ? seedId('partner', demo.partner) : null,
        segment: demo.segment,
        prospect: demo.prospect ?? null,
        number: `Q-2026-${String(900_001 + n)}`,
        status: demo.status,
        validFrom: new Date(now - 7 * DAY),
        validUntil: new Date(now + demo.validDays * DAY),
        currencyCode,
        discountType: discount?.type ?? null,
        discountValue: discount?.value ?? null,
        totals: computeTotals(priced, currencyCode),
        internalNote: demo.note ?? null,
        createdBy: 'seed',
      });
      demo.lines.forEach((l, i) => {
        tx.create(QuoteLine, {
          id: demoLineId(demo.key, i),
          quote,
          position: i,
          productId: product(l.slug),
          parentLineId: l.addOnOf === undefined ? null : demoLineId(demo.key, l.addOnOf),
          name: l.name,
          kind: l.kind,
          quantity: 1,
          discountType: l.discount?.[0] ?? null,
          discountValue: l.discount?.[1] ?? null,
          recurringPrice: l.recurring ?? null,
          oneOffPrice: l.oneOff ?? null,
          deposit: null,
          taxCategory: 'STANDARD',
          discountOneOff: priced[i].discountOneOff ?? '0.00',
          discountRecurring: priced[i].discountRecurring ?? '0.00',
        });
      });
    }
  });
  return summary;
}
