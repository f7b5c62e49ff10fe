import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { loggerFor, noteErrorCode } from './logger.js';

export type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'THROTTLED' | 'SERVICE_UNAVAILABLE';

/**
 * A business error in a mutation payload: which input field, what went wrong, a stable code. `C` is the
 * payload family's code enum as codegen types it (a string union), so a code the schema does not list
 * is a compile error where the domain function returns it.
 */
export type UserError<C extends string = string> = { field: string[] | null; message: string; code: C };

/** An expected failure: one or more user errors, nothing written. */
export type Failure<C extends string = string> = { ok: false; errors: UserError<C>[] };

/** Domain functions return expected failures as values and throw only for bugs and infrastructure faults. */
export type Result<T, C extends string = string> = { ok: true; value: T } | Failure<C>;

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

/** One user error as a failed result; its code keeps its literal type, checked against the caller's `Result`. */
export function fail<const C extends string>(code: C, message: string, field?: string[] | string): Failure<C> {
  return { ok: false, errors: [userError(code, message, field)] };
}

export function userError<const C extends string>(code: C, message: string, field?: string[] | string): UserError<C> {
  return { code, message, field: field === undefined ? null : Array.isArray(field) ? field : [field] };
}

/** Maps a domain result onto a mutation payload: `{ [key]: value, userErrors }`. */
export function payload<K extends string, T, C extends string>(
  key: K,
  result: Result<T, C>,
): { [P in K]: T | null } & { userErrors: UserError<C>[] } {
  const body = result.ok ? { [key]: result.value, userErrors: [] } : { [key]: null, userErrors: result.errors };
  return body as { [P in K]: T | null } & { userErrors: UserError<C>[] };
}

export function apiError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export const badInput = (message: string, field?: string) => apiError('BAD_USER_INPUT', message, field ? { field } : {});
export const notFound = (what: string) => apiError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'Not allowed') => apiError('FORBIDDEN', message);
export const unauthenticated = (message = 'Authentication required') => apiError('UNAUTHENTICATED', message);

/**
 * Another subgraph could not be reached (refused, timed out, 5xx): temporary, so clients may retry.
 * Only the fields that needed it fail; the message names the subgraph, never the cause.
 */
export const serviceUnavailable = (service: string) =>
  apiError('SERVICE_UNAVAILABLE', `The ${service} service is unavailable; try again shortly`, { retryable: true, service });

export const isServiceUnavailable = (error: unknown): boolean =>
  error instanceof GraphQLError && error.extensions?.code === 'SERVICE_UNAVAILABLE';

/** Codes of what the caller got wrong (not a fault of ours): expected, never logged or traced as failures. */
export const CALLER_CODES: ReadonlySet<string> = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'THROTTLED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Codes clients may see as they are; anything else is masked. */
const PUBLIC_CODES = new Set([...CALLER_CODES, 'SERVICE_UNAVAILABLE']);

// Connection-level failures: the database was away (restart, failover, pool exhausted), the statement never ran or its outcome is unknown.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Timeout acquiring a connection|Client has encountered a connection error|Connection is closed/i;

/**
 * Is this (or what it wraps) a database blip rather than a bug: refused or dropped connections,
 * PostgreSQL shutting down or starting (57P01/57P03), class 08 connection exceptions, pool timeouts?
 */
export function isUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as { code?: unknown; name?: unknown; message?: unknown; originalError?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code) || e.name === 'ConnectionException') return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  const inner = [e.originalError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  return inner.some((next) => next !== error && isUnavailable(next, depth + 1));
}

export type ErrorLogger = (error: unknown) => void;

/**
 * Logs an unexpected error once, with its stack, at error level (the line carries the request id).
 * One a subgraph answered with (`serviceName`, set by the gateway) was logged by that subgraph already.
 */
export const logUnexpected =
  (component: string): ErrorLogger =>
  (error) => {
    const e = error as { originalError?: unknown; path?: unknown; extensions?: { serviceName?: unknown } } | null;
    if (e?.extensions?.serviceName) return;
    loggerFor(component).error({ err: e?.originalError ?? error, path: e?.path }, 'unexpected error');
  };

/**
 * Apollo `formatError`: known codes pass; database blips become `SERVICE_UNAVAILABLE` (`retryable: true`,
 * the client may try again); everything else (database messages, stack traces, bugs) becomes
 * `INTERNAL_SERVER_ERROR` with a fixed message, logged server-side. The code each client sees is noted
 * for the request's log line.
 */
export function maskErrors(log: ErrorLogger = logUnexpected('graphql')) {
  const mask = masker(log);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const masked = mask(formatted, error);
    noteErrorCode(String(masked.extensions?.code ?? 'UNKNOWN'));
    return masked;
  };
}

function masker(log: ErrorLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && PUBLIC_CODES.has(code)) {
      const { stacktrace: _s, exception: _e, http: _h, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const location = {
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
    };
    if (isUnavailable(error))
      return {
        message: 'Service temporarily unavailable, retry',
        ...location,
        extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true },
      };
    log(error);
    return {
      message: 'Internal server error',
      ...location,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
