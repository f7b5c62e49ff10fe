/** One entry of a GraphQL response's `errors`. `extensions.code` is one of the API's codes (`UNAUTHENTICATED`, `NOT_FOUND`, …). */
export type GraphQLResponseError = {
  message: string;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
};

/**
 * What `request` resolves to: the GraphQL response as the API sent it. GraphQL errors (validation,
 * `UNAUTHENTICATED`, `NOT_FOUND`, …) are in `errors` and never thrown; business failures of a mutation
 * are in its payload's `userErrors`.
 */
export type GraphQLResult<TData> = {
  data: TData | null;
  errors?: ReadonlyArray<GraphQLResponseError>;
  extensions?: Record<string, unknown>;
};

/**
 * Thrown by `request` only when no GraphQL response arrived: the network failed, or the server answered
 * something that is not GraphQL JSON (a proxy's HTML error page, a 503 after the retries ran out, …).
 */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  /** The HTTP status, when a response arrived. */
  readonly status: number | undefined;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
}

/** True for a {@link NetworkError}, also one from another copy of the SDK. */
export const isNetworkError = (error: unknown): error is NetworkError =>
  error instanceof NetworkError || (error instanceof Error && error.name === 'NetworkError');

/**
 * Passed to a subscription's `onError` when it ends abnormally: the socket closed for good (`closeCode`,
 * e.g. 4403 forbidden, 4401 unauthorized after a renewal did not help), or the API refused the
 * subscription (`errors`, e.g. `UNAUTHENTICATED` for `offerReceived` without a signed-in customer).
 */
export class SubscriptionError extends Error {
  override readonly name = 'SubscriptionError';
  /** The WebSocket close code, when the socket closed. */
  readonly closeCode: number | undefined;
  /** The GraphQL errors, when the API refused the subscription. */
  readonly errors: ReadonlyArray<GraphQLResponseError> | undefined;

  constructor(message: string, options: { closeCode?: number; errors?: ReadonlyArray<GraphQLResponseError>; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.closeCode = options.closeCode;
    this.errors = options.errors;
  }
}

/** The `extensions.code` of each error of a result (empty when there are none). */
export const errorCodes = (result: { errors?: ReadonlyArray<GraphQLResponseError> }): string[] =>
  (result.errors ?? []).map((e) => e.extensions?.code ?? 'UNKNOWN');
