import type { RequestOptions, StorefrontClientOptions } from './client-types.js';
import { RETRY_DEFAULTS, retriesWhenUnavailable } from './retry.js';
import { type FetchLike, type Sent, send, type Transport } from './transport.js';

/** POSTs one operation with `token` as bearer (none when `null`). */
export type Post = (query: string, variables: unknown, token: string | null, requestOptions?: RequestOptions) => Promise<Sent>;

/** The client's HTTP requests: its headers (API key, bearer, extra ones) over the transport, with its retries. */
export function createPost(options: StorefrontClientOptions, now: () => number): Post {
  const fetchImpl: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const transport: Transport = { fetch: fetchImpl, endpoint: options.endpoint, retry: { ...RETRY_DEFAULTS, ...options.retry }, now };
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
  return (query, variables, token, requestOptions) =>
    send(
      transport,
      JSON.stringify({ query, variables: variables ?? {} }),
      headersFor(token, requestOptions?.headers),
      requestOptions?.signal,
      retriesWhenUnavailable(query, variables),
    );
}
