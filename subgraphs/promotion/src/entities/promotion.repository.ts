import { isUuid, type Page } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IPromotion, PromotionRow } from './promotion.entity.js';

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
  const [priority, id] = (page.after ?? []) as [number, string];
  const after =
    page.after && typeof priority === 'number' && isUuid(id)
      ? { $or: [{ priority: { $lt: priority } }, { priority, id: { $gt: id } }] }
      : {};
  return em.find(
    PromotionRow,
    { $and: [{ storefrontId }, active == null ? {} : { active }, after] },
    { orderBy: [{ priority: 'desc' }, { id: 'asc' }], limit: page.limit + 1 },
  );
}
