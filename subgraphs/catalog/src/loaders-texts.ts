import {
  allTranslationsLoader,
  localeChain,
  memo,
  type Principal,
  pickText,
  requestTexts,
  type SubjectTexts,
  subjectTexts,
  type TranslationRow,
} from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';

/**
 * Translated texts of products and categories for one request: the request's locale, its language,
 * the storefront's default locale, its language, then the stored text. The storefront's locale is read
 * in the same statement as the texts, so a page of products costs one statement, at each nesting level.
 */
export type CatalogTexts = {
  /** `field` of a product in the request's language, else `stored`. */
  text: ReturnType<typeof requestTexts>['text'];
  /**
   * The texts of each product row (alias `p`; or of `subject`'s rows aliased `alias`) as columns of the
   * statement reading the rows, its parameters pushed onto `params` (the select list's come first): ''
   * when nothing is to be read.
   */
  columns: (params: unknown[], subject?: TextSubject, alias?: string) => string;
  /** Hands the texts read by `columns` to the loader: rows read that way cost no statement of their own. */
  primeRows: (rows: readonly Record<string, unknown>[], subject?: TextSubject) => void;
  /**
   * The same for a category: from the texts its row was read with (`columns(params, 'category', 'c')`),
   * else the (small, shared) taxonomy's texts in the chain, read whole, once per request.
   */
  category: (id: string, field: string, stored: string | null) => string | null | Promise<string | null>;
  /** The locales a search also matches translated names in (the requested ones only). */
  requested: string[];
  /** Staff: every stored translation of a subject. */
  all: { product: DataLoader<string, TranslationRow[]>; category: DataLoader<string, TranslationRow[]> };
};

export type TextSubject = 'product' | 'category';

const storefrontLocale = (principal: Principal) =>
  principal.storefrontId
    ? { sql: '(select s.locale from "catalog"."storefront" s where s.id = ?)', params: [principal.storefrontId] }
    : undefined;

export function createTextLoaders(em: EntityManager, principal: Principal): CatalogTexts {
  const fallback = storefrontLocale(principal);
  const requested = localeChain(principal.locale, null);
  const categories = memo(async () => {
    if (requested.length === 0 && !fallback) return { byId: new Map(), chain: [] as string[] };
    const rows: { subject_id: string; locale: string; field: string; value: string; fallback_locale: string | null }[] = await em.execute(
      `select t.subject_id, t.locale, t.field, t.value, d.locale as fallback_locale from "catalog"."translation" t
       left join lateral (select ${fallback?.sql ?? 'null::text'} as locale) d on true
       where t.subject = 'category' and (t.locale in (?) or t.locale = d.locale or t.locale = split_part(d.locale, '-', 1))`,
      [...(fallback?.params ?? []), requested.length ? requested : ['']],
    );
    const byId = new Map<string, Map<string, Record<string, string>>>();
    for (const row of rows) {
      const texts = byId.get(row.subject_id) ?? new Map<string, Record<string, string>>();
      texts.set(row.locale, { ...texts.get(row.locale), [row.field]: row.value });
      byId.set(row.subject_id, texts);
    }
    return { byId, chain: localeChain(principal.locale, rows[0]?.fallback_locale) };
  });
  const products = requestTexts(em, 'catalog', principal.locale, fallback);
  // Categories read with their texts (`columns(params, 'category', 'c')`): no taxonomy-wide statement for those.
  const primedCategories = new Map<string, SubjectTexts>();
  return {
    text: products.text,
    columns: (params, subject = 'product', alias = 'p') => {
      if (requested.length === 0 && !fallback) return '';
      const locale = fallback?.sql ?? 'null::text';
      params.push(
        ...(fallback?.params ?? []),
        requested.length ? requested : [''],
        ...(fallback?.params ?? []),
        ...(fallback?.params ?? []),
      );
      return `, ${locale} as texts_fallback, (select json_agg(json_build_array(t.locale, t.field, t.value)) from "catalog"."translation" t
        where t.subject = '${subject}' and t.subject_id = ${alias}.id and (t.locale in (?) or t.locale = ${locale} or t.locale = split_part(${locale}, '-', 1))) as texts`;
    },
    primeRows: (rows, subject = 'product') => {
      for (const row of rows) {
        if (row.texts === undefined) continue;
        const triples = row.texts as [string, string, string][] | null;
        const texts = subjectTexts(triples, triples?.length ? ((row.texts_fallback as string) ?? null) : null);
        if (subject === 'product') products.prime('product', row.id as string, texts);
        else primedCategories.set(row.id as string, texts);
      }
    },
    // Plain when primed (no promise per field), else once the taxonomy's texts are read.
    category: (id, field, stored) => {
      const primed = primedCategories.get(id);
      if (primed) {
        const chain = localeChain(principal.locale, primed.fallbackLocale);
        return primed.texts.size ? pickText(primed.texts, chain, field, stored ?? '') || stored : stored;
      }
      return categories().then(({ byId, chain }) => {
        const texts = byId.get(id);
        return texts ? pickText(texts, chain, field, stored ?? '') || stored : stored;
      });
    },
    requested,
    all: { product: allTranslationsLoader(em, 'catalog', 'product'), category: allTranslationsLoader(em, 'catalog', 'category') },
  };
}
