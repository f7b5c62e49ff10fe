import { columns, type TaxCategory, type TotalsData } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** TMF648 Quote states: DRAFT = inProgress, SUBMITTED = pending; the others by name (SUPERSEDED: an older revision, read-only). */
export const QUOTE_STATUSES = ['DRAFT', 'SUBMITTED', 'APPROVED', 'REJECTED', 'ACCEPTED', 'CANCELLED', 'SUPERSEDED'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

export const DISCOUNT_TYPES = ['PERCENT', 'AMOUNT'] as const;
export type DiscountType = (typeof DISCOUNT_TYPES)[number];

/** The contact a quote is for when it is not for an account. */
export type Prospect = { name: string; email?: string | null; phone?: string | null; company?: string | null };

/**
 * One revision of a quote. `segment` and `partnerId` are copied from the account when written (or
 * chosen by staff for a prospect) so access is decided without asking the customer subgraph.
 */
export const Quote = defineEntity({
  name: 'Quote',
  tableName: 'quote',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    customerId: p.uuid().nullable(),
    partnerId: p.uuid().nullable(),
    segment: p.string(),
    prospect: p.json<Prospect>().nullable(),
    opportunityId: p.uuid().nullable(),
    number: p.string(),
    revision: p.integer().default(1),
    status: p.enum(QUOTE_STATUSES).default('DRAFT'),
    validFrom: p.datetime(),
    validUntil: p.datetime(),
    currencyCode: p.string().length(3),
    discountType: p.enum(DISCOUNT_TYPES).nullable(),
    discountValue: p.decimal('string').precision(12).scale(2).nullable(),
    /** As last priced: line, quote and promotion discounts included (`appliedDiscounts`: the promotions). */
    promoCodes: p.json<string[]>().onCreate(() => []),
    totals: p.json<TotalsData>(),
    internalNote: p.text().nullable(),
    /** The contract template the quote's monthly lines are sold on: accepting it makes a contract. */
    contractTemplateId: p.uuid().nullable(),
    /** Who submitted this revision (principal id and kind): customers and partners are told of the decision. */
    submittedBy: p.string().nullable(),
    submittedByKind: p.string().nullable(),
    createdBy: p.string().nullable(),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
    version: columns.version(),
  },
});
export type IQuote = InferEntity<typeof Quote>;

/** A product on a quote with its priced snapshot (unit prices tax-exclusive) and its line discount. */
export const QuoteLine = defineEntity({
  name: 'QuoteLine',
  tableName: 'quote_line',
  properties: {
    id: columns.id(),
    quote: () => p.manyToOne(Quote),
    position: p.integer(),
    productId: p.uuid(),
    parentLineId: p.uuid().nullable(),
    name: p.string(),
    kind: p.string(),
    quantity: p.integer(),
    discountType: p.enum(DISCOUNT_TYPES).nullable(),
    discountValue: p.decimal('string').precision(12).scale(2).nullable(),
    recurringPrice: p.decimal('string').precision(12).scale(2).nullable(),
    oneOffPrice: p.decimal('string').precision(12).scale(2).nullable(),
    deposit: p.decimal('string').precision(12).scale(2).nullable(),
    taxCategory: p.enum(['STANDARD', 'REDUCED', 'ZERO', 'EXEMPT'] as const satisfies readonly TaxCategory[]).default('STANDARD'),
    /** What the line discount takes off the line (all units), tax-exclusive. */
    discountOneOff: p.decimal('string').precision(12).scale(2).default('0.00'),
    discountRecurring: p.decimal('string').precision(12).scale(2).default('0.00'),
    /** The line's share of the promotions (tax-exclusive), so an accepted quote is ordered at exactly its totals. */
    promotionOneOff: p.decimal('string').precision(12).scale(2).default('0.00'),
    promotionRecurring: p.decimal('string').precision(12).scale(2).default('0.00'),
  },
});
export type IQuoteLine = InferEntity<typeof QuoteLine>;

export const ACCEPTANCE_STATUSES = ['PENDING', 'DONE'] as const;

/**
 * The acceptance of one quote revision: begun (PENDING, before the cart is asked for the order) and
 * done (with its order and contract). A PENDING one is resumed — by a retry, whatever its key, or by the
 * periodic sweep — so an order placed before a crash is recorded on the quote.
 */
export const QuoteAcceptance = defineEntity({
  name: 'QuoteAcceptance',
  tableName: 'quote_acceptance',
  properties: {
    quoteId: p.uuid().primary(),
    storefrontId: p.uuid(),
    idempotencyKey: p.string(),
    /** The cart's key: `quote:<id>:r<revision>`, the same on every retry. */
    orderKey: p.string(),
    status: p.enum(ACCEPTANCE_STATUSES).default('PENDING'),
    actorKind: p.string(),
    actorId: p.string(),
    startedAt: p.datetime(),
    acceptedAt: p.datetime().nullable(),
    orderId: p.uuid().nullable(),
    contractId: p.uuid().nullable(),
  },
});
export type IQuoteAcceptance = InferEntity<typeof QuoteAcceptance>;
