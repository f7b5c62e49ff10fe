import {
  amountWithTax,
  isFirstPage,
  money,
  notFound,
  type PageArgs,
  parsePage,
  type TotalsData,
  taxInclusiveTotals,
  toConnection,
} from '@dcrm/kit';
import { isExpired } from '../domain/access.js';
import { findQuote, listQuotes } from '../domain/quotes.js';
import type { DiscountType, QuoteStatus } from '../entities/index.js';
import type { QuoteContext, QuoteResolvers } from './context.js';

const SORT = 'NEWEST';

/** A page of the quotes the caller may see: all, an account's or an opportunity's. */
export async function quotesPage(
  ctx: QuoteContext,
  args: PageArgs & { status?: QuoteStatus | null },
  of: { customerId?: string; opportunityId?: string } = {},
) {
  const { customerId, opportunityId } = of;
  const page = parsePage(args, SORT, 1);
  // An account's first page comes from the request's loader (one statement for a list of accounts).
  const rows =
    customerId && !opportunityId && isFirstPage(page) && !args.status
      ? await ctx.loaders.customerQuotes.load(customerId)
      : await listQuotes(ctx.em, ctx.principal, {
          customerIds: customerId ? [customerId] : undefined,
          opportunityId,
          status: args.status,
          page,
        });
  return toConnection(rows.slice(0, page.limit + 1), page, SORT, (q) => [q.id]);
}

const discountView = (type: DiscountType | null | undefined, value: string | null | undefined) =>
  type && value != null ? { type, value } : null;

/** A stored totals snapshot as Money fields. */
export function totalsView(t: TotalsData) {
  const m = (amount: string | undefined) => money(amount ?? '0.00', t.currencyCode);
  const withTax = taxInclusiveTotals(t);
  return {
    subtotalOneOff: m(t.subtotalOneOff),
    subtotalRecurring: m(t.subtotalRecurring),
    discounts: m(t.discounts),
    recurringDiscounts: m(t.recurringDiscounts),
    deposit: m(t.deposit),
    taxOneOff: m(t.taxOneOff),
    taxRecurring: m(t.taxRecurring),
    dueNow: m(t.dueNow),
    monthly: m(t.monthly),
    subtotalOneOffWithTax: m(withTax.subtotalOneOffWithTax),
    subtotalRecurringWithTax: m(withTax.subtotalRecurringWithTax),
    discountsWithTax: m(withTax.discountsWithTax),
    recurringDiscountsWithTax: m(withTax.recurringDiscountsWithTax),
  };
}

/** Query.quote/quotes, type Quote and QuoteLine, Customer.quotes (360°). */
export const quoteResolvers: QuoteResolvers = {
  Query: {
    quote: async (_, { id }, ctx) => {
      const quote = await findQuote(ctx.em, ctx.principal, id);
      if (!quote) throw notFound('Quote');
      return quote;
    },
    quotes: (_, args, ctx) => quotesPage(ctx, args),
  },
  Quote: {
    // Who may look quotes up is `@lookup` in the SDL; the loader keeps to the rows the caller may see.
    __resolveReference: (ref, ctx) => ctx.loaders.quote.load(ref.id),
    expired: (q, _, ctx) => isExpired(q, ctx.loaders.now),
    customer: (q) => (q.customerId ? { __typename: 'Customer', id: q.customerId } : null),
    discount: (q) => discountView(q.discountType, q.discountValue),
    lines: (q, _, ctx) => ctx.loaders.lines.load(q.id).then((lines) => lines.map((l) => ({ ...l, currencyCode: q.currencyCode }))),
    totals: (q) => totalsView(q.totals),
  },
  QuoteLine: {
    product: (l) => ({ __typename: 'Product', id: l.productId }),
    discount: (l) => discountView(l.discountType, l.discountValue),
    recurringPrice: (l) => (l.recurringPrice ? money(l.recurringPrice, l.currencyCode) : null),
    oneOffPrice: (l) => (l.oneOffPrice ? money(l.oneOffPrice, l.currencyCode) : null),
    recurringPriceWithTax: (l) =>
      l.recurringPrice ? money(amountWithTax(l.recurringPrice, l.currencyCode, l.taxCategory), l.currencyCode) : null,
    oneOffPriceWithTax: (l) => (l.oneOffPrice ? money(amountWithTax(l.oneOffPrice, l.currencyCode, l.taxCategory), l.currencyCode) : null),
    deposit: (l) => (l.deposit ? money(l.deposit, l.currencyCode) : null),
    discountOneOff: (l) => money(l.discountOneOff, l.currencyCode),
    discountRecurring: (l) => money(l.discountRecurring, l.currencyCode),
  },
  Customer: {
    __resolveReference: (ref) => ({ id: ref.id }),
    // Reached through the customer subgraph's rules; the quote scope still applies (a customer only ever gets their own).
    quotes: (c, args, ctx) => quotesPage(ctx, args, { customerId: c.id }),
  },
};
