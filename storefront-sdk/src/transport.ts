import { type GraphQLResult, NetworkError } from './errors.js';
import { type RetryOptions, retryDelay } from './retry.js';

/** What the client passes to `fetch`. */
export type FetchInit = { method: 'POST'; headers: Record<string, string>; body: string; signal?: AbortSignal };

/** The part of a fetch `Response` the client reads. */
export type ResponseLike = { status: number; headers: { get(name: string): string | null }; text(): Promise<string> };

/** A `fetch` implementation: `globalThis.fetch` by default; any WHATWG-compatible one (undici, a test double) works. */
export type FetchLike = (url: string, init: FetchInit) => Promise<ResponseLike>;

export type Transport = {
  fetch: FetchLike;
  endpoint: string;
  retry: Required<RetryOptions>;
  now: () => number;
};

export type Sent = { status: number; result: GraphQLResult<unknown> };

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** A GraphQL response body (`data` and/or `errors`), or `null` when the text is anything else. */
export function parseGraphQLResponse(text: string): GraphQLResult<unknown> | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const { data, errors, extensions } = body as Record<string, unknown>;
  const hasData = data !== undefined && (data === null || typeof data === 'object');
  const hasErrors = Array.isArray(errors);
  if (!hasData && !hasErrors) return null;
  const result: GraphQLResult<unknown> = { data: (data ?? null) as unknown };
  if (hasErrors) result.errors = errors as GraphQLResult<unknown>['errors'];
  if (extensions && typeof extensions === 'object') result.extensions = extensions as Record<string, unknown>;
  return result;
}

/**
 * POSTs one operation, retrying 429 (refused before anything ran) and, when `retryUnavailable`, 503
 * as `retry` says. Returns the GraphQL response whatever the
 * HTTP status (a 400 validation error or a 401 is a GraphQL response); throws {@link NetworkError} when
 * none arrived, and the signal's reason when aborted.
 */
export async function send(
  transport: Transport,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal | undefined,
  retryUnavailable = true,
): Promise<Sent> {
  for (let attempt = 0; ; attempt++) {
    let response: ResponseLike;
    try {
      response = await transport.fetch(transport.endpoint, { method: 'POST', headers, body, signal });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new NetworkError(`Could not reach ${transport.endpoint}`, { cause: error });
    }
    if (response.status === 429 || (response.status === 503 && retryUnavailable)) {
      const delay = retryDelay(response.headers.get('retry-after'), attempt, transport.now(), transport.retry);
      if (delay !== null) {
        // Read the body so the connection goes back to the pool.
        await response.text().catch(() => '');
        await sleep(delay, signal);
        continue;
      }
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new NetworkError(`The response from ${transport.endpoint} broke off`, { status: response.status, cause: error });
    }
    const result = parseGraphQLResponse(text);
    if (!result)
      throw new NetworkError(`HTTP ${response.status} from ${transport.endpoint} is not a GraphQL response`, { status: response.status });
    return { status: response.status, result };
  }
}
