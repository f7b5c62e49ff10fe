import type { ApolloServerPlugin } from '@apollo/server';
import { acceptedLocale, canonicalCountry, canonicalLocale } from '@dcrm/kit/locale.js';
import { GraphQLError, getDirectiveValues } from 'graphql';
import type { RouterContext } from './context.js';

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
          const directive = schema.getDirective('inContext');
          const node = operation?.directives?.find((d) => d.name.value === 'inContext');
          const given = directive && node && operation ? (getDirectiveValues(directive, operation, request.variables ?? {}) ?? {}) : {};
          let locale: string | null = null;
          if (given.language != null) {
            locale = canonicalLocale(given.language);
            if (!locale) throw refused('@inContext(language:) takes a BCP 47 tag such as "fr" or "de-CH"');
          }
          let country: string | null = null;
          if (given.country != null) {
            country = canonicalCountry(given.country);
            if (!country) throw refused('@inContext(country:) takes an ISO 3166-1 alpha-2 code such as "CH"');
          }
          locale ??= acceptedLocale(request.http?.headers.get('accept-language'));
          if (!locale && !country) return;
          contextValue.principal = { ...contextValue.principal, locale, country };
        },
      };
    },
  };
}

// Refused before any fetch: a client error (400), like a validation failure.
const refused = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
