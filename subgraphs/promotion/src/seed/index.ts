import { type SeedOptions, seedId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audienceRules, Campaign, Offer, OfferRule, PromotionRow } from '../entities/index.js';

const storefront = (brand: 'volt' | 'nimbus') => seedId('storefront', brand);
export const promotionId = (key: string) => seedId('promotion', key);

/** Coupon promotions only: an automatic one would change every demo cart's totals. */
const PROMOTIONS = [
  {
    key: 'welcome10',
    brand: 'volt' as const,
    name: 'Welcome: 10% off your first order',
    couponCode: 'WELCOME10',
    priority: 10,
    perCustomerLimit: 1,
    conditions: [{ type: 'FIRST_ORDER' as const }],
    actions: [{ type: 'PERCENT_OFF' as const, percent: 10, target: 'ONE_OFF' as const }],
    messages: { en: '{{percent}}% off your first order', ga: '{{percent}}% lascaine ar do chéad ordú' },
  },
  {
    key: 'data50',
    brand: 'volt' as const,
    name: 'Half price plan for 3 months',
    couponCode: 'DATA50',
    priority: 20,
    usageLimit: 1000,
    conditions: [{ type: 'DATE_WINDOW' as const, from: '2026-01-01T00:00:00Z', to: '2028-01-01T00:00:00Z' }],
    actions: [{ type: 'PERCENT_OFF' as const, percent: 50, target: 'RECURRING' as const, months: 3 }],
    messages: { en: '{{percent}}% off your plan for {{months}} months' },
  },
  {
    key: 'nimbus20',
    brand: 'nimbus' as const,
    name: '£20 off broadband set-up',
    couponCode: 'NIMBUS20',
    priority: 10,
    conditions: [],
    actions: [{ type: 'AMOUNT_OFF' as const, amount: '20.00', target: 'ONE_OFF' as const }],
    messages: { en: '£{{amount}} off set-up' },
  },
];

/** Demo promotions, a real-time rule per brand, a draft campaign and a public live offer; skipped when promotions exist. */
export async function seed(em: EntityManager, _options: SeedOptions = {}): Promise<Record<string, unknown>> {
  const summary = { coupons: PROMOTIONS.map((p) => `${p.couponCode} (${p.brand})`), rules: 2, campaigns: 1 };
  if (await em.count(PromotionRow, {})) return summary;
  await em.transactional(async (tx) => {
    for (const p of PROMOTIONS) {
      tx.create(PromotionRow, {
        id: promotionId(p.key),
        storefrontId: storefront(p.brand),
        name: p.name,
        priority: p.priority,
        stacking: 'COMBINABLE',
        couponCode: p.couponCode,
        usageLimit: p.usageLimit ?? null,
        perCustomerLimit: p.perCustomerLimit ?? null,
        conditions: p.conditions,
        actions: p.actions,
        messages: p.messages,
      });
    }
    // Rules and campaigns reference promotions by foreign key: those rows go first.
    await tx.flush();
    for (const brand of ['volt', 'nimbus'] as const) {
      tx.create(OfferRule, {
        id: seedId('offer-rule', `${brand}-viewed-3`),
        storefrontId: storefront(brand),
        name: 'Viewed three times in a day',
        event: 'PRODUCT_VIEWED',
        threshold: 3,
        windowMinutes: 24 * 60,
        cooldownMinutes: 24 * 60,
        template: {
          title: 'Still thinking about {{product}}?',
          message:
            brand === 'volt' ? 'Half price for 3 months with code DATA50, {{name}}.' : '£20 off set-up with code NIMBUS20, {{name}}.',
          link: `https://${brand}.example/offers`,
        },
        promotionId: promotionId(brand === 'volt' ? 'data50' : 'nimbus20'),
        offerTtlHours: 48,
        score: 70,
      });
    }
    tx.create(Campaign, {
      id: seedId('campaign', 'volt-spring-upgrade'),
      storefrontId: storefront('volt'),
      name: 'Spring upgrade',
      objective: 'UPSELL',
      priority: 30,
      channels: ['WEB', 'APP'],
      audience: audienceRules({ segments: ['consumer'], lifecycleStages: ['ACTIVE', 'AT_RISK'] }),
      template: {
        title: '{{name}}, double your data',
        message: 'Half price on any plan for 3 months.',
        link: 'https://volt.example/upgrade',
      },
      promotionId: promotionId('data50'),
      startsAt: new Date('2027-03-01T00:00:00Z'),
      endsAt: new Date('2027-04-01T00:00:00Z'),
      createdBy: 'seed',
    });
    tx.create(Offer, {
      id: seedId('offer', 'volt-roaming-weekend'),
      storefrontId: storefront('volt'),
      source: 'STOREFRONT',
      title: 'Free roaming this weekend',
      message: 'Roam like home across the EU, UK and US — no code needed.',
      link: 'https://volt.example/roaming',
      score: 40,
      createdAt: new Date(),
      expiresAt: null,
    });
  });
  return summary;
}
