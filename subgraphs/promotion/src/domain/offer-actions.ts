import { actingStorefront, Checks, fail, ok, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { accountOf } from '../clients/accounts.js';
import { productOf } from '../clients/catalog.js';
import { type IOffer, Offer, type OfferStatus, type OfferTemplate, PromotionRow } from '../entities/index.js';
import { effectiveStatus } from './offer-access.js';
import { makeOffer } from './offers.js';
import type { ErrorCode, Result } from './promotion.errors.js';
import type { PromotionServices } from './services.js';
import { checkScore, checkTemplate } from './template-checks.js';
import { renderTemplate } from './templates.js';

export type OfferCreateInput = {
  customerId?: string | null;
  template: OfferTemplate;
  productId?: string | null;
  promotionId?: string | null;
  score?: number | null;
  ttlHours?: number | null;
};

const field = (name: string) => ['input', name];

/**
 * Staff: a personal offer for an account of their segments (next best action), or a public live
 * offer of their storefront when no customer is given. Delivered live to subscribers.
 */
export async function offerCreate(
  em: EntityManager,
  services: PromotionServices,
  principal: Principal,
  input: OfferCreateInput,
): Promise<Result<IOffer>> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) return fail('NO_STOREFRONT', 'Sign in to a storefront first');
  const checks = new Checks<ErrorCode>();
  checks.uuid(input.customerId, field('customerId'));
  checks.uuid(input.productId, field('productId'));
  checks.uuid(input.promotionId, field('promotionId'));
  checkTemplate(checks, input.template, field('template'));
  checkScore(checks, input.score, field('score'));
  checks.int(input.ttlHours, field('ttlHours'), 1, 24 * 365);
  if (!checks.ok) return { ok: false, errors: checks.errors };

  // Each lookup as the staff member: an account outside their segments is as unknown as a missing one.
  const [account, product, promotion] = await Promise.all([
    input.customerId ? accountOf(services.peers, principal, input.customerId) : null,
    input.productId ? productOf(services.peers, principal, input.productId, services.products) : null,
    input.promotionId ? em.findOne(PromotionRow, { id: input.promotionId, storefrontId }) : null,
  ]);
  if (input.customerId && !account) checks.add('NOT_FOUND', 'No such customer', field('customerId'));
  if (input.productId && !product) checks.add('NOT_FOUND', 'No such product', field('productId'));
  if (input.promotionId && !promotion) checks.add('NOT_FOUND', 'No such promotion', field('promotionId'));
  if (!checks.ok) return { ok: false, errors: checks.errors };

  const now = services.clock.now();
  const offer = await makeOffer(em, services.bus, {
    storefrontId,
    customerId: account?.id ?? null,
    segment: account?.segment ?? null,
    partnerId: account?.partner?.id ?? null,
    source: account ? 'AGENT' : 'STOREFRONT',
    promotionId: promotion?.id ?? null,
    productId: product?.id ?? null,
    couponCode: promotion?.couponCode ?? null,
    ...renderTemplate(input.template, { name: account?.name, product: product?.name }),
    score: input.score ?? 50,
    createdAt: now,
    expiresAt: new Date(now.getTime() + (input.ttlHours ?? 72) * 3_600_000),
  });
  return offer ? ok(offer) : fail('CONFLICT', 'Please retry');
}

type Move = { from: OfferStatus[]; to: OfferStatus; stamp: 'seenAt' | 'clickedAt' | 'dismissedAt' };

/** What a customer can do with their offer, as data. */
export const OFFER_MOVES = {
  seen: { from: ['NEW'], to: 'SEEN', stamp: 'seenAt' },
  accept: { from: ['NEW', 'SEEN'], to: 'ACCEPTED', stamp: 'clickedAt' },
  dismiss: { from: ['NEW', 'SEEN', 'ACCEPTED'], to: 'DISMISSED', stamp: 'dismissedAt' },
} satisfies Record<string, Move>;

/**
 * The customer acts on one of their own offers. Repeating the same action is harmless (the offer
 * comes back as it is, and `moved` is not called again); public offers are the storefront's, not the
 * customer's, to change.
 */
export async function offerMove(
  em: EntityManager,
  principal: Principal,
  now: Date,
  id: string,
  move: Move,
  moved?: (offer: IOffer) => Promise<void>,
): Promise<Result<IOffer>> {
  const offer =
    principal.kind === 'customer'
      ? await em.findOne(Offer, { id, customerId: principal.id, storefrontId: actingStorefront(principal) })
      : null;
  if (!offer) return fail('NOT_FOUND', 'No such offer', field('id'));
  if (offer.status === move.to) return ok(offer);
  const status = effectiveStatus(offer, now);
  if (status === 'EXPIRED') return fail('EXPIRED', 'This offer has expired', field('id'));
  if (!move.from.includes(status)) return fail('INVALID_TRANSITION', `A ${status} offer cannot become ${move.to}`, field('id'));
  offer.status = move.to;
  offer[move.stamp] = now;
  await em.flush();
  await moved?.(offer);
  return ok(offer);
}
