import {
  DateTimeScalar,
  type EventBus,
  executeBoundPrepared,
  executePrepared,
  loggerFor,
  newId,
  type OfferPublished,
  offerChannels,
  type PublicOfferFields,
} from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IOffer, Offer, type OfferSource } from '../entities/index.js';

/** An offer to write: personal (customerId with the account's segment and partner) or public (customerId null). */
export type NewOffer = {
  /** Given when the caller must know the id before the offer is written (a decision names its offer). */
  id?: string;
  storefrontId: string;
  customerId: string | null;
  segment: string | null;
  partnerId: string | null;
  source: OfferSource;
  campaignId?: string | null;
  ruleId?: string | null;
  promotionId?: string | null;
  productId?: string | null;
  title: string;
  message: string;
  content?: string | null;
  link?: string | null;
  imageUrl?: string | null;
  couponCode?: string | null;
  score: number;
  createdAt: Date;
  expiresAt: Date | null;
  /** One offer per key, whoever tries (other instances, retries). */
  dedupeKey?: string | null;
};

const INSERT_CHUNK = 2_000;

/** The offer's columns and their SQL types, as the batch's JSON rows declare them. */
const TYPES = {
  id: 'uuid',
  storefront_id: 'uuid',
  customer_id: 'uuid',
  segment: 'text',
  partner_id: 'uuid',
  source: 'text',
  campaign_id: 'uuid',
  rule_id: 'uuid',
  promotion_id: 'uuid',
  product_id: 'uuid',
  title: 'text',
  message: 'text',
  content: 'text',
  link: 'text',
  image_url: 'text',
  coupon_code: 'text',
  // As node-postgres sent a number (its text), so NaN and Infinity read as before.
  score: 'text',
  status: 'text',
  dedupe_key: 'text',
  created_at: 'timestamptz',
  expires_at: 'timestamptz',
} as const;
type Column = keyof typeof TYPES;
const COLUMNS = Object.keys(TYPES) as Column[];

// One text whatever the batch size: the rows are one JSON parameter, so the insert is a named prepared statement
// (kit `executeBoundPrepared`: parsed and planned once per connection), where a values list of 21 placeholders a row
// was parsed and planned anew for every batch, and each value converted and framed by the client.
const INSERT = `insert into "promotion"."offer" (${COLUMNS.map((c) => `"${c}"`).join(', ')})
  select ${COLUMNS.map((c) => (c === 'score' ? 'x."score"::double precision' : `x."${c}"`)).join(', ')}
  from jsonb_to_recordset($1::jsonb) as x(${COLUMNS.map((c) => `"${c}" ${TYPES[c]}`).join(', ')})
  on conflict ("dedupe_key") do nothing returning id, storefront_id, customer_id`;

const jsonRow = (o: NewOffer): Record<Column, unknown> => ({
  id: o.id ?? newId(),
  storefront_id: o.storefrontId,
  customer_id: o.customerId,
  segment: o.segment,
  partner_id: o.partnerId,
  source: o.source,
  campaign_id: o.campaignId ?? null,
  rule_id: o.ruleId ?? null,
  promotion_id: o.promotionId ?? null,
  product_id: o.productId ?? null,
  title: o.title,
  message: o.message,
  content: o.content ?? null,
  link: o.link ?? null,
  image_url: o.imageUrl ?? null,
  coupon_code: o.couponCode ?? null,
  score: String(o.score),
  status: 'NEW',
  dedupe_key: o.dedupeKey ?? null,
  created_at: o.createdAt,
  expires_at: o.expiresAt,
});

/** The same values in column order, for the one-offer insert's placeholders. */
const row = (o: NewOffer): unknown[] => {
  const values = jsonRow(o);
  return COLUMNS.map((c) => values[c]);
};

/**
 * Writes offers in one statement; those whose dedupe key exists already are skipped. Returns the ids
 * created with their audience (customer, or the storefront for public offers), for publishing.
 */
