import { type SeedOptions, seedId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Lead, Opportunity } from '../entities/index.js';
import { LEADS, OPPORTUNITIES } from './demo.js';
import { seedPipeline } from './pipeline.js';
import { seedWork } from './work.js';

const storefront = (brand: 'volt' | 'nimbus') => seedId('storefront', brand);
export const leadId = (key: string) => seedId('lead', key);
export const opportunityId = (key: string) => seedId('opportunity', key);

/** What some demo leads are interested in and which campaign brought them. */
const INTEREST: Record<string, { products: string[]; campaign?: string; budget?: string; category?: string }> = {
  'volt-web-new': { products: ['volt-sim-unlimited'], campaign: 'volt-spring-upgrade', category: 'CONSUMER_MOBILE' },
  'volt-selfcare-rejected': { products: ['volt-sim-50gb'], campaign: 'volt-spring-upgrade', category: 'CONSUMER_MOBILE' },
  'volt-portal-converted': { products: ['volt-sim-unlimited-max'], budget: '12000.00', category: 'ENTERPRISE_MOBILE' },
  'volt-email-qualified': { products: ['volt-sim-20gb'], budget: '150.00', category: 'SME_MOBILE' },
  'nimbus-web-new': { products: ['nimbus-fibre-150'], category: 'CONSUMER_FIBRE' },
};

/** A pipeline per brand: leads in every state, opportunities at several stages. Idempotent. */
export async function seed(em: EntityManager, _options: SeedOptions = {}): Promise<Record<string, unknown>> {
  const summary = { leads: LEADS.length, opportunities: OPPORTUNITIES.length };
  if (await em.count(Lead, {})) {
    await seedPipeline(em);
    await seedWork(em);
    return summary;
  }
  const now = Date.now();
  const day = 86_400_000;
  await em.transactional(async (tx) => {
    for (const l of LEADS) {
      const capturedAt = new Date(now - l.ageDays * day);
      const interest = INTEREST[l.key];
      tx.create(Lead, {
        id: leadId(l.key),
        storefrontId: storefront(l.brand),
        channel: l.channel,
        status: l.status,
        source: l.source,
        campaignId: interest?.campaign ? seedId('campaign', interest.campaign) : null,
        customerId: l.customer ? seedId('customer', l.customer) : null,
        partnerId: l.partner ? seedId('partner', l.partner) : null,
        ownerStaffId: null,
        segment: l.segment,
        firstName: l.firstName,
        lastName: l.lastName,
        company: l.company ?? null,
        email: l.email,
        mobile: l.mobile,
        address: null,
        productIds: (interest?.products ?? []).map((slug) => seedId('product', slug)),
        description: null,
        rating: l.rating ?? null,
        category: interest?.category ?? null,
        budgetAmount: interest?.budget ?? null,
        budgetCurrency: interest?.budget ? (l.brand === 'volt' ? 'EUR' : 'GBP') : null,
        score: 0,
        scoreExplanation: [],
        duplicateOf: null,
        consent: { contact: true, marketing: false, text: null, at: capturedAt.toISOString(), ip: null },
        rejectionReason: l.status === 'REJECTED' ? 'Not reachable' : null,
        capturedAt,
        qualifiedAt: l.status === 'QUALIFIED' || l.status === 'CONVERTED' ? new Date(capturedAt.getTime() + day) : null,
        convertedAt: l.status === 'CONVERTED' ? new Date(capturedAt.getTime() + 2 * day) : null,
        createdBy: 'seed',
      });
    }
    // Opportunities reference leads by foreign key: those rows go first.
    await tx.flush();
    for (const o of OPPORTUNITIES) {
      tx.create(Opportunity, {
        id: opportunityId(o.key),
        storefrontId: storefront(o.brand),
        customerId: o.customer ? seedId('customer', o.customer) : null,
        leadId: o.lead ? leadId(o.lead) : null,
        partnerId: o.partner ? seedId('partner', o.partner) : null,
        segment: o.segment,
        ownerStaffId: o.owner ? seedId('staff', o.owner) : null,
        name: o.name,
        type: o.type,
        category: o.category,
        stage: o.stage,
        status: o.status,
        createdBy: 'seed',
      });
    }
  });
  await seedPipeline(em);
  await seedWork(em);
  return summary;
}
