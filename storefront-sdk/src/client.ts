import { createAuth } from './auth.js';
import type { NoRequiredVariables, RequestArgs, StorefrontClient, StorefrontClientOptions } from './client-types.js';
import { documentText, type TypedDocument } from './document.js';
import type { GraphQLResult } from './errors.js';
import { createLive, type Live, type SubscribeOptions } from './live.js';
import { createExecute, createRenewal, type Renewal } from './renewal.js';
import { createPost } from './request.js';
import { memoryTokenStore } from './session.js';
import { createSessionKeeper, type SessionKeeper } from './session-keeper.js';

export type {
  RequestArgs,
  RequestOptions,
  StorefrontAuth,
  StorefrontClient,
  StorefrontClientOptions,
} from './client-types.js';

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
  const renewBeforeMs = options.renewBeforeMs ?? 60_000;
  const post = createPost(options, now);
  const keeper = createSessionKeeper({
    store: options.tokenStore ?? memoryTokenStore(),
    accessToken: options.accessToken,
    onSessionChange: options.onSessionChange,
    autoRenew: options.autoRenew ?? true,
    renewBeforeMs,
    now,
    renewDue: () => renewal.renew({ force: true }).catch(() => {}),
    // A sign-in or sign-out changes who the socket is; a renewal does not (the server closes it at expiry, 4401).
    identityChanged: () => live.restart(),
  });
  const renewal = createRenewal({ keeper, post, now, renewBeforeMs });
  const execute = createExecute(post, keeper, renewal);
  const live = liveSocket(options, keeper, renewal);

  return Object.freeze({
    endpoint: options.endpoint,
    request: <TResult, TVariables>(document: TypedDocument<TResult, TVariables>, ...args: RequestArgs<TVariables>) => {
      live.followLanguage();
      return execute(documentText(document), args[0], 'session', args[1]) as Promise<GraphQLResult<TResult>>;
    },
    subscribe: <TResult, TVariables>(
      document: TypedDocument<TResult, TVariables>,
      variables: NoRequiredVariables extends TVariables ? TVariables | undefined : TVariables,
      onNext: (result: GraphQLResult<TResult>) => void,
      subscribeOptions?: SubscribeOptions,
    ) => {
      live.followLanguage();
      return live.subscribe(
        documentText(document),
        (variables ?? undefined) as Record<string, unknown> | undefined,
        onNext as (r: GraphQLResult<unknown>) => void,
        subscribeOptions,
      );
    },
    auth: createAuth({ keeper, renewal, execute, now }),
    dispose: async () => {
      keeper.stop();
      await live.dispose();
    },
  });
}

const languageOf = (options: StorefrontClientOptions): string | null =>
  (typeof options.language === 'function' ? options.language() : options.language) ?? null;

/**
 * The subscriptions socket, opened with the session's token (renewed first when due), the API key and
 * the client's language (`accept-language`: live texts arrive in it). `followLanguage` reopens the socket
 * when the language changed since it opened, so a switcher needs no new client; subscriptions resume.
 */
function liveSocket(options: StorefrontClientOptions, keeper: SessionKeeper, renewal: Renewal): Live & { followLanguage(): void } {
  let socketLanguage: string | null | undefined;
  const live = createLive({
    url: options.wsEndpoint ?? wsUrl(options.endpoint),
    webSocketImpl: options.webSocketImpl,
    retryAttempts: options.subscriptionRetryAttempts ?? 10,
    connectionParams: async () => {
      const token = await renewal.tokenForRequest().catch(() => keeper.current()?.accessToken ?? null);
      const params: Record<string, string> = {};
      if (options.apiKey) params['x-api-key'] = options.apiKey;
      if (token) params.authorization = `Bearer ${token}`;
      socketLanguage = languageOf(options);
      if (socketLanguage) params['accept-language'] = socketLanguage;
      return { params, token };
    },
    unauthorized: async (token) => {
      if (token) await renewal.renew({ force: true, ifToken: token });
    },
  });
  return {
    ...live,
    followLanguage: () => {
      if (socketLanguage !== undefined && languageOf(options) !== socketLanguage) live.restart();
    },
  };
}

const wsUrl = (endpoint: string): string => {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  const url = new URL(endpoint, base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
};
