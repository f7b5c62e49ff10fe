import { executeBound, newId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Campaign, PromotionRow } from '../entities/index.js';
import { audienceRange, type ChunkPayload } from './audience.js';
import { sendOfferMessages } from './campaign-notify.js';
import { publishOffers } from './offers.js';
import type { PromotionServices } from './services.js';
import { renderTemplate } from './templates.js';

/** Accounts in the range, and the offers this run wrote and counted as notified (none on a re-run). */
export type ChunkResult = { members: number; notified: number } | null;

/**
 * Writes a chunk's offers, already announced, in one statement and answers those it counts: the offers
 * it created and those an earlier version created but did not mark notified (the dedupe key
 * `campaign:<id>:<customer>` makes a re-run create nothing twice and count nothing twice). The rows
 * travel column by column as typed arrays: PostgreSQL parses them for less CPU than one JSON document.
 */
const INSERT_CHUNK = `with input as (
    select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[])
      as x(id, customer_id, segment, partner_id, title, message))
  insert into "promotion"."offer" as o ("id", "storefront_id", "customer_id", "segment", "partner_id", "source", "campaign_id", "promotion_id",
    "title", "message", "content", "link", "image_url", "coupon_code", "score", "status", "dedupe_key", "created_at", "expires_at", "notified_at")
  select id, $7::uuid, customer_id, segment, partner_id, 'CAMPAIGN', $8::uuid, $9::uuid, title, message, $10::text, $11::text, $12::text,
    $13::text, $14::float8, 'NEW', $15::text || customer_id, $16::timestamptz, $17::timestamptz, $16::timestamptz
  from input order by customer_id
  on conflict ("dedupe_key") do update set notified_at = excluded.notified_at
    where o.notified_at is null and o.status in ('NEW', 'SEEN', 'ACCEPTED')
  returning o.id, o.customer_id, o.storefront_id`;

/**
 * One chunk of a RUNNING campaign's audience (the accounts after `after` up to `upTo`): the accounts
 * asked of the customer subgraph before any transaction; then, while the campaign row is share-locked
 * (chunks run side by side; a staff cancel waits for them, then expires what they wrote), the inbox
 * messages sent first, keyed per campaign and account, then the offers written already notified and
 * `campaign.notified` raised by exactly those written, in the same transaction. Nothing is stamped per
 * offer afterwards. A chunk that crashes or fails anywhere re-runs whole: the messages already sent
 * are `DUPLICATE`s the customer subgraph does not send again, offers already committed are neither
 * written nor counted twice, so each account gets one offer, one message, one count.
 */
export async function runChunk(em: EntityManager, services: PromotionServices, payload: ChunkPayload): Promise<ChunkResult> {
  const campaign = await em.findOne(Campaign, { id: payload.campaignId }, { disableIdentityMap: true });
  const now = services.clock.now();
  if (campaign?.status !== 'RUNNING' || campaign.endsAt <= now) return null;
  const members = await audienceRange(services.peers, campaign.storefrontId, campaign.audience, payload.after, payload.upTo);
  const promotion = campaign.promotionId ? await em.findOne(PromotionRow, { id: campaign.promotionId }, { fields: ['couponCode'] }) : null;
  const { content, link, imageUrl } = renderTemplate(campaign.template, { name: '' });
  const keyPrefix = `campaign:${campaign.id}:`;
  const rows = members.map((m) => {
    const { title, message } = renderTemplate(campaign.template, { name: m.name });
    return { id: newId(), customer_id: m.id, segment: m.segment, partner_id: m.partnerId, title, message };
  });
  const written = await em.transactional(async (tx) => {
    // `for key share`: a cancel (`for update`) waits for this chunk, another chunk's count (a plain update) does not.
    const [locked] = (await tx.execute('select status from "promotion"."campaign" where id = ? for key share', [campaign.id])) as {
      status: string;
    }[];
    if (locked?.status !== 'RUNNING' || rows.length === 0) return null;
    await sendOfferMessages(
      services,
      campaign.storefrontId,
      rows.map((r) => ({
        customerId: r.customer_id,
        dedupeKey: `offer:${keyPrefix}${r.customer_id}`,
        title: r.title,
        message: r.message,
        link,
      })),
    );
    // Bound server-side: the chunk's columns are not escaped into the statement's text.
    const offers = await executeBound<{ id: string; customer_id: string; storefront_id: string }>(tx, INSERT_CHUNK, [
      rows.map((r) => r.id),
      rows.map((r) => r.customer_id),
      rows.map((r) => r.segment),
      rows.map((r) => r.partner_id),
      rows.map((r) => r.title),
      rows.map((r) => r.message),
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
    // Last: the row lock this update takes is held only until the commit (the next chunk's count waits that long).
    if (offers.length)
      await tx.execute('update "promotion"."campaign" set notified = notified + ? where id = ?', [offers.length, campaign.id]);
    return offers;
  });
  if (!written) return null;
  await publishOffers(
    services.bus,
    written.map((r) => ({ offerId: r.id, customerId: r.customer_id, storefrontId: r.storefront_id })),
  );
  return { members: members.length, notified: written.length };
}
