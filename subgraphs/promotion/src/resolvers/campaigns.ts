import { actingStorefront, isUuid, money, notFound, parsePage, payload, toConnection } from '@dcrm/kit';
import { campaignCancel, campaignSchedule } from '../domain/campaign-lifecycle.js';
import { campaignCreate, campaignUpdate, findCampaign } from '../domain/campaign-write.js';
import { campaignDashboard, conversionRate, type Kpis, recurringRevenue } from '../domain/kpis.js';
import { campaignsPage, type StartsIn } from '../entities/index.js';
import type { PromotionContext, PromotionResolvers } from './context.js';

const kpisView = async (kpis: Kpis, ctx: PromotionContext) => {
  const currency = await ctx.loaders.currency();
  const recurring = recurringRevenue(kpis);
  return {
    ...kpis,
    revenue: money(kpis.revenue, currency),
    monthlyRevenue: money(kpis.monthlyRevenue, currency),
    firstPeriodRevenue: money(recurring.firstPeriodRevenue, currency),
    annualisedRevenue: money(recurring.annualisedRevenue, currency),
    conversionRate: conversionRate(kpis),
  };
};

/** What `campaignDashboard` resolves to: its totals, and what its `campaigns` page needs to find them. */
export type DashboardView = {
  storefrontId: string;
  range: StartsIn;
  totals: Awaited<ReturnType<typeof kpisView>>;
  byStatus: Awaited<ReturnType<typeof campaignDashboard>>['byStatus'];
};

/** Campaigns: Query.campaigns/campaign/campaignDashboard, Mutation.campaign*, type Campaign. */
export const campaignResolvers: PromotionResolvers = {
  Query: {
    campaigns: async (_, args, ctx) => {
      const page = parsePage(args, 'NEWEST', 1);
      const storefrontId = actingStorefront(ctx.principal);
      if (!storefrontId) return toConnection([], page, 'NEWEST', () => []);
      const rows = await campaignsPage(ctx.em, storefrontId, args.status, page);
      for (const row of rows) ctx.loaders.campaign.prime(row.id, row);
      return toConnection(rows, page, 'NEWEST', (c) => [c.id]);
    },
    campaign: async (_, { id }, ctx) => {
      const campaign = await findCampaign(ctx.em, ctx.principal, id);
      if (!campaign) throw notFound('Campaign');
      return campaign;
    },
    campaignDashboard: async (_, range, ctx) => {
      const storefrontId = actingStorefront(ctx.principal);
      if (!storefrontId) throw notFound('Storefront');
      const dashboard = await campaignDashboard(ctx.em, storefrontId, ctx.loaders, range);
      return {
        storefrontId,
        range,
        totals: await kpisView(dashboard.totals, ctx),
        byStatus: dashboard.byStatus,
      };
    },
  },
  CampaignDashboard: {
    campaigns: async (d, args, ctx) => {
      const page = parsePage(args, 'NEWEST', 1);
      const rows = await campaignsPage(ctx.em, d.storefrontId, null, page, d.range);
      for (const row of rows) ctx.loaders.campaign.prime(row.id, row);
      return toConnection(rows, page, 'NEWEST', (c) => [c.id]);
    },
  },
  Mutation: {
    campaignCreate: async (_, { input }, ctx) =>
      payload('campaign', await campaignCreate(ctx.em, ctx.services.peers, ctx.principal, input)),
    campaignUpdate: async (_, { input }, ctx) =>
      payload('campaign', await campaignUpdate(ctx.em, ctx.services.peers, ctx.principal, input)),
    campaignSchedule: async (_, { input }, ctx) => payload('campaign', await campaignSchedule(ctx.em, ctx.principal, ctx.services, input)),
    campaignCancel: async (_, { input }, ctx) => payload('campaign', await campaignCancel(ctx.em, ctx.principal, ctx.services, input)),
  },
  Campaign: {
    // Who may look campaigns up is `@lookup` in the SDL; the loader keeps to the caller's storefront.
    __resolveReference: (ref, ctx) => (isUuid(ref.id) ? ctx.loaders.campaign.load(ref.id) : null),
    promotion: (c, _, ctx) => (c.promotionId ? ctx.loaders.promotion.load(c.promotionId) : null),
    kpis: async (c, _, ctx) => kpisView(await ctx.loaders.campaignKpis.load(c.id), ctx),
  },
};
