import {
  badInput,
  byId,
  cursorDate,
  cursorId,
  firstPage,
  groupedBy,
  isUuid,
  memo,
  type OrmKey,
  type Principal,
  parentPages,
  windowByParent,
} from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { brandOf } from './clients/brand.js';
import { createContractLoaders } from './contract-loaders.js';
import { acceptancesOf, quotesOfOrders } from './domain/acceptance.js';
import { quoteScope } from './domain/access.js';
import { approvalsOfRevisions } from './domain/approvals.js';
import { listQuotes, visibleQuotes } from './domain/quotes.js';
import type { QuoteServices } from './domain/services.js';
import {
  ContractTemplate,
  type IContractTemplate,
  type IQuote,
  type IQuoteAcceptance,
  type IQuoteApproval,
  type IQuoteAttachment,
  type IQuoteLine,
  linesOf,
  numberKey,
  parseNumberKey,
  Quote,
  QuoteAttachment,
} from './entities/index.js';

/** At most this many quotes per account are read at once for `Customer.quotes` (later pages page in SQL). */
export const CUSTOMER_QUOTES_LIMIT = 500;

// A quote's attachments, oldest first; its revisions, first first.
const OLDEST_KEYS: OrmKey[] = [
  { field: 'createdAt', dir: 'asc', parse: cursorDate },
  { field: 'id', dir: 'asc', parse: cursorId },
];
const REVISION_KEYS: OrmKey[] = [
  {
    field: 'revision',
    dir: 'asc',
    parse: (v) => {
      if (!Number.isInteger(v)) throw badInput('Malformed cursor');
      return v;
    },
  },
  { field: 'id', dir: 'asc', parse: cursorId },
];

// Quote numbers are free text of the storefront's numbering: any non-empty one may be a parent.
const isNumber = (number: string) => number.length > 0;

/** Rows of quote-number keys (`numberKey`), read storefront by storefront and put together. */
async function byStorefront<T>(keys: readonly string[], read: (storefrontId: string, numbers: string[]) => Promise<T[]>): Promise<T[]> {
  const numbers = new Map<string, string[]>();
  for (const { storefrontId, number } of keys.map(parseNumberKey)) {
    if (isUuid(storefrontId)) numbers.set(storefrontId, [...(numbers.get(storefrontId) ?? []), number]);
  }
  return (await Promise.all([...numbers].map(([storefrontId, list]) => read(storefrontId, list)))).flat();
}

export type QuoteLoaders = ReturnType<typeof createQuoteLoaders>;

export function createQuoteLoaders(em: EntityManager, principal: Principal, services: QuoteServices) {
  return {
    ...createContractLoaders(em, principal),
    now: services.clock.now(),
    // The request's brand (name, theme) for quote documents: one catalog call however many are rendered.
    brand: memo(() => brandOf(services.peers('catalog'), principal)),
    // Quotes the principal may see (`Query.quote`, `_entities`).
    quote: byId<IQuote>(
      (ids) => visibleQuotes(em, principal, ids),
      (q) => q.id,
    ),
    // `Customer.quotes` first pages: one statement for every account of a list.
    customerQuotes: groupedBy<IQuote>(
      (ids) => listQuotes(em, principal, { customerIds: ids, page: firstPage(CUSTOMER_QUOTES_LIMIT) }),
      (q) => q.customerId as string,
    ),
    // The acceptance of each revision (`Quote.order`, `.contract`, `.acceptance`); the quote was loaded within the caller's scope.
    acceptance: byId<IQuoteAcceptance>(
      (ids) => acceptancesOf(em, ids),
      (a) => a.quoteId,
    ),
    // `Order.quote`: the accepted quote of each order of a list, within the caller's scope.
    orderQuote: byId<{ orderId: string; quote: IQuote }>(
      (ids) => quotesOfOrders({ em, principal }, ids),
      (r) => r.orderId,
    ),
    // Contract templates named by quotes of the caller's storefront (`Quote.contractTerms`).
    contractTemplate: byId<IContractTemplate>(
      (ids) => em.find(ContractTemplate, { id: { $in: [...ids] }, storefrontId: principal.storefrontId ?? undefined }),
      (t) => t.id,
    ),
    lines: groupedBy<IQuoteLine>(
      (ids) => linesOf(em, ids),
      (l) => (typeof l.quote === 'string' ? l.quote : l.quote.id),
    ),
    // `Quote.approvals`/`approvalRules` of a page of quotes: one statement, by quote (revision) id.
    approvals: groupedBy<IQuoteApproval>(
      (ids) => approvalsOfRevisions(em, ids),
      (a) => a.quoteId,
    ),
    // `Quote.attachments` and `Quote.revisions` hang on the quote number (`numberKey`), shared by its revisions:
    // one statement per page request and storefront (a request's quotes are of one), however many quotes.
    attachments: parentPages<IQuoteAttachment>(
      (parents, page) =>
        byStorefront(parents, (storefrontId, numbers) =>
          windowByParent(em, QuoteAttachment, 'quoteNumber', numbers, { storefrontId }, OLDEST_KEYS, page, isNumber),
        ),
      {
        sort: 'OLDEST',
        arity: 2,
        keyOf: (a) => [a.createdAt.toISOString(), a.id],
        parentOf: (a) => numberKey({ storefrontId: a.storefrontId, number: a.quoteNumber }),
      },
    ),
    revisions: parentPages<IQuote>(
      async (parents, page) => {
        const scope = quoteScope(principal);
        if (!scope) return [];
        return byStorefront(parents, (storefrontId, numbers) =>
          windowByParent(em, Quote, 'number', numbers, { $and: [scope, { storefrontId }] }, REVISION_KEYS, page, isNumber),
        );
      },
      { sort: 'REVISION', arity: 2, keyOf: (q) => [q.revision, q.id], parentOf: (q) => numberKey(q) },
    ),
  };
}