export async function insertOffers(em: EntityManager, offers: NewOffer[]): Promise<PublishedOffer[]> {
  const created: PublishedOffer[] = [];
  for (let from = 0; from < offers.length; from += INSERT_CHUNK) {
    const chunk = offers.slice(from, from + INSERT_CHUNK);
    const rows = await executeBoundPrepared<{ id: string; storefront_id: string; customer_id: string | null }>(em, INSERT, [
      JSON.stringify(chunk.map(jsonRow)),
    ]);
    for (const r of rows) created.push({ offerId: r.id, storefrontId: r.storefront_id, customerId: r.customer_id });
  }
  return created;
}

/** `offer`: a public offer's fields, when the writer has its row (`OfferPublished`). */
export type PublishedOffer = { offerId: string; storefrontId: string; customerId: string | null; offer?: PublicOfferFields };

/**
 * Tells the routers: personal offers on the customer's channel, public ones on the storefront's.
 * Delivery is at-most-once; the offer itself is kept, so a client that was offline finds it in `me.offers`.
 * A batch first asks which of its customers' channels anyone listens on (one `PUBSUB NUMSUB`) and
 * publishes only there: a campaign chunk's thousands of customers are nearly all offline, and a
 * publish per offer cost a sixth of the chunk's CPU.
 */
export async function publishOffers(bus: EventBus, offers: PublishedOffer[]): Promise<void> {
  const channels = offers.map((offer) =>
    offer.customerId ? offerChannels.customer(offer.customerId) : offerChannels.storefront(offer.storefrontId),
  );
  const listened = offers.length > 1 && bus.listenersOf ? await listenedTo(bus.listenersOf.bind(bus), channels) : null;
  // All at once: the Redis client pipelines them, rather than one round trip per offer.
  await Promise.all(
    offers.flatMap((offer, i) => {
      if (listened && !listened[i]) return [];
      const payload: OfferPublished = offer.offer ? { offerId: offer.offerId, offer: offer.offer } : { offerId: offer.offerId };
      return [bus.publish(channels[i], payload).catch((error) => loggerFor('promotion').error({ err: error }, 'offer not published'))];
    }),
  );
}

/** Whether each channel has a listener; on a failed ask, every one (the publishes then report what fails). */
async function listenedTo(listenersOf: (channels: readonly string[]) => Promise<number[]>, channels: string[]): Promise<boolean[]> {
  try {
    return (await listenersOf(channels)).map((n) => n > 0);
  } catch {
    return channels.map(() => true);
  }
}

/** One offer, all its columns back: the caller gets the row it wrote without reading it again. */
const INSERT_ONE = `insert into "promotion"."offer" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})
  on conflict ("dedupe_key") do nothing returning *`;

/**
 * Writes one offer and announces it; null when its dedupe key was taken already. One statement, as a
 * prepared statement (planned once per connection); the publish goes out as soon as the row is written,
 * and the answer is the returned row, not a second read.
 */
export async function makeOffer(em: EntityManager, bus: EventBus, offer: NewOffer): Promise<IOffer | null> {
  const [written] = await executePrepared(em, INSERT_ONE, row(offer));
  if (!written) return null;
  const created = em.map(Offer, written);
  const published: PublishedOffer = { offerId: created.id, storefrontId: created.storefrontId, customerId: created.customerId ?? null };
  if (!published.customerId) published.offer = publicFields(created);
  await publishOffers(bus, [published]);
  return created;
}

/** A public offer as `Offer` answers it (resolvers/offers.ts): the number and dates serialised as the subgraph does. */
function publicFields(o: IOffer): PublicOfferFields {
  return {
    id: o.id,
    storefrontId: o.storefrontId,
    source: o.source,
    title: o.title,
    message: o.message,
    content: o.content ?? null,
    link: o.link ?? null,
    imageUrl: o.imageUrl ?? null,
    couponCode: o.couponCode ?? null,
    productId: o.productId ?? null,
    score: Number(o.score),
    status: o.status,
    createdAt: DateTimeScalar.serialize(o.createdAt) as string,
    expiresAt: o.expiresAt ? (DateTimeScalar.serialize(o.expiresAt) as string) : null,
  };
}
