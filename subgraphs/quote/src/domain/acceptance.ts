import { fail, hasScope, isUuid, ok, type Principal } from '@dcrm/kit';
import { LockMode } from '@mikro-orm/core';
import { type IQuote, type IQuoteAcceptance, linesOf, Quote, QuoteAcceptance } from '../entities/index.js';
import { completeAcceptance } from './acceptance-complete.js';
import { matchesTotals } from './acceptance-lines.js';
import { isExpired, QUOTE_WRITE, quoteScope } from './access.js';
import { priceDrafts, storedDrafts } from './lines.js';
import { pricingPrincipal } from './pricing-principal.js';
import type { Result } from './quote.errors.js';
import type { WriteCtx } from './quote-context.js';

/**
 * `quoteAccept` (TMF648 accepted): an APPROVED quote revision of an account, within its validity, is
 * accepted by its customer (self-care), a partner of its account, or staff with quote:write in its
 * brand and segment (assisted sale, the staff member recorded). In order: the key, the quote the caller
 * may reach, a replay (same key → the same answer), expiry (QUOTE_EXPIRED), status, version, the
 * catalog still selling every product; then the acceptance is begun (a row under the quote's lock, its
 * version bumped so a racing edit gets CONFLICT), the order is placed through the cart outside any
 * transaction (key `quote:<id>:r<revision>`), and it is completed — order, contract, ACCEPTED,
 * `quote.accepted` — in one transaction (acceptance-complete.ts). A begun acceptance is resumed, not
 * checked again: it was begun in time, and its order may already exist.
 */
export type AcceptArgs = { id: string; version: number; idempotencyKey: string };

/** Customers (their own quotes), partners (their accounts') and staff with quote:write. */
export const mayAccept = (principal: Principal): boolean =>
  ['customer', 'partner', 'staff'].includes(principal.kind) && (principal.kind !== 'staff' || hasScope(principal, QUOTE_WRITE));

export const orderKeyOf = (quote: Pick<IQuote, 'id' | 'revision'>) => `quote:${quote.id}:r${quote.revision}`;

export async function quoteAccept(ctx: WriteCtx, args: AcceptArgs): Promise<Result<IQuote>> {
  const key = args.idempotencyKey.trim();
  if (key.length < 8 || key.length > 200) return fail('INVALID', 'Use 8 to 200 characters, e.g. a UUID', ['idempotencyKey']);
  if (!mayAccept(ctx.principal)) return fail('FORBIDDEN', `Missing scope ${QUOTE_WRITE}`, ['id']);
  const scope = quoteScope(ctx.principal);
  const quote = scope && isUuid(args.id) ? await ctx.em.findOne(Quote, { $and: [scope, { id: args.id }] }) : null;
  if (!quote) return fail('NOT_FOUND', 'No such quote', ['id']);
  const begun = await ctx.em.findOne(QuoteAcceptance, { quoteId: quote.id });
  if (begun?.status === 'DONE')
    return begun.idempotencyKey === key ? ok(quote) : fail('ALREADY_ACCEPTED', 'The quote has been accepted already', ['id']);
  if (begun) return completeAcceptance(ctx.em, ctx.services, begun);
  const checked = await acceptable(ctx, quote, args.version);
  if (!checked.ok) return checked;
  const started = await begin(ctx, quote.id, args.version, key);
  if (!started.ok) return started;
  return completeAcceptance(ctx.em, ctx.services, started.value);
}

/** The checks before anything is written: validity first, then status, version, buyer, totals and the catalog. */
async function acceptable(ctx: WriteCtx, quote: IQuote, version: number): Promise<Result<IQuote>> {
  if (isExpired(quote, ctx.services.clock.now()))
    return fail('QUOTE_EXPIRED', `The quote expired on ${quote.validUntil.toISOString().slice(0, 10)}; ask for a new one`, ['id']);
  if (quote.status !== 'APPROVED')
    return fail('INVALID_STATUS', `Only an approved quote can be accepted; this one is ${quote.status}`, ['id']);
  if (quote.version !== version) return fail('CONFLICT', `The quote changed since version ${version}; reload it`, ['version']);
  if (!quote.customerId) return fail('NO_CUSTOMER', 'The quote is for a prospect: make it for their account first', ['id']);
  const lines = await linesOf(ctx.em, [quote.id]);
  if (!matchesTotals(lines, quote.totals, quote.currencyCode))
    return fail('QUOTE_STALE', 'The quote was priced before acceptance was possible; edit it to price it again', ['id']);
  const still = await priceDrafts(ctx.services.peers('catalog'), pricingPrincipal(quote), storedDrafts(lines), quote.currencyCode);
  if (!still.ok) return fail('PRODUCT_UNAVAILABLE', 'A product of the quote is no longer sold; ask for a new quote', ['id']);
  return ok(quote);
}

/** The acceptance row, written under the quote's lock after checking it again (a racing accept or edit loses). */
async function begin(ctx: WriteCtx, id: string, version: number, key: string): Promise<Result<IQuoteAcceptance>> {
  const now = ctx.services.clock.now();
  return ctx.em.transactional(async (tx) => {
    const quote = await tx.findOneOrFail(Quote, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    const raced = await tx.findOne(QuoteAcceptance, { quoteId: id });
    if (raced) return ok(raced);
    if (quote.status !== 'APPROVED' || quote.version !== version)
      return fail('CONFLICT', 'The quote changed meanwhile; reload it', ['version']);
    if (isExpired(quote, now)) return fail('QUOTE_EXPIRED', 'The quote has expired; ask for a new one', ['id']);
    const acceptance = tx.create(QuoteAcceptance, {
      quoteId: id,
      storefrontId: quote.storefrontId,
      idempotencyKey: key,
      orderKey: orderKeyOf(quote),
      status: 'PENDING',
      actorKind: ctx.principal.kind,
      actorId: ctx.principal.id as string,
      startedAt: now,
    });
    quote.updatedAt = now;
    return ok(acceptance);
  });
}

/** The acceptance of each revision, for `Quote.order`, `Quote.contract` and `Order.quote`. */
export const acceptancesOf = (em: WriteCtx['em'], quoteIds: readonly string[]) =>
  em.find(QuoteAcceptance, { quoteId: { $in: [...quoteIds] }, status: 'DONE' });

/** The accepted quotes orders came from, those the caller may see: two statements for any number of orders. */
export async function quotesOfOrders(
  ctx: Pick<WriteCtx, 'em' | 'principal'>,
  orderIds: readonly string[],
): Promise<{ orderId: string; quote: IQuote }[]> {
  const scope = quoteScope(ctx.principal);
  const ids = orderIds.filter((id) => isUuid(id));
  if (!scope || ids.length === 0) return [];
  const acceptances = await ctx.em.find(QuoteAcceptance, { orderId: { $in: ids }, status: 'DONE' });
  if (acceptances.length === 0) return [];
  const orderOf = new Map(acceptances.map((a) => [a.quoteId, a.orderId as string]));
  const quotes = await ctx.em.find(Quote, { $and: [scope, { id: { $in: [...orderOf.keys()] } }] });
  return quotes.map((quote) => ({ orderId: orderOf.get(quote.id) as string, quote }));
}
