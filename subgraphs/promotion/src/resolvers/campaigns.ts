import type { Resolvers } from '@dcrm/kit';

/** Campaigns: Query.campaigns/campaign/campaignDashboard, Mutation.campaign*, type Campaign. */
export const campaignResolvers: Resolvers = {};
