import type { ApolloServerPlugin } from '@apollo/server';
import { acceptedLocale, canonicalCountry, canonicalLocale } from '@dcrm/kit/locale.js';
import type { Principal } from '@dcrm/kit/principal.js';
import { GraphQLError, type GraphQLSchema, getDirectiveValues, type OperationDefinitionNode } from 'graphql';
import type { RouterContext } from './context.js';

/** The language and country an operation asked for (absent: not asked). */
export type RequestContext = { locale?: string; country?: string };

/**
 * The request context (language, country) of each operation, decided once here and signed with the
 * principal into every subgraph fetch (kit `principal.ts`): the operation's
 * `@inContext(language:, country:)`, else the `Accept-Language` header, else none (each subgraph
 * then falls back to the storefront's default locale). A malformed `@inContext` is BAD_USER_INPUT.
 */
export function requestContextPlugin(): ApolloServerPlugin<RouterContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, schema, request, contextValue }) {
          const given = operation ? operationContext(schema, operation, request.variables ?? {}) : {};
          contextValue.principal = inRequestContext(contextValue.principal, given, request.http?.headers.get('accept-language'));
        },
      };
    },
  };
}

/**
 * `principal` in the request context an operation asked for: `given` (its `@inContext`), else the
 * `Accept-Language` header, else what the principal already carries (a subscription's lookups carry
 * the socket's context, subscriptions/connect.ts). The same object when nothing changes. Apollo's
 * plugin above and the fast path (fast-path.ts, plain documents: nothing given) alike.
 */
export function inRequestContext(principal: Principal, given: RequestContext, acceptLanguage: string | undefined): Principal {
  const locale = given.locale ?? acceptedLocale(acceptLanguage) ?? principal.locale ?? null;
  const country = given.country ?? principal.country ?? null;
  if (locale === (principal.locale ?? null) && country === (principal.country ?? null)) return principal;
  return { ...principal, locale, country };
}

/**
 * An operation's own `@inContext(language:, country:)`, canonical (HTTP operations and subscriptions
 * alike); throws BAD_USER_INPUT for a tag or code that is not one.
 */
export function operationContext(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): RequestContext {
  const directive = schema.getDirective('inContext');
  const node = operation.directives?.find((d) => d.name.value === 'inContext');
  if (!directive || !node) return {};
  const given = getDirectiveValues(directive, operation, variables) ?? {};
  const out: RequestContext = {};
  if (given.language != null) {
    const locale = canonicalLocale(given.language);
    if (!locale) throw refused('@inContext(language:) takes a BCP 47 tag such as "fr" or "de-CH"');
    out.locale = locale;
  }
  if (given.country != null) {
    const country = canonicalCountry(given.country);
    if (!country) throw refused('@inContext(country:) takes an ISO 3166-1 alpha-2 code such as "CH"');
    out.country = country;
  }
  return out;
}

// Refused before any fetch: a client error (400), like a validation failure.
const refused = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
