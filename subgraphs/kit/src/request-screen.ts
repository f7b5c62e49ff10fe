import { createHash } from 'node:crypto';
import { HeaderMap, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import { GraphQLError, Kind, parse, visit } from 'graphql';

/**
 * Checks a GraphQL request before anything parses or executes it (router, its subscription socket and
 * every subgraph): runaway nesting, null bytes (PostgreSQL refuses them in text, which would surface as
 * an internal error) and malformed automatic-persisted-query hashes (Apollo Server answers those
 * without an error code, which the masking turns into INTERNAL_SERVER_ERROR).
 */

/** `{`, `[` and `(` levels together; the depth rule allows 12 selection levels, arguments nest inside. */
export const MAX_NESTING = 64;

export type OperationParts = { query?: unknown; variables?: unknown; extensions?: unknown };

const reject = (code: string, message: string) => new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/** True when brackets nest deeper than `limit`, ignoring strings and comments; linear, no recursion. */
export function nestsDeeperThan(source: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '#') {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (c === '"') {
      if (source.startsWith('"""', i)) {
        i += 3;
        while (i < source.length && !(source.startsWith('"""', i) && source[i - 1] !== '\\')) i++;
        i += 2;
      } else {
        i++;
        while (i < source.length && source[i] !== '"' && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
      }
    } else if (c === '{' || c === '[' || c === '(') {
      if (++depth > limit) return true;
    } else if (c === '}' || c === ']' || c === ')') {
      depth--;
    }
  }
  return false;
}

/** True when any string in a JSON value (keys included) holds U+0000; iterative, so deep input cannot overflow. */
export function containsNullByte(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      if (item.includes('\0')) return true;
    } else if (Array.isArray(item)) {
      // One by one: spreading a 500,000-item array into push() would itself overflow the stack.
      for (const child of item) stack.push(child);
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        if (key.includes('\0')) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

// Only documents that could spell a null byte are parsed here: a raw one, `\u0000` or `\u{0}`.
const NULL_ESCAPE = /\0|\\u(?:0000|\{0+\})/i;

function literalHasNullByte(query: string): boolean {
  if (!NULL_ESCAPE.test(query)) return false;
  let found = false;
  try {
    visit(parse(query, { maxTokens: 10_000 }), {
      [Kind.STRING]: (node) => {
        if (node.value.includes('\0')) found = true;
      },
    });
  } catch {
    // A raw U+0000 outside a string is a syntax error: Apollo reports it as one.
    return query.includes('\0');
  }
  return found;
}

const HASH = /^[0-9a-f]{64}$/;

function persistedQueryProblem(extensions: unknown, query: unknown): GraphQLError | null {
  const persisted = (extensions as { persistedQuery?: unknown } | null | undefined)?.persistedQuery;
  if (persisted === undefined) return null;
  const { version, sha256Hash } = (persisted ?? {}) as { version?: unknown; sha256Hash?: unknown };
  if (version !== 1) return reject('BAD_REQUEST', 'Unsupported persisted query version (use 1)');
  if (typeof sha256Hash !== 'string' || !HASH.test(sha256Hash))
    return reject('BAD_REQUEST', 'persistedQuery.sha256Hash must be 64 lower-case hex characters');
  if (typeof query === 'string' && createHash('sha256').update(query).digest('hex') !== sha256Hash)
    return reject('BAD_REQUEST', 'persistedQuery.sha256Hash does not match the query');
  return null;
}

/** The first problem with an operation, or null when it may go on to parsing and validation. */
export function screenOperation({ query, variables, extensions }: OperationParts): GraphQLError | null {
  const apq = persistedQueryProblem(extensions, query);
  if (apq) return apq;
  if (typeof query === 'string') {
    if (nestsDeeperThan(query, MAX_NESTING))
      return reject('GRAPHQL_VALIDATION_FAILED', `Query too deep: more than ${MAX_NESTING} nested levels`);
    if (literalHasNullByte(query)) return reject('BAD_USER_INPUT', 'Strings must not contain null bytes (U+0000)');
  }
  if (containsNullByte(variables)) return reject('BAD_USER_INPUT', 'Variables must not contain null bytes (U+0000)');
  return null;
}

function jsonParam(params: URLSearchParams, name: string): unknown {
  const text = params.get(name);
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // Apollo answers malformed parameters itself
  }
}

function partsOf(request: HTTPGraphQLRequest): OperationParts | null {
  if (request.method === 'GET') {
    const params = new URLSearchParams(request.search);
    return {
      query: params.get('query') ?? undefined,
      variables: jsonParam(params, 'variables'),
      extensions: jsonParam(params, 'extensions'),
    };
  }
  const body = request.body;
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as OperationParts) : null;
}

/** A complete 400 response for a screened-out request, or null to let Apollo handle it. */
export function screenRequest(request: HTTPGraphQLRequest): HTTPGraphQLResponse | null {
  const parts = partsOf(request);
  const error = parts && screenOperation(parts);
  if (!error) return null;
  const { http: _http, ...extensions } = error.extensions;
  const headers = new HeaderMap([['content-type', 'application/json; charset=utf-8']]);
  return { status: 400, headers, body: { kind: 'complete', string: JSON.stringify({ errors: [{ message: error.message, extensions }] }) } };
}
