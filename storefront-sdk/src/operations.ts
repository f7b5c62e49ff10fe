/**
 * Ready-made typed operations for the common storefront journeys. Each takes the client first, so an
 * app bundles only the ones it imports. All resolve to `{ data, errors, extensions }` (see
 * `StorefrontClient.request`): check `errors` for GraphQL errors and the payload's `userErrors` for
 * business failures of a mutation.
 */
import type { RequestOptions, StorefrontClient } from './client.js';
import type { GraphQLResult } from './errors.js';
import {
  CartAttachCustomerDocument,
  type CartAttachCustomerInput,
  type CartAttachCustomerMutation,
  CartCheckoutDocument,
  type CartCheckoutMutation,
  CartCreateDocument,
  type CartCreateInput,
  type CartCreateMutation,
  CartDocument,
  CartLinesAddDocument,
  type CartLinesAddInput,
  type CartLinesAddMutation,
  CartLinesRemoveDocument,
  type CartLinesRemoveInput,
  type CartLinesRemoveMutation,
  CartLinesUpdateDocument,
  type CartLinesUpdateInput,
  type CartLinesUpdateMutation,
  CartPromoCodeApplyDocument,
  type CartPromoCodeApplyMutation,
  type CartPromoCodeInput,
  CartPromoCodeRemoveDocument,
  type CartPromoCodeRemoveMutation,
  type CartQuery,
  type CartQueryVariables,
  type CartRef,
  CategoriesDocument,
  type CategoriesQuery,
  type CategoriesQueryVariables,
  CompareProductsDocument,
  type CompareProductsQuery,
  type CompareProductsQueryVariables,
  DropLinkRecoverDocument,
  type DropLinkRecoverMutation,
  MeDocument,
  type MeQuery,
  type MeQueryVariables,
  MyOffersDocument,
  type MyOffersQuery,
  type MyOffersQueryVariables,
  MyOrdersDocument,
  type MyOrdersQuery,
  type MyOrdersQueryVariables,
  OfferAcceptDocument,
  type OfferAcceptMutation,
  OfferDismissDocument,
  type OfferDismissMutation,
  OfferReceivedDocument,
  type OfferReceivedSubscription,
  OfferSeenDocument,
  type OfferSeenMutation,
  OrderDocument,
  type OrderQuery,
  type OrderQueryVariables,
  ProductDocument,
  type ProductQuery,
  ProductsDocument,
  type ProductsQuery,
  type ProductsQueryVariables,
  ProductViewedDocument,
  type ProductViewedMutation,
  SiteMessagesDocument,
  SiteMessagesMarkReadDocument,
  type SiteMessagesMarkReadMutation,
  type SiteMessagesQuery,
  type SiteMessagesQueryVariables,
  StorefrontDocument,
  StorefrontLiveOffersDocument,
  type StorefrontLiveOffersQuery,
  type StorefrontLiveOffersQueryVariables,
  StorefrontOffersDocument,
  type StorefrontOffersSubscription,
  type StorefrontQuery,
} from './generated/graphql.js';
import type { SubscribeOptions } from './live.js';

// ── Catalog ──────────────────────────────────────────────────────────────────────────────────────

/** The storefront (white-label brand) of the client's API key: name, theme colours and logo, currency, locale. */
export const getStorefront = (client: StorefrontClient, options?: RequestOptions): Promise<GraphQLResult<StorefrontQuery>> =>
  client.request(StorefrontDocument, {}, options);

/**
 * A page of the storefront's products with facets: `query` is full-text search (words, "phrases",
 * -exclusions, OR; the last word matches as a prefix), `filter` by kind/category/price band, `sort`,
 * and paging with `first` (≤ 100) and `after` (the previous page's `pageInfo.endCursor`).
 */
export const getProducts = (
  client: StorefrontClient,
  variables: ProductsQueryVariables = {},
  options?: RequestOptions,
): Promise<GraphQLResult<ProductsQuery>> => client.request(ProductsDocument, variables, options);

/** One product by `slug` or `id` (exactly one), with attributes, compatible add-ons and bundle items. */
export const getProduct = (
  client: StorefrontClient,
  by: { id: string; slug?: never } | { slug: string; id?: never },
  options?: RequestOptions,
): Promise<GraphQLResult<ProductQuery>> => client.request(ProductDocument, by, options);

/** The attribute matrix of 2–4 products (`rows[].values` in the order of `ids`; `differs` marks rows that vary). */
export const compareProducts = (
  client: StorefrontClient,
  variables: CompareProductsQueryVariables,
  options?: RequestOptions,
): Promise<GraphQLResult<CompareProductsQuery>> => client.request(CompareProductsDocument, variables, options);

/**
 * The storefront's categories as a flat list in tree order (`parent.id` links them), with product
 * counts: a page of up to 100 (`first`, at most 100); pass `pageInfo.endCursor` as `after` for the next.
 */
