import { fail, newId, ok } from '@dcrm/kit';
import { type IQuote, type IQuoteLine, linesOf, Quote, QuoteAcceptance, QuoteLine } from '../entities/index.js';
import type { Result } from './quote.errors.js';
import { f } from './quote-checks.js';
import type { WriteCtx } from './quote-context.js';

/** Statuses in which an edit makes a new revision instead of changing the quote. */
export const REVISABLE = new Set<IQuote['status']>(['SUBMITTED', 'APPROVED', 'REJECTED']);

export type Revised = { quote: IQuote; lines: IQuoteLine[]; lineIds: Map<string, string> };

/**
 * A new DRAFT revision of a submitted, approved or rejected quote (same number, revision + 1, its
 * lines copied with new ids, no approvals), the old one kept read-only as SUPERSEDED. Persisted with
 * the edit's flush: a concurrent revision of the same quote is a CONFLICT (unique number + revision,
 * and the old row's version).
 */
export async function newRevision(ctx: WriteCtx, old: IQuote): Promise<Result<Revised>> {
  if (!REVISABLE.has(old.status)) return fail('NOT_EDITABLE', `A ${old.status} quote cannot be changed`, f('id'));
  if (await ctx.em.count(QuoteAcceptance, { quoteId: old.id }))
    return fail('NOT_EDITABLE', 'The quote is being accepted and cannot be changed', f('id'));
  const lines = await linesOf(ctx.em, [old.id]);
  const {
    id: _id,
    createdAt: _c,
    updatedAt: _u,
    version: _v,
    status: _s,
    submittedBy: _sb,
    submittedByKind: _sk,
    revision,
    ...kept
  } = old as IQuote & Record<string, unknown>;
  const now = new Date();
  const quote = ctx.em.create(Quote, {
    ...(kept as Omit<IQuote, 'id'>),
    id: newId(),
    revision: revision + 1,
    status: 'DRAFT',
    createdBy: ctx.principal.id,
    createdAt: now,
    updatedAt: now,
  });
  const lineIds = new Map<string, string>();
  const copies: IQuoteLine[] = [];
  for (const line of lines) {
    const { id, quote: _q, parentLineId, ...rest } = line as IQuoteLine & Record<string, unknown>;
    const copy = ctx.em.create(QuoteLine, {
      ...(rest as Omit<IQuoteLine, 'id' | 'quote'>),
      id: newId(),
      quote,
      parentLineId: parentLineId ? (lineIds.get(parentLineId as string) ?? null) : null,
    });
    lineIds.set(id as string, copy.id);
    copies.push(copy);
  }
  old.status = 'SUPERSEDED';
  old.updatedAt = now;
  return ok({ quote, lines: copies, lineIds });
}
