import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';

export type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'THROTTLED' | 'SERVICE_UNAVAILABLE';

/** A business error in a mutation payload: which input field, what went wrong, a stable code. */
export type UserError = { field: string[] | null; message: string; code: string };

/** Domain functions return expected failures as values and throw only for bugs and infrastructure faults. */
export type Result<T> = { ok: true; value: T } | { ok: false; errors: UserError[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export function fail<T = never>(code: string, message: string, field?: string[] | string): Result<T> {
  return { ok: false, errors: [userError(code, message, field)] };
}

export function userError(code: string, message: string, field?: string[] | string): UserError {
  return { code, message, field: field === undefined ? null : Array.isArray(field) ? field : [field] };
}

/** Maps a domain result onto a mutation payload: `{ [key]: value, userErrors }`. */
export function payload<K extends string, T>(key: K, result: Result<T>): { [P in K]: T | null } & { userErrors: UserError[] } {
  const body = result.ok ? { [key]: result.value, userErrors: [] } : { [key]: null, userErrors: result.errors };
  return body as { [P in K]: T | null } & { userErrors: UserError[] };
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

/** Codes clients may see as they are; anything else is masked. */
const PUBLIC_CODES = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'THROTTLED',
  'SERVICE_UNAVAILABLE',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

export type ErrorLogger = (error: unknown) => void;

/**
 * Apollo `formatError`: known codes pass, everything else (database messages, stack traces, bugs)
 * becomes `INTERNAL_SERVER_ERROR` with a fixed message, logged server-side.
 */
export function maskErrors(log: ErrorLogger = (e) => console.error('[dcrm] unexpected error', e)) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && PUBLIC_CODES.has(code)) {
      const { stacktrace: _s, exception: _e, http: _h, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    log(error);
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
