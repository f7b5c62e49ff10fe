/**
 * `@dcrm/storefront-sdk`: a typed client of the dcrm storefront API for browsers and Node 20+.
 *
 * - {@link createStorefrontClient}: `request` (typed, never throws on GraphQL errors), `subscribe`
 *   (graphql-ws), `auth` (sign-in, renewal, sign-out).
 * - Ready-made operations (`getProducts`, `createCart`, `checkout`, `getMe`, `onOfferReceived`, …).
 * - The typed documents they use (`ProductsDocument`, …) and their result/variables types, generated
 *   from the API schema, with every payload family's user error codes as string unions
 *   (`CartErrorCode`, `CustomerErrorCode`, `PromotionErrorCode`, …).
 *
 * @packageDocumentation
 */
export {
  createStorefrontClient,
  type RequestArgs,
  type RequestOptions,
  type StorefrontAuth,
  type StorefrontClient,
  type StorefrontClientOptions,
} from './client.js';
export type { ResultOf, TypedDocument, TypedDocumentString, VariablesOf } from './document.js';
export { errorCodes, type GraphQLResponseError, type GraphQLResult, isNetworkError, NetworkError, SubscriptionError } from './errors.js';
export * from './generated/graphql.js';
export type { SubscribeOptions } from './live.js';
export * from './operations.js';
export { backoff, parseRetryAfter, type RetryOptions } from './retry.js';
export { localExpiry, memoryTokenStore, type Session, type TokenStore, type WebStorageLike, webStorageTokenStore } from './session.js';
export * from './spend-control.js';
export type { FetchInit, FetchLike, ResponseLike } from './transport.js';
