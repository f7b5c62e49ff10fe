import { cursorId, keysetOrderBy, keysetWhere, type OrmKey, type Page } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Campaign, type CampaignStatus, type ICampaign } from './campaign.entity.js';

const NEWEST: OrmKey[] = [{ field: 'id', dir: 'desc', parse: cursorId }];

/**
 * One page of a storefront's campaigns, newest first: ids are time-ordered (v7), so id descending is
 * a stable keyset. Reads one row past the page, which tells whether there is a next one.
 */
export const campaignsPage = (
  em: EntityManager,
  storefrontId: string,
  status: CampaignStatus[] | null | undefined,
  page: Page,
): Promise<ICampaign[]> =>
  em.find(
    Campaign,
    {
      storefrontId,
      ...(status?.length ? { status: { $in: status } } : {}),
      ...keysetWhere(NEWEST, page),
    },
    { orderBy: keysetOrderBy(NEWEST, page), limit: page.limit + 1 },
  );
