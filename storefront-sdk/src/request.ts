import type { RequestOptions, StorefrontClientOptions } from './client-types.js';
import { RETRY_DEFAULTS, retriesWhenUnavailable } from './retry.js';
import { type FetchLike, type Sent, send, type Transport } from './transport.js';

/** POSTs one operation with `token` as bearer (none when `null`). */
export type Post = (query: string, variables: unknown, token: string | null, requestOptions?: RequestOptions) => Promise<Sent>;

/** The client's HTTP requests: its headers (API key, bearer, extra ones) over the transport, with its retries. */
export function createPost(options: StorefrontClientOptions, now: () => number): Post {
  const fetchImpl: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const transport: Transport = { fetch: fetchImpl, endpoint: options.endpoint, retry: { ...RETRY_DEFAULTS, ...options.retry }, now };
  const languageOf = (requestOptions?: RequestOptions): string | null | undefined =>
    requestOptions?.language ?? (typeof options.language === 'function' ? options.language() : options.language);
  const headersFor = (token: string | null, requestOptions?: RequestOptions): Record<string, string> => {
    const language = languageOf(requestOptions);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(language ? { 'accept-language': language } : {}),
      ...options.headers,
      ...requestOptions?.headers,
    };
    if (options.apiKey) headers['x-api-key'] = options.apiKey;
    if (token) headers.authorization = `Bearer ${token}`;
    return headers;
  };
  return (query, variables, token, requestOptions) =>
    send(
      transport,
      JSON.stringify({ query, variables: variables ?? {} }),
      headersFor(token, requestOptions),
      requestOptions?.signal,
      retriesWhenUnavailable(query, variables),
    );
}
