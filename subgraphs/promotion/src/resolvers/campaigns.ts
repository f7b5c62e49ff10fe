import { actingStorefront, isUuid, money, notFound, parsePage, payload, type Resolvers, toConnection } from '@dcrm/kit';
import { campaignCancel, campaignSchedule, type TransitionInput } from '../domain/campaign-lifecycle.js';
import {
  type CampaignCreateInput,
  type CampaignUpdateInput,
  campaignCreate,
  campaignUpdate,
  findCampaign,
} from '../domain/campaign-write.js';
import { campaignDashboard, conversionRate, type Kpis } from '../domain/kpis.js';
import { type CampaignStatus, campaignsPage, type ICampaign } from '../entities/index.js';
import type { PromotionContext } from './context.js';

type PageArgs = { first?: number | null; after?: string | null };

const kpisView = async (kpis: Kpis, ctx: PromotionContext) => ({
  ...kpis,
  revenue: money(kpis.revenue, await ctx.loaders.currency()),
  conversionRate: conversionRate(kpis),
});

/** Campaigns: Query.campaigns/campaign/campaignDashboard, Mutation.campaign*, type Campaign. */
export const campaignResolvers: Resolvers = {
  Query: {
    campaigns: async (_: unknown, args: PageArgs & { status?: CampaignStatus[] | null }, ctx: PromotionContext) => {
      const page = parsePage(args, 'NEWEST', 1);
      const storefrontId = actingStorefront(ctx.principal);
      if (!storefrontId) return toConnection([], page, 'NEWEST', () => []);
      const rows = await campaignsPage(ctx.em, storefrontId, args.status, page);
      for (const row of rows) ctx.loaders.campaign.prime(row.id, row);
      return toConnection(rows, page, 'NEWEST', (c) => [c.id]);
    },
    campaign: async (_: unknown, { id }: { id: string }, ctx: PromotionContext) => {
      const campaign = await findCampaign(ctx.em, ctx.principal, id);
      if (!campaign) throw notFound('Campaign');
      return campaign;
    },
    campaignDashboard: async (_: unknown, range: { from?: Date | null; to?: Date | null }, ctx: PromotionContext) => {
      const storefrontId = actingStorefront(ctx.principal);
      if (!storefrontId) throw notFound('Storefront');
      const dashboard = await campaignDashboard(ctx.em, storefrontId, ctx.loaders, range);
      const campaigns = await ctx.loaders.campaign.loadMany(dashboard.campaignIds);
      return {
        campaigns: campaigns.filter((c): c is ICampaign => !!c && !(c instanceof Error)),
        totals: await kpisView(dashboard.totals, ctx),
        byStatus: dashboard.byStatus,
      };
    },
  },
  Mutation: {
    campaignCreate: async (_: unknown, { input }: { input: CampaignCreateInput }, ctx: PromotionContext) =>
      payload('campaign', await campaignCreate(ctx.em, ctx.services.peers, ctx.principal, input)),
    campaignUpdate: async (_: unknown, { input }: { input: CampaignUpdateInput }, ctx: PromotionContext) =>
      payload('campaign', await campaignUpdate(ctx.em, ctx.services.peers, ctx.principal, input)),
    campaignSchedule: async (_: unknown, { input }: { input: TransitionInput }, ctx: PromotionContext) =>
      payload('campaign', await campaignSchedule(ctx.em, ctx.principal, ctx.services, input)),
    campaignCancel: async (_: unknown, { input }: { input: TransitionInput }, ctx: PromotionContext) =>
      payload('campaign', await campaignCancel(ctx.em, ctx.principal, ctx.services, input)),
  },
  Campaign: {
    // Who may look campaigns up is `@lookup` in the SDL; the loader keeps to the caller's storefront.
    __resolveReference: (ref: { id: string }, ctx: PromotionContext) => (isUuid(ref.id) ? ctx.loaders.campaign.load(ref.id) : null),
    promotion: (c: ICampaign, _: unknown, ctx: PromotionContext) => (c.promotionId ? ctx.loaders.promotion.load(c.promotionId) : null),
    kpis: async (c: ICampaign, _: unknown, ctx: PromotionContext) => kpisView(await ctx.loaders.campaignKpis.load(c.id), ctx),
  },
};
