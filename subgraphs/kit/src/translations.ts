import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { newId } from './ids.js';

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

/**
 * Per-request loader of one subject's translations in the given locales (the request's fallback
 * chain): one statement for every id asked in the same tick, so a page of products costs one query.
 */
export function translationLoader(
  em: EntityManager,
  schema: string,
  subject: string,
  locales: readonly string[],
): DataLoader<string, Texts> {
  return new DataLoader(async (ids) => {
    const byId = new Map<string, Texts>(ids.map((id) => [id, new Map()]));
    if (locales.length === 0) return ids.map((id) => byId.get(id) as Texts);
    const rows: { subject_id: string; locale: string; field: string; value: string }[] = await em.execute(
      `select "subject_id", "locale", "field", "value" from "${schema}"."translation" where "subject" = ? and "subject_id" in (?) and "locale" in (?)`,
      [subject, [...ids], [...locales]],
    );
    for (const row of rows) {
      const texts = byId.get(row.subject_id);
      if (!texts) continue;
      const fields = texts.get(row.locale) ?? {};
      fields[row.field] = row.value;
      texts.set(row.locale, fields);
    }
    return ids.map((id) => byId.get(id) as Texts);
  });
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
 * the field in the first locale of the request's chain that has it (`localeChain`), else `stored`.
 * One batched statement per subject and tick (a page), none when the chain is empty.
 */
export function requestTexts(em: EntityManager, schema: string, chain: () => Promise<string[]>) {
  const loaders = new Map<string, DataLoader<string, Texts>>();
  return async <T extends string | null>(subject: string, id: string, field: string, stored: T): Promise<string | T> => {
    const locales = await chain();
    if (locales.length === 0) return stored;
    let loader = loaders.get(subject);
    if (!loader) loaders.set(subject, (loader = translationLoader(em, schema, subject, locales)));
    const texts = await loader.load(id);
    for (const locale of locales) {
      const value = texts.get(locale)?.[field];
      if (value != null) return value;
    }
    return stored;
  };
}

export type TranslationRow = { locale: string; field: string; value: string };

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
