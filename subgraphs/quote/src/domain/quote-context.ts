import { actingStorefront, fromMinor, hasScope, type Principal, promotionClient, toMinor } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { IQuote } from '../entities/index.js';
import { QUOTE_WRITE } from './access.js';
import type { LineDraft, PricedDraft } from './lines.js';
import { priceDrafts } from './lines.js';
import { type Discount, lineDiscounts, type PromotionShare, quoteTotals } from './pricing.js';
import { pricingPrincipal } from './pricing-principal.js';
import type { QuoteServices } from './services.js';

export type WriteCtx = { em: EntityManager; principal: Principal; services: QuoteServices };

/** Who may write quotes at all: staff with quote:write, partners and customers (their rows, decided per quote). */
export const mayWrite = (principal: Principal): boolean =>
  !!actingStorefront(principal) && (principal.kind !== 'staff' || hasScope(principal, QUOTE_WRITE));

/** Only staff grant discounts and write internal notes. */
export const isStaff = (principal: Principal): boolean => principal.kind === 'staff';

type Priceable = Pick<IQuote, 'storefrontId' | 'customerId' | 'partnerId' | 'segment' | 'currencyCode' | 'promoCodes'>;

/**
 * The lines priced by the catalog for the quote's buyer, with manual discounts and the promotions the
 * promotion subgraph finds (first-order promotions never apply to a quote), and the quote's totals.
 */
export async function priceQuote(ctx: WriteCtx, quote: Priceable, drafts: LineDraft[], discount: Discount | null, locale: string | null) {
  const priced = await priceDrafts(ctx.services.peers('catalog'), pricingPrincipal(quote), drafts, quote.currencyCode);
  if (!priced.ok) return priced;
  const evaluation = await promotionClient(ctx.services.peers, 'quote').evaluate(quote.storefrontId, {
    customerId: quote.customerId ?? null,
    channel: ctx.principal.kind === 'customer' ? 'WEB' : 'AGENT',
    couponCodes: quote.promoCodes,
    isFirstOrder: false,
    locale,
    lines: priced.lines.map((l) => ({
      lineId: l.id,
      productId: l.productId,
      categoryId: l.categoryId,
      kind: l.kind,
      quantity: l.quantity,
      unitRecurring: l.recurring,
      unitOneOff: l.oneOff,
      parentLineId: l.parentLineId,
    })),
  });
  const codeProblems = evaluation.codeProblems.filter((p) => p.problem);
  const withManual: PricedDraft[] = lineDiscounts(priced.lines, discount);
  const promotions = promotionShares(evaluation.discounts);
  return {
    ok: true as const,
    lines: withManual.map((l) => ({ ...l, ...(promotions.get(l.id) ?? ZERO_SHARE) })),
    totals: quoteTotals(priced.lines, discount, evaluation.discounts, quote.currencyCode),
    codeProblems,
  };
}

type LineShare = { promotionOneOff: string; promotionRecurring: string };
const ZERO_SHARE: LineShare = { promotionOneOff: '0.00', promotionRecurring: '0.00' };

/** Each line's share of the promotions (summed over promotions), kept on the line so acceptance orders exactly the quote's totals. */
function promotionShares(promotions: PromotionShare[]): Map<string, LineShare> {
  const sums = new Map<string, { oneOff: number; recurring: number }>();
  for (const promotion of promotions)
    for (const share of promotion.lines) {
      const sum = sums.get(share.lineId) ?? { oneOff: 0, recurring: 0 };
      sum.oneOff += toMinor(share.oneOff);
      sum.recurring += toMinor(share.recurring);
      sums.set(share.lineId, sum);
    }
  return new Map([...sums].map(([id, s]) => [id, { promotionOneOff: fromMinor(s.oneOff), promotionRecurring: fromMinor(s.recurring) }]));
}
