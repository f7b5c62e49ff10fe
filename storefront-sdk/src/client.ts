import { documentText, type TypedDocument } from './document.js';
import type { GraphQLResult } from './errors.js';
import {
  CustomerAccessTokenRenewDocument,
  CustomerLoginDocument,
  type CustomerLoginMutation,
  CustomerLogoutDocument,
  type CustomerLogoutMutation,
  CustomerRegisterDocument,
  type CustomerRegisterInput,
  type CustomerRegisterMutation,
  type LoginInput,
} from './generated/graphql.js';
import { createLive, type SubscribeOptions } from './live.js';
import { RETRY_DEFAULTS, type RetryOptions, retriesWhenUnavailable } from './retry.js';
import { localExpiry, memoryTokenStore, renewAt, renewDue, type Session, stillValid, type TokenStore } from './session.js';
import { type FetchLike, type Sent, send, type Transport } from './transport.js';

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
  /** Extra headers sent with every HTTP request (e.g. `accept-language`). */
  headers?: Record<string, string>;
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

type Bearer = 'session' | 'none';

/** Variables of an operation whose variables are all optional are accepted by `Record<string, never>`. */
type NoRequiredVariables = Record<string, never>;

const wsUrl = (endpoint: string): string => {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  const url = new URL(endpoint, base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
};

/**
 * Creates a storefront client. The returned object is frozen; its functions need no `this`.
 *
 * @example
 * ```ts
 * const client = createStorefrontClient({ endpoint: 'https://api.example.com/graphql', apiKey: 'dcrm_pk_…' });
 * const { data } = await getProducts(client, { first: 12, query: 'unlimited' });
 * ```
 */
export function createStorefrontClient(options: StorefrontClientOptions): StorefrontClient {
  const now = options.now ?? Date.now;
  const fetchImpl: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const transport: Transport = { fetch: fetchImpl, endpoint: options.endpoint, retry: { ...RETRY_DEFAULTS, ...options.retry }, now };
  const store = options.tokenStore ?? memoryTokenStore();
  const renewBeforeMs = options.renewBeforeMs ?? 60_000;
  const autoRenew = options.autoRenew ?? true;
  const listeners = new Set<(session: Session | null) => void>();
  if (options.onSessionChange) listeners.add(options.onSessionChange);

  // The session as last read or written; the store is read once, then only before a renewal.
  let loaded: Promise<Session | null> | null = options.accessToken
    ? Promise.resolve(store.set({ accessToken: options.accessToken })).then(() => ({ accessToken: options.accessToken as string }))
    : null;
  let current: Session | null = null;
  const session = (): Promise<Session | null> => {
    loaded ??= Promise.resolve(store.get()).then((s) => {
      current = s;
      schedule();
      return s;
    });
    return loaded.then(() => current);
  };
  if (options.accessToken) current = { accessToken: options.accessToken };

  let timer: unknown = null;
  const schedule = () => {
    if (timer !== null) clearTimeout(timer as number);
    timer = null;
    const at = current && autoRenew ? renewAt(current, renewBeforeMs) : null;
    if (at === null) return;
    timer = setTimeout(
      () => {
        timer = null;
        renew().catch(() => {});
      },
      Math.min(Math.max(at - now(), 0), 2 ** 31 - 1),
    );
    // A pending renewal must not keep a Node process (a script, a test run) alive.
    (timer as { unref?: () => void }).unref?.();
  };

  const setSession = async (next: Session | null, renewal = false) => {
    await session();
    current = next;
    await store.set(next);
    schedule();
    for (const listener of listeners) listener(next);
    // A sign-in or sign-out changes who the socket is; a renewal does not (the server closes it at expiry, 4401).
    if (!renewal) live.restart();
  };

  const headersFor = (token: string | null, extra?: Record<string, string>): Record<string, string> => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...options.headers,
      ...extra,
    };
    if (options.apiKey) headers['x-api-key'] = options.apiKey;
    if (token) headers.authorization = `Bearer ${token}`;
    return headers;
  };

  const post = (query: string, variables: unknown, token: string | null, requestOptions?: RequestOptions): Promise<Sent> =>
    send(
      transport,
      JSON.stringify({ query, variables: variables ?? {} }),
      headersFor(token, requestOptions?.headers),
      requestOptions?.signal,
      retriesWhenUnavailable(query, variables),
    );

  // One renewal at a time: a refresh token works once, and presenting a used one ends the session.
  let renewing: Promise<boolean> | null = null;
  const renewSession = (when: { force: boolean; ifToken?: string | null }): Promise<boolean> => {
    renewing ??= withLock('dcrm-session-renewal', async () => {
      await session();
      // Another tab sharing the store may have renewed already.
      const stored = await store.get();
      if (stored && stored.accessToken !== current?.accessToken) {
        current = stored;
        schedule();
      }
      const s = current;
      if (!s?.refreshToken) return false;
      if (when.ifToken !== undefined && s.accessToken !== when.ifToken) return true;
      if (!when.force && !renewDue(s, now(), renewBeforeMs)) return true;
      const { result } = await post(documentText(CustomerAccessTokenRenewDocument), { input: { refreshToken: s.refreshToken } }, null);
      const payload = (result.data as { customerAccessTokenRenew?: RenewedPayload } | null)?.customerAccessTokenRenew;
      if (payload?.accessToken && payload.refreshToken) {
        await setSession(toSession(payload, now()), true);
        return true;
      }
      // The server refused the refresh token (used, expired, revoked): the session is over.
      if (payload && payload.userErrors.length > 0) await setSession(null);
      return false;
    }).finally(() => {
      renewing = null;
    });
    return renewing;
  };
  const renew = () => renewSession({ force: true });

  /** The token to send: renewed first when due. A failed renewal still sends a token that has not expired. */
  const tokenForRequest = async (): Promise<string | null> => {
    let s = await session();
    if (s && renewDue(s, now(), renewBeforeMs)) {
      try {
        await renewSession({ force: false });
      } catch (error) {
        if (!stillValid(s, now())) throw error;
      }
      s = current;
    }
    return s?.accessToken ?? null;
  };

  const execute = async (query: string, variables: unknown, bearer: Bearer, requestOptions?: RequestOptions) => {
    const token = bearer === 'session' ? await tokenForRequest() : null;
    const sent = await post(query, variables, token, requestOptions);
    // The router refused the token before running anything (expired, or revoked): renew and try once more.
    const refused = sent.status === 401 && sent.result.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
    if (token && refused && (await renewSession({ force: true, ifToken: token })) && current?.accessToken !== token) {
      return (await post(query, variables, current?.accessToken ?? null, requestOptions)).result;
    }
    return sent.result;
  };

  const live = createLive({
    url: options.wsEndpoint ?? wsUrl(options.endpoint),
    webSocketImpl: options.webSocketImpl,
    retryAttempts: options.subscriptionRetryAttempts ?? 10,
    connectionParams: async () => {
      const token = await tokenForRequest().catch(() => current?.accessToken ?? null);
      const params: Record<string, string> = {};
      if (options.apiKey) params['x-api-key'] = options.apiKey;
      if (token) params.authorization = `Bearer ${token}`;
      return { params, token };
    },
    unauthorized: async (token) => {
      if (token) await renewSession({ force: true, ifToken: token });
    },
  });

  const signIn = async <T>(document: string, input: unknown, field: string, requestOptions?: RequestOptions) => {
    const result = (await execute(document, { input }, 'none', requestOptions)) as GraphQLResult<T>;
    const payload = (result.data as Record<string, RenewedPayload | undefined> | null)?.[field];
    if (payload?.accessToken) await setSession(toSession(payload, now()));
    return result;
  };

  const auth: StorefrontAuth = Object.freeze({
    login: (input: LoginInput, requestOptions?: RequestOptions) =>
      signIn<CustomerLoginMutation>(documentText(CustomerLoginDocument), input, 'customerLogin', requestOptions),
    register: (input: CustomerRegisterInput, requestOptions?: RequestOptions) =>
      signIn<CustomerRegisterMutation>(documentText(CustomerRegisterDocument), input, 'customerRegister', requestOptions),
    logout: async (requestOptions?: RequestOptions) => {
      const s = await session();
      if (!s) return null;
      try {
        if (!s.refreshToken) return null;
        return (await execute(
          documentText(CustomerLogoutDocument),
          { input: { refreshToken: s.refreshToken } },
          'none',
          requestOptions,
        )) as GraphQLResult<CustomerLogoutMutation>;
      } finally {
        // Signed out locally whatever the server said: the tokens are not used again.
        await setSession(null);
      }
    },
    renew,
    session,
    setSession: (next: Session | null) => setSession(next),
    onChange: (listener: (s: Session | null) => void) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  });

  return Object.freeze({
    endpoint: options.endpoint,
    request: <TResult, TVariables>(document: TypedDocument<TResult, TVariables>, ...args: RequestArgs<TVariables>) =>
      execute(documentText(document), args[0], 'session', args[1]) as Promise<GraphQLResult<TResult>>,
    subscribe: <TResult, TVariables>(
      document: TypedDocument<TResult, TVariables>,
      variables: NoRequiredVariables extends TVariables ? TVariables | undefined : TVariables,
      onNext: (result: GraphQLResult<TResult>) => void,
      subscribeOptions?: SubscribeOptions,
    ) =>
      live.subscribe(
        documentText(document),
        (variables ?? undefined) as Record<string, unknown> | undefined,
        onNext as (r: GraphQLResult<unknown>) => void,
        subscribeOptions,
      ),
    auth,
    dispose: async () => {
      if (timer !== null) clearTimeout(timer as number);
      timer = null;
      await live.dispose();
    },
  });
}

type RenewedPayload = {
  accessToken: string | null;
  accessTokenExpiresAt?: string | null;
  refreshToken: string | null;
  userErrors: ReadonlyArray<unknown>;
};

const toSession = (payload: RenewedPayload, receivedAt: number): Session => ({
  accessToken: payload.accessToken as string,
  refreshToken: payload.refreshToken,
  expiresAt: localExpiry(payload.accessToken as string, payload.accessTokenExpiresAt, receivedAt),
});

type LockManager = { request<T>(name: string, callback: () => Promise<T>): Promise<T> };

/** Runs `fn` under a Web Lock where the platform has them (browser tabs sharing a store), directly otherwise. */
function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  return locks ? locks.request(name, fn) : fn();
}
