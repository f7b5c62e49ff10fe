import type { TypedDocument } from './document.js';
import type { GraphQLResult } from './errors.js';
import type {
  CustomerLoginMutation,
  CustomerLogoutMutation,
  CustomerRegisterInput,
  CustomerRegisterMutation,
  LoginInput,
} from './generated/graphql.js';
import type { SubscribeOptions } from './live.js';
import type { RetryOptions } from './retry.js';
import type { Session, TokenStore } from './session.js';
import type { FetchLike } from './transport.js';

/** Options of {@link createStorefrontClient}. */
export type StorefrontClientOptions = {
  /** The API's URL, e.g. `https://api.example.com/graphql` (relative URLs resolve against the page in a browser). */
  endpoint: string;
  /** The storefront's public key (`x-api-key`): which brand the shopper is on. */
  apiKey?: string;
  /**
   * A bearer token obtained elsewhere (server-side rendering, a staff console). It becomes the session,
   * without a refresh token, so it is never renewed. Customers sign in with `client.auth.login` instead.
   */
  accessToken?: string;
  /** `fetch` to use; `globalThis.fetch` by default (browsers, Node 18+). */
  fetch?: FetchLike;
  /**
   * WebSocket constructor for subscriptions where there is no global one: on Node 20 pass
   * `WebSocket` from the `ws` package. Browsers and Node 22+ need nothing.
   */
  webSocketImpl?: unknown;
  /** The subscriptions URL; by default `endpoint` with `ws:`/`wss:`. */
  wsEndpoint?: string;
  /** Where the session is kept: in memory by default; `webStorageTokenStore(localStorage)` in a browser app. */
  tokenStore?: TokenStore;
  /** Extra headers sent with every HTTP request. */
  headers?: Record<string, string>;
  /**
   * The shopper's language (BCP 47, e.g. `fr`, `de-CH`), sent as `Accept-Language` (and to live offers as the socket's `accept-language`): product, category
   * and promotion texts come back in it, falling back to its base language, then the storefront's
   * default. A function is asked before each request, so a language switcher needs no new client.
   * An operation's own `@inContext(language:)` still wins.
   */
  language?: string | (() => string | null | undefined);
  /**
   * Retries of 429 responses (refused before anything ran) and 503 (briefly unavailable: queries, and
   * mutations that carry an `idempotencyKey`; other mutations are answered as they came, never re-sent).
   */
  retry?: RetryOptions;
  /** Renew the access token this long before it expires (default 60 s). */
  renewBeforeMs?: number;
  /**
   * Also renew on a timer shortly before expiry, so an idle signed-in app keeps its session (default
   * true). The timer never keeps a Node process alive. Renewal before a request happens either way.
   */
  autoRenew?: boolean;
  /** Reconnection attempts of the subscriptions socket after it drops (default 10, with backoff). */
  subscriptionRetryAttempts?: number;
  /** Called after every sign-in, renewal and sign-out with the new session (`null` when signed out). */
  onSessionChange?: (session: Session | null) => void;
  /** The clock, in epoch milliseconds (default `Date.now`). */
  now?: () => number;
};

/** Per-call options of `request`. */
export type RequestOptions = {
  /** Aborts the request (and any wait between retries); the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Extra headers for this request. */
  headers?: Record<string, string>;
  /** This request's language (BCP 47), instead of the client's `language`. */
  language?: string;
};

/** `request(document)` when every variable is optional, `request(document, variables)` otherwise. */
export type RequestArgs<TVariables> = NoRequiredVariables extends TVariables
  ? [variables?: TVariables, options?: RequestOptions]
  : [variables: TVariables, options?: RequestOptions];

/** A customer's sign-in, registration, renewal and sign-out; the client sends the session's token with every request. */
export type StorefrontAuth = {
  /** Signs a customer in (`customerLogin`); on success the session is stored and used from the next request on. */
  login(input: LoginInput, options?: RequestOptions): Promise<GraphQLResult<CustomerLoginMutation>>;
  /** Creates a customer account in the storefront and signs it in (`customerRegister`). */
  register(input: CustomerRegisterInput, options?: RequestOptions): Promise<GraphQLResult<CustomerRegisterMutation>>;
  /** Ends the session on the server (`customerLogout`) and forgets it; `null` when there was none. */
  logout(options?: RequestOptions): Promise<GraphQLResult<CustomerLogoutMutation> | null>;
  /**
   * Renews the access token now (`customerAccessTokenRenew`). Resolves `true` when the session was
   * renewed (or another caller just did), `false` when there is nothing to renew or the server ended the
   * session (it is then forgotten). Renewals are serialized: refresh tokens are single-use.
   */
  renew(): Promise<boolean>;
  /** The current session, or `null` when signed out. */
  session(): Promise<Session | null>;
  /** Replaces the session (e.g. one restored by a server-rendered page); `null` signs out locally. */
  setSession(session: Session | null): Promise<void>;
  /** Listens to session changes; returns the function that stops listening. */
  onChange(listener: (session: Session | null) => void): () => void;
};

/** The client: create it once per app (or per server request) with {@link createStorefrontClient}. */
export type StorefrontClient = {
  readonly endpoint: string;
  /**
   * Runs a query or mutation. Resolves with `{ data, errors, extensions }` as the API answered, GraphQL
   * errors included; rejects only with `NetworkError` (no GraphQL response) or an abort. Renews the
   * session first when its token is about to expire, and once more if the server says the token expired.
   */
  request<TResult, TVariables>(
    document: TypedDocument<TResult, TVariables>,
    ...args: RequestArgs<TVariables>
  ): Promise<GraphQLResult<TResult>>;
  /**
   * Starts a subscription over graphql-ws (one socket per client, opened on first use). `onNext` gets
   * each event as `{ data, errors }`. Returns the function that stops it.
   */
  subscribe<TResult, TVariables>(
    document: TypedDocument<TResult, TVariables>,
    variables: NoRequiredVariables extends TVariables ? TVariables | undefined : TVariables,
    onNext: (result: GraphQLResult<TResult>) => void,
    options?: SubscribeOptions,
  ): () => void;
  readonly auth: StorefrontAuth;
  /** Stops the renewal timer and closes the subscriptions socket. */
  dispose(): Promise<void>;
};

/** Variables of an operation whose variables are all optional are accepted by `Record<string, never>`. */
export type NoRequiredVariables = Record<string, never>;
