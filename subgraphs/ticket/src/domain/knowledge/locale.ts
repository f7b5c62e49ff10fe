/**
 * Locales and PostgreSQL text-search configurations: an article is indexed (stemming, stop words) in
 * the configuration of its language, and searched in it; languages without one use `simple`.
 */
const CONFIGS: Record<string, string> = {
  da: 'danish',
  de: 'german',
  en: 'english',
  es: 'spanish',
  fi: 'finnish',
  fr: 'french',
  hu: 'hungarian',
  it: 'italian',
  nb: 'norwegian',
  nl: 'dutch',
  nn: 'norwegian',
  no: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sv: 'swedish',
  tr: 'turkish',
};

const BCP47 = /^([a-zA-Z]{2,3})(-[a-zA-Z0-9]{2,8})*$/;

/** `en-ie` → `en-IE`; null when it is not a BCP 47 tag of the simple kind (language[-region…]). */
export function normaliseLocale(locale: string | null | undefined): string | null {
  const value = locale?.trim() ?? '';
  if (value.length > 35 || !BCP47.test(value)) return null;
  return value
    .split('-')
    .map((part, i) => (i === 0 ? part.toLowerCase() : part.length === 2 ? part.toUpperCase() : part))
    .join('-');
}

/** The text-search configuration of a (normalised) locale. */
export const searchConfigFor = (locale: string): string => CONFIGS[locale.split('-')[0].toLowerCase()] ?? 'simple';
