import { type EntityName, type FilterQuery, raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { isUuid } from './ids.js';
import {
  type Connection,
  keysetOrderBy,
  keysetWhere,
  type OrmKey,
  type Page,
  type PageArgs,
  parsePage,
  toConnection,
  travelDir,
} from './pagination.js';

/**
 * Connections under many parents at once (`customers { leads(first: 5) { … } }`), with SQL per request
 * flat in both the number of parents and the page size: a loader key is a parent plus the field's
 * arguments; keys that differ only by parent share one statement, which numbers each parent's rows in
 * the page's travel order (`row_number() over (partition by parent …)`) and keeps `limit + 1` of each.
 */
export type ParentPageKey<F = unknown> = PageArgs & { parent: string; filter?: F };

/** One statement's rows: those of `parents` for one page and filter, at most `page.limit + 1` per parent, in travel order. */
export type ParentPagesFetch<T, F> = (parents: string[], page: Page, filter: F | undefined) => Promise<T[]>;

export type ParentPagesOptions<T> = {
  /** The cursor's sort tag and arity (the number of sort keys), as `parsePage` takes them. */
  sort: string;
  arity: number;
  keyOf: (row: T) => unknown[];
  parentOf: (row: T) => string | null;
  defaultSize?: number;
  max?: number;
};

/** A per-request loader of per-parent pages; an invalid page argument fails the field with BAD_USER_INPUT. */
export function parentPages<T, F = unknown>(fetch: ParentPagesFetch<T, F>, options: ParentPagesOptions<T>) {
  const { sort, arity, keyOf, parentOf } = options;
  return new DataLoader<ParentPageKey<F>, Connection<T>, string>(
    async (keys) => {
      const groups = new Map<string, number[]>();
      keys.forEach((k, i) => {
        const signature = JSON.stringify([k.first, k.after, k.last, k.before, k.filter ?? null]);
        groups.set(signature, [...(groups.get(signature) ?? []), i]);
      });
      const results: (Connection<T> | Error)[] = new Array(keys.length);
      await Promise.all(
        [...groups.values()].map(async (indexes) => {
          const first = keys[indexes[0]];
          try {
            const page = parsePage(first, sort, arity, options);
            const rows = await fetch([...new Set(indexes.map((i) => keys[i].parent))], page, first.filter);
            for (const i of indexes) {
              const own = rows.filter((r) => parentOf(r) === keys[i].parent);
              results[i] = toConnection(own, page, sort, keyOf);
            }
          } catch (error) {
            for (const i of indexes) results[i] = error as Error;
          }
        }),
      );
      return results;
    },
    { cacheKeyFn: (k) => JSON.stringify([k.parent, k.first, k.after, k.last, k.before, k.filter ?? null]) },
  );
}

/**
 * Rows of `entity` that `where` admits, for `parents` (by the property `parentField`), at most
 * `page.limit + 1` per parent within the page's keyset window, in the page's travel order: one statement.
 * Parents are ids unless `isParent` says what else a well-formed parent value is (e.g. a quote number).
 */
export function windowByParent<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  parentField: string,
  parents: readonly string[],
  where: FilterQuery<T>,
  keys: OrmKey[],
  page: Page,
  isParent: (parent: string) => boolean = isUuid,
): Promise<T[]> {
  // Parents come from entity references a client may have forged: only well-formed values can match a row.
  const ids = parents.filter(isParent);
  if (ids.length === 0) return Promise.resolve([]);
  const meta = em.getMetadata().get(entity);
  const column = (field: string) => (meta.properties as Record<string, { fieldNames: string[] }>)[field].fieldNames[0];
  const order = keys.map((k) => `w.${column(k.field)} ${travelDir(k.dir, page)}`).join(', ');
  const numbered = em
    .createQueryBuilder(entity, 'w')
    .select([raw(`w.id`), raw(`row_number() over (partition by w.${column(parentField)} order by ${order}) as rn`)])
    .where({ $and: [where, { [parentField]: { $in: ids } }, keysetWhere(keys, page)] } as never);
  const { sql, params } = numbered.toQuery();
  const inWindow = raw((alias: string) => `${alias}.id in (select id from (${sql}) numbered where rn <= ?)`, [...params, page.limit + 1]);
  return em.find(entity, { [inWindow]: [] } as never, { orderBy: keysetOrderBy(keys, page) as never }) as Promise<T[]>;
}
