import { badInput, cursorId, keysetOrderBy, keysetWhere, type OrmKey, type Page } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IPromotion, PromotionRow } from './promotion.entity.js';

const ORDER: OrmKey[] = [
  {
    field: 'priority',
    dir: 'desc',
    parse: (v) => {
      if (typeof v !== 'number') throw badInput('Malformed cursor');
      return v;
    },
  },
  { field: 'id', dir: 'asc', parse: cursorId },
];

/**
 * One page of a storefront's promotions in the order the engine applies them: highest priority
 * first, then id (the keyset). Reads one row past the page, which tells whether there is a next one.
 */
export function promotionsPage(
  em: EntityManager,
  storefrontId: string,
  active: boolean | null | undefined,
  page: Page,
): Promise<IPromotion[]> {
  return em.find(
    PromotionRow,
    { $and: [{ storefrontId }, active == null ? {} : { active }, keysetWhere(ORDER, page)] },
    { orderBy: keysetOrderBy(ORDER, page), limit: page.limit + 1 },
  );
}
