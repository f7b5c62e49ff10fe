import { accessKey, type Principal } from '@dcrm/kit/principal.js';
import { type DocumentNode, type GraphQLSchema, TypeInfo, visit, visitWithTypeInfo } from 'graphql';

/**
 * Whom an event's lookup runs as, and which subscribers share its result: one gateway execution per
 * distinct `key` serves every subscriber of the event with that key.
 */
export type View = {
  key: string;
  principal: Principal;
  /** Shared by pricing context: a public offer's fields, which anyone of its storefront may read, are all it selects of the offer. */
  byContext: boolean;
};

/**
 * What each field a public-offer subscription may select reads of the caller, beyond the offer and
 * product rows themselves (audited per resolver):
 *
 * - `Offer.*` below: the row; `offer(id:)` shows a public offer to anyone of its storefront, and
 *   `status` turns EXPIRED by the clock. `title`/`message` are rendered when the offer is made.
 * - `Product.name`/`description`, `Category.name`/`description`: the storefront and the request's
 *   language (`locale`; `country` rides along with it).
 * - `Product.*`, `Category.*` (`productCount` too): which products are visible: storefront and kind.
 * - `Product.price`/`prices`, `Price.*`, `PriceList.*`: the pricing context: storefront, segments
 *   (`segment:` roles), and the account's own negotiated list (the customer id, when it has one).
 * - `Price.displayAmount`: the tax display: kind and segments (business segments see it ex-tax).
 *
 * Left out, so a selection with them is looked up per subscriber: `Product.offers` (the viewer's own
 * personal offers), `Offer.customer` (an account), `Offer.campaign` and the `translations` fields
 * (staff only), and any field added later until it is audited here.
 */
export const CONTEXT_FIELDS: Record<string, ReadonlySet<string>> = {
  Offer: new Set([
    'id',
    'source',
    'title',
    'message',
    'content',
    'link',
    'imageUrl',
    'couponCode',
    'product',
    'score',
    'status',
    'createdAt',
    'expiresAt',
  ]),
  Product: new Set([
    'id',
    'slug',
    'name',
    'kind',
    'status',
    'description',
    'category',
    'attributes',
    'images',
    'price',
    'prices',
    'compatibleAddons',
    'bundleItems',
    'createdAt',
    'updatedAt',
  ]),
  Category: new Set(['id', 'slug', 'name', 'parent', 'children', 'productCount', 'description']),
  ProductAttribute: new Set(['key', 'label', 'value', 'unit']),
  Image: new Set(['url', 'altText']),
  Price: new Set([
    'id',
    'type',
    'amount',
    'interval',
    'deposit',
    'taxCategory',
    'priceList',
    'amountWithTax',
    'amountWithoutTax',
    'taxRate',
    'displayAmount',
  ]),
  PriceList: new Set(['id', 'name', 'currencyCode', 'scope']),
  Money: new Set(['amount', 'currencyCode']),
};

/** Whether every field of a lookup document is one whose answer depends on the context only (`CONTEXT_FIELDS`). */
export function readsContextOnly(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let contextOnly = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType()?.name;
        if (node.name.value === '__typename' || (parent === 'Query' && node.name.value === 'offer')) return;
        if (!parent || !CONTEXT_FIELDS[parent]?.has(node.name.value)) contextOnly = false;
      },
    }),
  );
  return contextOnly;
}

/** Who may share by context: storefront shoppers and customers (staff and partners see more, per identity). */
const SHARING_KINDS = new Set(['anonymous', 'customer']);

/**
 * The principal a shared lookup runs as: the subscriber's, without who they are. Everything
 * `CONTEXT_FIELDS` reads is here (kind, storefront, roles with the segments, scopes, language and
 * country), the id only when the customer has a negotiated price list (`accountPriceListId`), and
 * nothing else: a result computed as this principal cannot depend on more than the key built from it.
 */
export function contextPrincipal(principal: Principal, accountPriceListId: string | null): Principal {
  const context: Principal = {
    kind: principal.kind,
    id: accountPriceListId && principal.kind === 'customer' ? principal.id : null,
    storefrontId: principal.storefrontId,
    partnerId: principal.partnerId,
    roles: [...principal.roles].sort(),
    scopes: [...principal.scopes].sort(),
  };
  if (principal.storefronts !== undefined) context.storefronts = [...principal.storefronts].sort();
  if (principal.locale !== undefined) context.locale = principal.locale;
  if (principal.country !== undefined) context.country = principal.country;
  return context;
}

/** The lookup's own parts: the same text, operation and variables give the same result for the same principal. */
export type LookupShape = { query: string; operationName: string | undefined; variables: Record<string, unknown> };

/**
 * The view of one subscription. `byContext` (a public-offer subscription reading context fields only):
 * shared with every subscriber in the same context, run as `contextPrincipal`; otherwise shared only
 * with the same principal (its client address aside). `accountPriceListId` undefined: not known, so
 * per principal too.
 */
export function viewOf(shape: LookupShape, principal: Principal, byContext: boolean, accountPriceListId?: string | null): View {
  const parts = [shape.query, shape.operationName ?? null, shape.variables];
  if (byContext && SHARING_KINDS.has(principal.kind) && accountPriceListId !== undefined) {
    const context = contextPrincipal(principal, accountPriceListId);
    return { key: JSON.stringify(['context', context, accountPriceListId, ...parts]), principal: context, byContext: true };
  }
  return { key: `${accessKey(principal)}\n${JSON.stringify(['principal', ...parts])}`, principal, byContext: false };
}

/** Whether a principal's views depend on its negotiated price list (to look it up once per connection). */
export const pricedByAccount = (principal: Principal) => principal.kind === 'customer' && principal.id !== null;
