import { executeBound, newId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Campaign, PromotionRow } from '../entities/index.js';
import { audienceRange, type ChunkPayload } from './audience.js';
import { type Pending, sendAndMark } from './campaign-notify.js';
import type { PromotionServices } from './services.js';
import { renderTemplate } from './templates.js';

/** Accounts in the range, offers announced by this run (new or left by an earlier one), and those it counted. */
export type ChunkResult = { members: number; pending: number; notified: number } | null;

/**
 * Writes a chunk's offers in one statement and answers every offer of the chunk still to announce:
 * those it created, and those an earlier run created but did not mark notified (the dedupe key
 * `campaign:<id>:<customer>` makes a re-run create nothing twice). The second part reads the snapshot
 * from before the insert, so nothing comes back twice.
 */
const INSERT_CHUNK = `with input as (
    select * from jsonb_to_recordset($1::jsonb) as x(id uuid, customer_id uuid, segment text, partner_id uuid, title text, message text)),
  created as (
    insert into "promotion"."offer" ("id", "storefront_id", "customer_id", "segment", "partner_id", "source", "campaign_id", "promotion_id",
      "title", "message", "content", "link", "image_url", "coupon_code", "score", "status", "dedupe_key", "created_at", "expires_at")
    select id, $2::uuid, customer_id, segment, partner_id, 'CAMPAIGN', $3::uuid, $4::uuid, title, message, $5::text, $6::text, $7::text,
      $8::text, $9::float8, 'NEW', $10::text || customer_id, $11::timestamptz, $12::timestamptz
    from input order by customer_id
    on conflict ("dedupe_key") do nothing
    returning id, customer_id, storefront_id, title, message, link)
  select id, customer_id, storefront_id, title, message, link from created
  union all
  select o.id, o.customer_id, o.storefront_id, o.title, o.message, o.link from "promotion"."offer" o
  where o.dedupe_key in (select $10::text || customer_id from input) and o.notified_at is null and o.status in ('NEW', 'SEEN', 'ACCEPTED')`;

/**
 * One chunk of a RUNNING campaign's audience (the accounts after `after` up to `upTo`): the accounts
 * asked of the customer subgraph before any transaction, then the offers written in one statement
 * while the campaign row is share-locked (chunks run side by side; a staff cancel waits for them, then
 * expires what they wrote), then the inbox messages and the `notified` count (`sendAndMark`). A
 * crashed or retried chunk re-runs whole: offers and messages are keyed per account, `notified`
 * counts only offers it marks, so each account gets one offer, one message, one count.
 */
export async function runChunk(em: EntityManager, services: PromotionServices, payload: ChunkPayload): Promise<ChunkResult> {
  const campaign = await em.findOne(Campaign, { id: payload.campaignId }, { disableIdentityMap: true });
  const now = services.clock.now();
  if (campaign?.status !== 'RUNNING' || campaign.endsAt <= now) return null;
  const members = await audienceRange(services.peers, campaign.storefrontId, campaign.audience, payload.after, payload.upTo);
  const promotion = campaign.promotionId ? await em.findOne(PromotionRow, { id: campaign.promotionId }, { fields: ['couponCode'] }) : null;
  const { content, link, imageUrl } = renderTemplate(campaign.template, { name: '' });
  const rows = members.map((m) => {
    const { title, message } = renderTemplate(campaign.template, { name: m.name });
    return { id: newId(), customer_id: m.id, segment: m.segment, partner_id: m.partnerId, title, message };
  });
  const keyPrefix = `campaign:${campaign.id}:`;
  const pending = await em.transactional(async (tx) => {
    // `for key share`: a cancel (`for update`) waits for this insert, another chunk's count (a plain update) does not.
    const [locked] = (await tx.execute('select status from "promotion"."campaign" where id = ? for key share', [campaign.id])) as {
      status: string;
    }[];
    if (locked?.status !== 'RUNNING' || rows.length === 0) return null;
    // Bound server-side: the chunk's JSON is not escaped into the statement's text.
    return executeBound<Pending>(tx, INSERT_CHUNK, [
      JSON.stringify(rows),
      campaign.storefrontId,
      campaign.id,
      campaign.promotionId ?? null,
      content,
      link,
      imageUrl,
      promotion?.couponCode ?? null,
      campaign.priority,
      keyPrefix,
      now,
      campaign.endsAt,
    ]);
  });
  if (!pending) return null;
  const notified = await sendAndMark(em, services, campaign.id, pending);
  return { members: members.length, pending: pending.length, notified };
}
