import type { Page } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Campaign, type CampaignStatus, type ICampaign } from './campaign.entity.js';

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
      ...(page.after ? { id: { $lt: String(page.after[0]) } } : {}),
    },
    { orderBy: { id: 'desc' }, limit: page.limit + 1 },
  );
