import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { newId } from './ids.js';
import { KnownLoader, thenNow } from './loaders.js';
import { localeChain } from './locale.js';

/**
 * Customer-facing texts in other languages. Each subgraph keeps its own `<schema>.translation`: one
 * row per (subject, id, locale, field), e.g. ('product', <id>, 'fr', 'name'). The row stored on the
 * subject itself (`product.name`) stays the default text every fallback ends at. Written through the
 * ORM so the audit trail records it and, for brand-owned subjects (`storefrontId`), the brand guard
 * backs up the domain's own check.
 */
export const Translation = defineEntity({
  name: 'Translation',
  tableName: 'translation',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    /** What is translated: `product`, `category`, `promotion`… */
    subject: p.string(),
    subjectId: p.uuid(),
    /** BCP 47, canonical (`en`, `fr`, `de-CH`). */
    locale: p.string(),
    field: p.string(),
    value: p.text(),
    /** The subject's brand when it has one (promotions); null for shared rows (products, categories). */
    storefrontId: p.uuid().nullable(),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type ITranslation = InferEntity<typeof Translation>;

/** The translation table of a subgraph's schema: each subgraph's translation migration runs these. */
export function translationTableSql(schema: string): string[] {
  const table = `"${schema}"."translation"`;
  return [
    `create table ${table} (
      "id" uuid primary key,
      "subject" varchar(40) not null,
      "subject_id" uuid not null,
      "locale" varchar(35) not null,
      "field" varchar(40) not null,
      "value" text not null,
      "storefront_id" uuid null,
      "updated_at" timestamptz not null
    )`,
    `create unique index "translation_subject_locale_field_idx" on ${table} ("subject", "subject_id", "locale", "field")`,
  ];
}

/** One subject's texts by locale and field: `texts.get('fr')?.name`. */
export type Texts = Map<string, Record<string, string>>;

type Row = { subject_id: string; locale: string; field: string; value: string; fallback_locale?: string | null };

/** A subject's texts and, when the loader was given one, the default locale the chain ends at. */
export type SubjectTexts = { texts: Texts; fallbackLocale: string | null };

/**
 * The default locale of a request as SQL (catalog: the storefront's `locale`), read in the same
 * statement as the texts, so asking for texts never waits on another query and batches exactly
 * like the loaders beside it.
 */
export type FallbackLocaleSql = { sql: string; params: unknown[] };

/**
 * Where a request's default locale comes from: SQL read with the texts (the subgraph owns the storefront
 * row), or a lookup made once per request (another subgraph knows it, e.g. kit `storefrontLocale`).
 */
export type FallbackLocale = FallbackLocaleSql | (() => Promise<string | null>);

/**
 * Per-request loader of one subject's translations in the request's locale, its language and the
 * fallback locale (and its language): one statement for every id asked in the same tick, so a page of
 * products costs one query.
 */
export function translationLoader(
  em: EntityManager,
  schema: string,
  subject: string,
  requested: readonly string[],
  fallback?: FallbackLocale,
): KnownLoader<string, SubjectTexts> {
  return new KnownLoader<string, SubjectTexts>((ids) => readTranslations(em, schema, subject, requested, ids, fallback));
}

async function fallbackSql(fallback: FallbackLocale | undefined): Promise<FallbackLocaleSql | undefined> {
  if (typeof fallback !== 'function') return fallback;
  const locale = await fallback();
  return locale ? { sql: '?::text', params: [locale] } : undefined;
}

/** One statement: the texts of `ids` in the requested locales and the fallback locale. */
async function readTranslations(
  em: EntityManager,
  schema: string,
  subject: string,
  requested: readonly string[],
  ids: readonly string[],
  fallbackLocale?: FallbackLocale,
): Promise<SubjectTexts[]> {
  const fallback = await fallbackSql(fallbackLocale);
  const params: unknown[] = [];
  let select = '';
  let join = '';
  let extra = '';
  if (fallback) {
    join = ` left join lateral (select ${fallback.sql} as locale) d on true`;
    params.push(...fallback.params);
    select = ', d.locale as fallback_locale';
    extra = ` or t."locale" = d.locale or t."locale" = split_part(d.locale, '-', 1)`;
  } else if (requested.length === 0) {
    return ids.map(() => ({ texts: new Map(), fallbackLocale: null }));
  }
  params.push(subject, [...ids], requested.length ? [...requested] : ['']);
  const rows: Row[] = await em.execute(
    `select t."subject_id", t."locale", t."field", t."value"${select} from "${schema}"."translation" t${join}
       where t."subject" = ? and t."subject_id" in (?) and (t."locale" in (?)${extra})`,
    params,
  );
  const byId = new Map<string, SubjectTexts>(ids.map((id) => [id, { texts: new Map(), fallbackLocale: null }]));
  for (const row of rows) {
    const entry = byId.get(row.subject_id);
    if (!entry) continue;
    entry.fallbackLocale = row.fallback_locale ?? null;
    entry.texts.set(row.locale, { ...entry.texts.get(row.locale), [row.field]: row.value });
  }
  return ids.map((id) => byId.get(id) as SubjectTexts);
}

/** The text of `field` in the first locale of `chain` that has it, else the stored default. */
export function pickText(texts: Texts | undefined, chain: readonly string[], field: string, fallback: string): string {
  if (texts) {
    for (const locale of chain) {
      const value = texts.get(locale)?.[field];
      if (value != null) return value;
    }
  }
  return fallback;
}

/**
 * One request's translated texts of a subgraph's subjects: `text('product', id, 'name', stored)` is
 * the field in the first locale of the chain that has it — the request's locale, its language, the
 * fallback locale, its language (`localeChain`) — else `stored`. One batched statement per subject and
 * tick (a page), whichever fields are asked; none when there is neither a requested nor a fallback locale.
 */
export function requestTexts(em: EntityManager, schema: string, requested: string | null | undefined, fallback?: FallbackLocale) {
  const asked = localeChain(requested, null);
  const loaders = new Map<string, KnownLoader<string, SubjectTexts>>();
  // Without a requested language the storefront default's translation still comes first: the stored
  // text is whatever language it was written in (products are shared between brands), not necessarily
  // the storefront's. Only a request knowing neither reads nothing.
  const active = asked.length > 0 || fallback !== undefined;
  const loaderOf = (subject: string) => {
    let loader = loaders.get(subject);
    if (!loader) loaders.set(subject, (loader = translationLoader(em, schema, subject, asked, fallback)));
    return loader;
  };
  const pick = <T extends string | null>({ texts, fallbackLocale }: SubjectTexts, field: string, stored: T): string | T => {
    if (texts.size === 0) return stored;
    for (const locale of localeChain(requested, fallbackLocale)) {
      const value = texts.get(locale)?.[field];
      if (value != null) return value;
    }
    return stored;
  };
  return {
    /** Plain when the subject's texts were read with its row (primed), else a promise. */
    text: <T extends string | null>(subject: string, id: string, field: string, stored: T): string | T | Promise<string | T> => {
      if (!active) return stored;
      return thenNow(loaderOf(subject).now(id), (texts) => pick(texts, field, stored));
    },
    /** Texts read along with a row (as a column of the row's own statement): no statement of their own. */
    prime: (subject: string, id: string, texts: SubjectTexts): void => {
      if (active) loaderOf(subject).prime(id, texts);
    },
    /**
     * Loads the texts of rows just read, as part of the loader that read them: one statement per batch
     * of rows, so the statement count follows the row loaders' batches and never the resolvers' timing.
     */
    preload: async (subject: string, ids: readonly string[]): Promise<void> => {
      if (!active || ids.length === 0) return;
      // Read even when cached: the count must not depend on what another level happened to load.
      const read = await readTranslations(em, schema, subject, asked, ids, fallback);
      const loader = loaderOf(subject);
      for (const [i, id] of ids.entries()) loader.prime(id, read[i]);
    },
  };
}

export type TranslationRow = { locale: string; field: string; value: string };

/** A subject's texts from `[locale, field, value]` triples (a JSON column read with the row). */
export function subjectTexts(triples: readonly [string, string, string][] | null | undefined, fallbackLocale: string | null): SubjectTexts {
  const texts: Texts = new Map();
  for (const [locale, field, value] of triples ?? []) texts.set(locale, { ...texts.get(locale), [field]: value });
  return { texts, fallbackLocale };
}

/** Every stored translation of some subjects (staff's `translations` field): one statement per page. */
export function allTranslationsLoader(em: EntityManager, schema: string, subject: string): DataLoader<string, TranslationRow[]> {
  return new DataLoader(async (ids) => {
    const rows: { subject_id: string; locale: string; field: string; value: string }[] = await em.execute(
      `select "subject_id", "locale", "field", "value" from "${schema}"."translation" where "subject" = ? and "subject_id" in (?) order by "locale", "field"`,
      [subject, [...ids]],
    );
    return ids.map((id) => rows.filter((r) => r.subject_id === id).map(({ locale, field, value }) => ({ locale, field, value })));
  });
}

export type TranslationWrite = {
  subject: string;
  subjectId: string;
  locale: string;
  storefrontId?: string | null;
  /** Field → text; null or empty removes that field's translation. */
  fields: Record<string, string | null | undefined>;
};

/** Sets (or, for null/empty texts, removes) one subject's translations in one locale, in the caller's transaction. */
export async function writeTranslations(em: EntityManager, write: TranslationWrite): Promise<void> {
  const existing = await em.find(Translation, { subject: write.subject, subjectId: write.subjectId, locale: write.locale });
  for (const [field, raw] of Object.entries(write.fields)) {
    if (raw === undefined) continue;
    const value = raw?.trim() ?? '';
    const row = existing.find((r) => r.field === field);
    if (!value) {
      if (row) em.remove(row);
    } else if (row) {
      row.value = value;
    } else {
      em.create(Translation, {
        subject: write.subject,
        subjectId: write.subjectId,
        locale: write.locale,
        field,
        value,
        storefrontId: write.storefrontId ?? null,
      });
    }
  }
}

/** Removes one subject's translations in one locale (every field); how many rows went. */
export async function removeTranslations(em: EntityManager, subject: string, subjectId: string, locale: string): Promise<number> {
  const rows = await em.find(Translation, { subject, subjectId, locale });
  for (const row of rows) em.remove(row);
  return rows.length;
}
