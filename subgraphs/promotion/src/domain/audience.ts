import { type Peers, SERVICE_SCOPES, servicePrincipal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type AudienceMember, audienceOf, audienceRangesOf } from '../clients/accounts.js';
import { customersHolding } from '../clients/cart.js';
import { type AudienceRules, Campaign } from '../entities/index.js';
import { jobKey, lockCampaign, TASKS } from './campaign-lifecycle.js';
import type { PromotionServices } from './services.js';

/** Accounts per chunk job (one id range of the audience); the customer subgraph cuts at most 10,000. */
export const CHUNK_SIZE = 5000;
/** Accounts per customer-subgraph page within a chunk (its maximum). */
export const AUDIENCE_PAGE = 5000;

const principalFor = (storefrontId: string) =>
  servicePrincipal('promotion', storefrontId, [SERVICE_SCOPES.customerAudience, SERVICE_SCOPES.cartHoldings]);

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
  const principal = principalFor(storefrontId);
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

/** The audience accounts after `after` up to and including `upTo`, page by page (ids only grow, so the range ends the walk). */
export async function audienceRange(
  peers: Peers,
  storefrontId: string,
  rules: AudienceRules,
  after: string | null,
  upTo: string,
): Promise<AudienceMember[]> {
  const members: AudienceMember[] = [];
  let cursor = after;
  for (;;) {
    const page = await audiencePage(peers, storefrontId, rules, cursor, AUDIENCE_PAGE);
    members.push(...page.members.filter((m) => m.id <= upTo));
    if (!page.full || !page.last || page.last >= upTo) return members;
    cursor = page.last;
  }
}

export type PlanPayload = { campaignId: string; batchSize?: number };
export type ChunkPayload = { campaignId: string; after: string | null; upTo: string };

/**
 * The audience job of a RUNNING campaign: the customer subgraph cuts the audience after the cursor
 * into id ranges (one statement there), then in one transaction with the campaign locked and the
 * cursor unchanged, one chunk job per range (all in one statement; keyed `campaign:<id>:chunk:<last id>`) and the cursor
 * moved to the last range's end: everything up to the cursor is queued or done, so a re-run (a
 * retried job) queues nothing twice, and a campaign a batch job had taken part-way (the cursor's
 * earlier meaning) carries on from there. Any number of workers claim the chunks in parallel.
 */
export async function planAudience(em: EntityManager, services: PromotionServices, payload: PlanPayload): Promise<number | null> {
  const size = Math.min(Math.max(Math.trunc(payload.batchSize ?? CHUNK_SIZE), 1), 10_000);
  const campaign = await em.findOne(Campaign, { id: payload.campaignId }, { disableIdentityMap: true });
  const now = services.clock.now();
  if (campaign?.status !== 'RUNNING' || campaign.endsAt <= now) return null;
  const cursor = campaign.audienceCursor ?? null;
  const { productIdsHeld: _, ...filter } = campaign.audience;
  const ends = await audienceRangesOf(services.peers, principalFor(campaign.storefrontId), filter, cursor, size);
  return em.transactional(async (tx) => {
    const locked = await lockCampaign(tx, campaign.id);
    if (locked?.status !== 'RUNNING' || (locked.audienceCursor ?? null) !== cursor) return null;
    // Every chunk job in one statement (a million accounts are 200 chunks).
    await services.addJobs(
      tx,
      ends.map((upTo, i) => {
        const payload: ChunkPayload = { campaignId: campaign.id, after: i === 0 ? cursor : ends[i - 1], upTo };
        return { identifier: TASKS.chunk, payload, jobKey: jobKey(campaign.id, `chunk:${upTo}`) };
      }),
    );
    if (ends.length) await tx.execute('update "promotion"."campaign" set audience_cursor = ? where id = ?', [ends.at(-1), campaign.id]);
    return ends.length;
  });
}