export const getCategories = (
  client: StorefrontClient,
  variables: CategoriesQueryVariables = {},
  options?: RequestOptions,
): Promise<GraphQLResult<CategoriesQuery>> => client.request(CategoriesDocument, variables, options);

/**
 * Records that the signed-in customer viewed a product (drives browse-abandonment drop links and
 * real-time offers). Harmless for anonymous shoppers (`recorded: false`).
 */
export const recordProductView = (
  client: StorefrontClient,
  input: { productId: string },
  options?: RequestOptions,
): Promise<GraphQLResult<ProductViewedMutation>> => client.request(ProductViewedDocument, { input }, options);

// ── Cart and checkout ────────────────────────────────────────────────────────────────────────────

/**
 * A cart: by id for its signed-in owner, or with its `cartToken` (anonymous carts). Every change needs
 * the cart's current `version` (a stale one is a `CONFLICT` user error): keep the cart each call returns.
 */
export const getCart = (
  client: StorefrontClient,
  variables: CartQueryVariables,
  options?: RequestOptions,
): Promise<GraphQLResult<CartQuery>> => client.request(CartDocument, variables, options);

/**
 * Creates a cart, optionally with lines. Anonymous shoppers get a `cartToken`: keep it with the cart id
 * (it goes in every `CartRef`) until `attachCartToCustomer` after sign-in.
 */
export const createCart = (
  client: StorefrontClient,
  input: CartCreateInput = {},
  options?: RequestOptions,
): Promise<GraphQLResult<CartCreateMutation>> => client.request(CartCreateDocument, { input }, options);

/** Adds lines (an add-on under a plan or device line with `parentLineId`). Prices always come from the catalog. */
export const addCartLines = (
  client: StorefrontClient,
  input: CartLinesAddInput,
  options?: RequestOptions,
): Promise<GraphQLResult<CartLinesAddMutation>> => client.request(CartLinesAddDocument, { input }, options);

/** Changes line quantities (0 removes a line). */
export const updateCartLines = (
  client: StorefrontClient,
  input: CartLinesUpdateInput,
  options?: RequestOptions,
): Promise<GraphQLResult<CartLinesUpdateMutation>> => client.request(CartLinesUpdateDocument, { input }, options);

/** Removes lines (and the add-ons under them). */
export const removeCartLines = (
  client: StorefrontClient,
  input: CartLinesRemoveInput,
  options?: RequestOptions,
): Promise<GraphQLResult<CartLinesRemoveMutation>> => client.request(CartLinesRemoveDocument, { input }, options);

/** After sign-in: the anonymous cart becomes the customer's, merged into their open cart if they have one. */
export const attachCartToCustomer = (
  client: StorefrontClient,
  input: CartAttachCustomerInput,
  options?: RequestOptions,
): Promise<GraphQLResult<CartAttachCustomerMutation>> => client.request(CartAttachCustomerDocument, { input }, options);

/**
 * Enters a promo code on the cart (case-insensitive; at most five per cart). An unknown or ineligible
 * code is a user error; a valid one shows in `cart.promoCodes` and, while it applies, in `cart.discounts`
 * and the totals.
 */
export const applyPromoCode = (
  client: StorefrontClient,
  input: CartPromoCodeInput,
  options?: RequestOptions,
): Promise<GraphQLResult<CartPromoCodeApplyMutation>> => client.request(CartPromoCodeApplyDocument, { input }, options);

/** Removes a promo code from the cart (checkout refuses a cart whose code stopped applying until it is removed). */
export const removePromoCode = (
  client: StorefrontClient,
  input: CartPromoCodeInput,
  options?: RequestOptions,
): Promise<GraphQLResult<CartPromoCodeRemoveMutation>> => client.request(CartPromoCodeRemoveDocument, { input }, options);

/** A fresh idempotency key (a random UUID) for {@link checkout}. */
export const newIdempotencyKey = (): string => globalThis.crypto.randomUUID();

/**
 * Places the order: the API revalidates prices and availability and creates the order exactly once per
 * `idempotencyKey`. Generate the key once per checkout attempt with {@link newIdempotencyKey} and pass
 * the same key when retrying after a `NetworkError`, so a retry can never order twice. Without one, the
 * SDK generates a key for this call (the automatic 429/503 retries reuse it).
 */
export const checkout = (
  client: StorefrontClient,
  input: { cart: CartRef; idempotencyKey?: string },
  options?: RequestOptions,
): Promise<GraphQLResult<CartCheckoutMutation>> =>
  client.request(
    CartCheckoutDocument,
    { input: { cart: input.cart, idempotencyKey: input.idempotencyKey ?? newIdempotencyKey() } },
    options,
  );

