import { type Peers, SERVICE_SCOPES, servicePrincipal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type AudienceMember, audienceOf } from '../clients/accounts.js';
import { customersHolding } from '../clients/cart.js';
import { type AudienceRules, Campaign, PromotionRow } from '../entities/index.js';
import { jobKey, lockCampaign, TASKS } from './campaign-lifecycle.js';
import { insertOffers, type NewOffer } from './offers.js';
import type { PromotionServices } from './services.js';
import { renderTemplate } from './templates.js';

/** Accounts per audience job: one customer-subgraph page, one multi-row insert, one notification job. */
export const AUDIENCE_BATCH = 1000;

/**
 * One keyset page of a storefront's audience, asked of the customer subgraph (it owns accounts) as
 * this subgraph's service principal in that storefront; "products held" is then asked of the cart
 * subgraph for that page. `last` is the page's last account (kept or not): the next page starts after
 * it; `full` says there may be more.
 */
export async function audiencePage(
  peers: Peers,
  storefrontId: string,
  rules: AudienceRules,
  after: string | null,
  size: number,
): Promise<{ members: AudienceMember[]; last: string | null; full: boolean }> {
  const principal = servicePrincipal('promotion', storefrontId, [SERVICE_SCOPES.customerAudience, SERVICE_SCOPES.cartHoldings]);
  const { productIdsHeld, ...filter } = rules;
  const page = await audienceOf(peers, principal, filter, after, size);
  const last = page.at(-1)?.id ?? null;
  const full = page.length === size;
  if (!productIdsHeld.length || page.length === 0) return { members: page, last, full };
  const holders = await customersHolding(
    peers,
    principal,
    page.map((m) => m.id),
    productIdsHeld,
  );
  return { members: page.filter((m) => holders.has(m.id)), last, full };
}

export type BatchPayload = { campaignId: string; batchSize?: number };
export type BatchResult = { created: number; members: number; more: boolean } | null;

/**
 * One audience batch of a RUNNING campaign: the page after `audienceCursor` (asked before any
 * transaction), then in one transaction with the campaign row locked: the offers in one insert
 * (`campaign:<id>:<customer>` keys make a re-run create nothing twice), the cursor moved on, a
 * notification job for the new offers and the job for the next batch. A crash resumes at the cursor;
 * a cancelled or completed campaign, or a batch another worker did meanwhile, changes nothing.
 */
export async function runAudienceBatch(em: EntityManager, services: PromotionServices, payload: BatchPayload): Promise<BatchResult> {
  const size = Math.min(Math.max(Math.trunc(payload.batchSize ?? AUDIENCE_BATCH), 1), AUDIENCE_BATCH);
  const campaign = await em.findOne(Campaign, { id: payload.campaignId }, { disableIdentityMap: true });
  const now = services.clock.now();
  if (campaign?.status !== 'RUNNING' || campaign.endsAt <= now) return null;
  const cursor = campaign.audienceCursor ?? null;
  const { members, last, full } = await audiencePage(services.peers, campaign.storefrontId, campaign.audience, cursor, size);
  const promotion = campaign.promotionId ? await em.findOne(PromotionRow, { id: campaign.promotionId }, { fields: ['couponCode'] }) : null;
  const offers: NewOffer[] = members.map((m) => ({
    storefrontId: campaign.storefrontId,
    customerId: m.id,
    segment: m.segment,
    partnerId: m.partnerId,
    source: 'CAMPAIGN',
    campaignId: campaign.id,
    promotionId: campaign.promotionId,
    ...renderTemplate(campaign.template, { name: m.name }),
    couponCode: promotion?.couponCode ?? null,
    score: campaign.priority,
    createdAt: now,
    expiresAt: campaign.endsAt,
    dedupeKey: `campaign:${campaign.id}:${m.id}`,
  }));
  return em.transactional(async (tx) => {
    const locked = await lockCampaign(tx, campaign.id);
    if (locked?.status !== 'RUNNING' || (locked.audienceCursor ?? null) !== cursor) return null;
    const created = await insertOffers(tx, offers);
    if (last) await tx.execute('update "promotion"."campaign" set audience_cursor = ? where id = ?', [last, campaign.id]);
    if (created.length) await services.addJob(tx, TASKS.notify, { campaignId: campaign.id, offerIds: created.map((o) => o.offerId) });
    if (full)
      await services.addJob(tx, TASKS.audience, { campaignId: campaign.id, batchSize: size }, { jobKey: jobKey(campaign.id, 'audience') });
    return { created: created.length, members: members.length, more: full };
  });
}
