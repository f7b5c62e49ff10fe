import { cursorId, keysetOrderBy, keysetWhere, type OrmKey, type Page } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Campaign, type CampaignStatus, type ICampaign } from './campaign.entity.js';

const NEWEST: OrmKey[] = [{ field: 'id', dir: 'desc', parse: cursorId }];

/** Campaigns starting in [from, to); an open end when null. */
export type StartsIn = { from?: Date | null; to?: Date | null };

/**
 * One page of a storefront's campaigns, newest first: ids are time-ordered (v7), so id descending is
 * a stable keyset. Reads one row past the page, which tells whether there is a next one.
 */
export const campaignsPage = (
  em: EntityManager,
  storefrontId: string,
  status: CampaignStatus[] | null | undefined,
  page: Page,
  startsIn: StartsIn = {},
): Promise<ICampaign[]> =>
  em.find(
    Campaign,
    {
      storefrontId,
      ...(status?.length ? { status: { $in: status } } : {}),
      ...(startsIn.from || startsIn.to
        ? { startsAt: { ...(startsIn.from ? { $gte: startsIn.from } : {}), ...(startsIn.to ? { $lt: startsIn.to } : {}) } }
        : {}),
      ...keysetWhere(NEWEST, page),
    },
    { orderBy: keysetOrderBy(NEWEST, page), limit: page.limit + 1 },
  );