/**
 * Opens a drop link (`dl_…` from a cart or browse reminder) on any device: returns the recovered cart
 * (with a `cartToken` when it is anonymous) or the products that were viewed, and the `step` to show.
 */
export const recoverDropLink = (
  client: StorefrontClient,
  input: { token: string },
  options?: RequestOptions,
): Promise<GraphQLResult<DropLinkRecoverMutation>> => client.request(DropLinkRecoverDocument, { input }, options);

// ── Account ──────────────────────────────────────────────────────────────────────────────────────

/** The signed-in customer's account: profile, addresses, contacts, consents, recent orders, unread messages. `me` is null when signed out. */
export const getMe = (
  client: StorefrontClient,
  variables: MeQueryVariables = {},
  options?: RequestOptions,
): Promise<GraphQLResult<MeQuery>> => client.request(MeDocument, variables, options);

/** A page of the signed-in customer's orders, newest first, with lines, totals and status history. */
export const getMyOrders = (
  client: StorefrontClient,
  variables: MyOrdersQueryVariables = {},
  options?: RequestOptions,
): Promise<GraphQLResult<MyOrdersQuery>> => client.request(MyOrdersDocument, variables, options);

/** One order the caller may see. */
export const getOrder = (
  client: StorefrontClient,
  variables: OrderQueryVariables,
  options?: RequestOptions,
): Promise<GraphQLResult<OrderQuery>> => client.request(OrderDocument, variables, options);

/** The signed-in customer's site messages (inbox), newest first, with the unread count. */
export const getSiteMessages = (
  client: StorefrontClient,
  variables: SiteMessagesQueryVariables = {},
  options?: RequestOptions,
): Promise<GraphQLResult<SiteMessagesQuery>> => client.request(SiteMessagesDocument, variables, options);

/** Marks site messages read; returns the new unread count. */
export const markSiteMessagesRead = (
  client: StorefrontClient,
  input: { ids: string[] },
  options?: RequestOptions,
): Promise<GraphQLResult<SiteMessagesMarkReadMutation>> => client.request(SiteMessagesMarkReadDocument, { input }, options);

// ── Offers ───────────────────────────────────────────────────────────────────────────────────────

/**
 * The signed-in customer's personal offers (open ones by default; pass `status` for others), best first:
 * a page of 20 by default; `after: pageInfo.endCursor` for the next, `last`/`before: pageInfo.startCursor` for the previous.
 */
export const getMyOffers = (
  client: StorefrontClient,
  variables: MyOffersQueryVariables = {},
  options?: RequestOptions,
): Promise<GraphQLResult<MyOffersQuery>> => client.request(MyOffersDocument, variables, options);

/** The storefront's public live offers (any shopper), best first: a page of 10 by default, paged both ways like `getMyOffers`. */
export const getLiveOffers = (
  client: StorefrontClient,
  variables: StorefrontLiveOffersQueryVariables = {},
  options?: RequestOptions,
): Promise<GraphQLResult<StorefrontLiveOffersQuery>> => client.request(StorefrontLiveOffersDocument, variables, options);

/** Takes up an offer: returns it ACCEPTED with its coupon code. */
export const acceptOffer = (
  client: StorefrontClient,
  input: { id: string },
  options?: RequestOptions,
): Promise<GraphQLResult<OfferAcceptMutation>> => client.request(OfferAcceptDocument, { input }, options);

/** Dismisses an offer: it leaves the open list. */
export const dismissOffer = (
  client: StorefrontClient,
  input: { id: string },
  options?: RequestOptions,
): Promise<GraphQLResult<OfferDismissMutation>> => client.request(OfferDismissDocument, { input }, options);

/** Marks an offer seen (NEW → SEEN), e.g. when it was shown. */
export const markOfferSeen = (
  client: StorefrontClient,
  input: { id: string },
  options?: RequestOptions,
): Promise<GraphQLResult<OfferSeenMutation>> => client.request(OfferSeenDocument, { input }, options);

/**
 * Personal offers for the signed-in customer as they are made (campaign launch, real-time rules, an
 * agent). Sign in first: without a customer session the API refuses it (`onError` with `UNAUTHENTICATED`).
 * Returns the function that stops it.
 */
export const onOfferReceived = (
  client: StorefrontClient,
  onNext: (result: GraphQLResult<OfferReceivedSubscription>) => void,
  options?: SubscribeOptions,
): (() => void) => client.subscribe(OfferReceivedDocument, {}, onNext, options);

/** The storefront's public live offers as they are published (any shopper with the storefront key). Returns the function that stops it. */
export const onStorefrontOffer = (
  client: StorefrontClient,
  onNext: (result: GraphQLResult<StorefrontOffersSubscription>) => void,
  options?: SubscribeOptions,
): (() => void) => client.subscribe(StorefrontOffersDocument, {}, onNext, options);
