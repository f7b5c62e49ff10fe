/** How `request` retries responses 429 (throttled) and 503 (unavailable). */
export type RetryOptions = {
  /** Retries after the first attempt (default 3; 0 turns retrying off). */
  attempts?: number;
  /** First backoff delay when the server sends no `Retry-After` (default 300 ms; doubled each attempt, jittered). */
  baseDelayMs?: number;
  /** Longest wait. A `Retry-After` asking for more is not retried: the response is returned as it is (default 10 s). */
  maxDelayMs?: number;
};

export const RETRY_DEFAULTS: Required<RetryOptions> = { attempts: 3, baseDelayMs: 300, maxDelayMs: 10_000 };

/**
 * Milliseconds to wait from a `Retry-After` header: delay-seconds (`120`) or an HTTP date. `null` when
 * absent or malformed. A date in the past is 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value == null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Exponential backoff with jitter: between half and all of `base · 2^attempt`, never above `max`. */
export function backoff(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return Math.round(ceiling * (0.5 + random() / 2));
}

/**
 * How long to wait before retrying a 429/503 (`attempt` counts from 0), or `null` not to retry: the
 * server's `Retry-After` when it sent one (unless it exceeds `maxDelayMs`), exponential backoff otherwise.
 */
export function retryDelay(
  retryAfter: string | null | undefined,
  attempt: number,
  now: number,
  options: Required<RetryOptions>,
  random?: () => number,
): number | null {
  if (attempt >= options.attempts) return null;
  const asked = parseRetryAfter(retryAfter, now);
  if (asked !== null) return asked <= options.maxDelayMs ? asked : null;
  return backoff(attempt, options.baseDelayMs, options.maxDelayMs, random);
}

// Comments and string literals out of the way, an operation definition starts the document or follows a `}`.
const MUTATION = /(?:^|\})\s*mutation\b/;
const stripped = (query: string) => query.replace(/"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|#[^\n\r]*/g, ' ');

const carriesIdempotencyKey = (value: unknown, depth = 0): boolean => {
  if (!value || typeof value !== 'object' || depth > 8) return false;
  return Object.entries(value as Record<string, unknown>).some(
    ([key, inner]) => (key === 'idempotencyKey' && typeof inner === 'string' && inner !== '') || carriesIdempotencyKey(inner, depth + 1),
  );
};

/**
 * May a 503 (service briefly unavailable) be sent again? A query yes: running it twice changes nothing.
 * A mutation only with an `idempotencyKey` among its variables (checkout): the server may have done
 * part of it before failing, and only a key makes the second attempt land on the first.
 */
export function retriesWhenUnavailable(query: string, variables: unknown): boolean {
  return !MUTATION.test(stripped(query)) || carriesIdempotencyKey(variables);
}
