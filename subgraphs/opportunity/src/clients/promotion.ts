import { entitiesOf, type Peers, servicePrincipal } from '@dcrm/kit';

// Calls to the promotion subgraph as this subgraph, for one storefront: a lead's campaign is checked
// whoever captures it (an anonymous visitor may not read campaigns, yet may arrive from one).

export type CampaignInfo = { id: string; status: string };

/** The storefront's campaign, or null when it has none with this id. */
export async function campaignOf(peers: Peers, storefrontId: string, campaignId: string): Promise<CampaignInfo | null> {
  const [campaign] = await entitiesOf<CampaignInfo>(
    peers('promotion'),
    servicePrincipal('opportunity', storefrontId, []),
    'Campaign',
    'id status',
    [campaignId],
  );
  return campaign;
}
