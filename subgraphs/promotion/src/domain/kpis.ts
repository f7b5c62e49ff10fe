import { actingStorefront, fromMinor, memo, type Principal, toMinor } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { storefrontCurrency } from '../clients/catalog.js';
import type { CampaignStatus } from '../entities/index.js';
import type { PromotionServices } from './services.js';

/**
 * A campaign's results; amounts are decimal strings in the storefront's currency, tax included as the
 * orders charged them: `revenue` what converting orders charged at once, `monthlyRevenue` what they
 * charge every month.
 */
export type Kpis = {
  targeted: number;
  notified: number;
  clicked: number;
  redeemed: number;
  converted: number;
  revenue: string;
  monthlyRevenue: string;
};
type KpiRow = Kpis & { id: string; status: CampaignStatus };

const zero = (): Kpis => ({ targeted: 0, notified: 0, clicked: 0, redeemed: 0, converted: 0, revenue: '0.00', monthlyRevenue: '0.00' });

/** One grouped statement over the campaigns matching `where` (always within one storefront) and their offers. */
async function kpiRows(em: EntityManager, where: string, params: unknown[]): Promise<KpiRow[]> {
  return (await em.execute(
    `select c.id, c.status, c.notified, count(o.id)::int as targeted, count(o.clicked_at)::int as clicked,
       count(o.redeemed_at)::int as redeemed, count(o.converted_at)::int as converted,
       coalesce(sum(o.revenue), 0)::numeric(14, 2)::text as revenue,
       coalesce(sum(o.revenue_recurring), 0)::numeric(14, 2)::text as "monthlyRevenue"
     from "promotion"."campaign" c left join "promotion"."offer" o on o.campaign_id = c.id
     where ${where} group by c.id`,
    params,
  )) as KpiRow[];
}

/** Sums KPIs (revenue in minor units, so no float drift). */
export function totalOf(list: Kpis[]): Kpis {
  const total = zero();
  let minor = 0;
  let monthlyMinor = 0;
  for (const k of list) {
    total.targeted += k.targeted;
    total.notified += k.notified;
    total.clicked += k.clicked;
    total.redeemed += k.redeemed;
    total.converted += k.converted;
    minor += toMinor(k.revenue);
    monthlyMinor += toMinor(k.monthlyRevenue);
  }
  return { ...total, revenue: fromMinor(minor), monthlyRevenue: fromMinor(monthlyMinor) };
}

/**
 * Recurring revenue, stated: first period = what was charged at once plus the first month's charge;
 * annualised = 12 × the monthly charge (recurring only, one-off charges left out). Minor units.
 */
export function recurringRevenue(k: Kpis): { firstPeriodRevenue: string; annualisedRevenue: string } {
  const monthly = toMinor(k.monthlyRevenue);
  return { firstPeriodRevenue: fromMinor(toMinor(k.revenue) + monthly), annualisedRevenue: fromMinor(12 * monthly) };
}

export const conversionRate = (k: Kpis): number => (k.targeted ? k.converted / k.targeted : 0);

/**
 * Per-request loaders: KPIs by campaign id (one grouped statement however many campaigns a response
 * shows) and the storefront's currency, asked of the catalog once as the caller.
 */
export function createCampaignLoaders(em: EntityManager, principal: Principal, services: PromotionServices) {
  const storefrontId = actingStorefront(principal);
  const campaignKpis = new DataLoader<string, Kpis>(async (ids) => {
    const rows = storefrontId
      ? await kpiRows(em, 'c.storefront_id = ? and c.id in (select jsonb_array_elements_text(?::jsonb)::uuid)', [
          storefrontId,
          JSON.stringify(ids),
        ])
      : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? zero());
  });
  const currency = memo(() => storefrontCurrency(services.peers, principal));
  return { campaignKpis, currency };
}

export type CampaignLoaders = ReturnType<typeof createCampaignLoaders>;

/**
 * The dashboard's totals and counts by status over every campaign of the storefront (starting in
 * [from, to) when given), from one grouped statement whose KPIs are primed into the KPI loader for the
 * page of campaigns the dashboard shows.
 */
export async function campaignDashboard(
  em: EntityManager,
  storefrontId: string,
  loaders: CampaignLoaders,
  range: { from?: Date | null; to?: Date | null },
) {
  const rows = await kpiRows(
    em,
    'c.storefront_id = ? and (?::timestamptz is null or c.starts_at >= ?::timestamptz) and (?::timestamptz is null or c.starts_at < ?::timestamptz)',
    [storefrontId, range.from ?? null, range.from ?? null, range.to ?? null, range.to ?? null],
  );
  for (const row of rows) loaders.campaignKpis.prime(row.id, row);
  const byStatus = new Map<CampaignStatus, number>();
  for (const row of rows) byStatus.set(row.status, (byStatus.get(row.status) ?? 0) + 1);
  return {
    totals: totalOf(rows),
    byStatus: [...byStatus].map(([status, count]) => ({ status, count })),
  };
}
