import Negotiator from 'negotiator';

/**
 * The request context's language and country. The router decides them once per operation — the
 * operation's `@inContext(language:, country:)`, else `Accept-Language`, else nothing (each subgraph
 * then uses the storefront's default) — and signs them with the principal (`Principal.locale`,
 * `Principal.country`); subgraphs read them there, and calls between subgraphs carry them on.
 */

/** A BCP 47 tag in canonical form (`fr`, `de-CH`, `pt-BR`), or null when it is not one. */
export function canonicalLocale(tag: unknown): string | null {
  if (typeof tag !== 'string' || tag.length === 0 || tag.length > 35 || tag === '*') return null;
  try {
    return Intl.getCanonicalLocales(tag.replace(/_/g, '-'))[0] ?? null;
  } catch {
    return null;
  }
}

/** An ISO 3166-1 alpha-2 country code, upper case, or null. */
export function canonicalCountry(code: unknown): string | null {
  return typeof code === 'string' && /^[A-Za-z]{2}$/.test(code) ? code.toUpperCase() : null;
}

/** The client's most preferred language in an `Accept-Language` header (q-values honoured), or null. */
export function acceptedLocale(header: string | string[] | undefined | null): string | null {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value || value.length > 500) return null;
  for (const tag of new Negotiator({ headers: { 'accept-language': value } }).languages()) {
    const locale = canonicalLocale(tag);
    if (locale) return locale;
  }
  return null;
}

/** `de-CH` → `de`; a bare language stays itself. */
export const languageOf = (locale: string): string => locale.split('-')[0].toLowerCase();

/**
 * Where translated texts are looked for, in order: the requested locale, its language, the
 * storefront's default locale, its language (duplicates dropped). After the chain, the stored text.
 */
export function localeChain(requested: string | null | undefined, storefrontDefault: string | null | undefined): string[] {
  const chain: string[] = [];
  for (const tag of [requested, storefrontDefault]) {
    const locale = canonicalLocale(tag);
    if (!locale) continue;
    for (const candidate of [locale, languageOf(locale)]) if (!chain.includes(candidate)) chain.push(candidate);
  }
  return chain;
}
