import { fail, ok } from '@dcrm/kit';
import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import { ContractTemplate, type IQuote, type IQuoteLine, QuoteLine } from '../entities/index.js';
import type { PricedDraft } from './lines.js';
import type { Result } from './quote.errors.js';
import { f } from './quote-checks.js';
import type { WriteCtx } from './quote-context.js';

// Saving a quote's writes: its priced lines, the flush (CONFLICT on a racing change), and the template check.

/** A contract template of the storefront that new contracts may still be made from. */
export const activeTemplate = async (ctx: WriteCtx, storefrontId: string, id: string) =>
  !!(await ctx.em.findOne(ContractTemplate, { id, storefrontId, active: true }, { fields: ['id'] }));

/** Writes priced lines onto their entities (new ones created), the others of the quote removed. */
export function applyLines(ctx: WriteCtx, quote: IQuote, stored: IQuoteLine[], priced: PricedDraft[]) {
  const byId = new Map(stored.map((l) => [l.id, l]));
  const kept = new Set(priced.map((l) => l.id));
  for (const line of stored) if (!kept.has(line.id)) ctx.em.remove(line);
  priced.forEach((l, position) => {
    const snapshot = {
      position,
      name: l.name,
      kind: l.kind,
      quantity: l.quantity,
      discountType: l.discountType,
      discountValue: l.discountValue,
      recurringPrice: l.recurring,
      oneOffPrice: l.oneOff,
      deposit: l.deposit,
      taxCategory: l.taxCategory,
      discountOneOff: l.discountOneOff ?? '0.00',
      discountRecurring: l.discountRecurring ?? '0.00',
      promotionOneOff: l.promotionOneOff ?? '0.00',
      promotionRecurring: l.promotionRecurring ?? '0.00',
    };
    const line = byId.get(l.id);
    if (line) Object.assign(line, snapshot);
    else ctx.em.create(QuoteLine, { id: l.id, quote, productId: l.productId, parentLineId: l.parentLineId, ...snapshot });
  });
}

export async function save(ctx: WriteCtx, quote: IQuote): Promise<Result<IQuote>> {
  try {
    await ctx.em.flush();
    return ok(quote);
  } catch (error) {
    if (error instanceof OptimisticLockError || error instanceof UniqueConstraintViolationException)
      return fail('CONFLICT', 'The quote changed meanwhile; reload it', f('version'));
    throw error;
  }
}
