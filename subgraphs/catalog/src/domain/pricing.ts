import { hasScope, type Principal, SERVICE_SCOPES, segmentsOf } from '@dcrm/kit';

export type PriceListScope = 'ACCOUNT' | 'SEGMENT' | 'STOREFRONT';

/** A price row joined with what its list applies to. */
export type PriceCandidate = {
  id: string;
  productId: string;
  type: 'RECURRING' | 'ONE_OFF';
  listCustomerId: string | null;
  listSegment: string | null;
};

/** Who is buying, as far as pricing cares: the account and its market segments. */
export type PricingContext = { customerId: string | null; segments: string[] };

export function scopeOf(list: { listCustomerId: string | null; listSegment: string | null }): PriceListScope {
  if (list.listCustomerId) return 'ACCOUNT';
  if (list.listSegment) return 'SEGMENT';
  return 'STOREFRONT';
}

const RANK: Record<PriceListScope, number> = { ACCOUNT: 3, SEGMENT: 2, STOREFRONT: 1 };

/**
 * Customers' segments travel as `segment:<code>` roles in the signed principal. A service principal
 * with `pricing:account` prices for the account it carries (`Principal.account`, signed with it): a
 * sale made by staff or a partner is priced as that account would pay (its list, its segment's prices).
 */
export function pricingContext(principal: Principal): PricingContext {
  if (principal.kind === 'service' && principal.account && hasScope(principal, SERVICE_SCOPES.accountPricing)) {
    return { customerId: principal.account.customerId, segments: [principal.account.segment] };
  }
  return {
    customerId: principal.kind === 'customer' ? principal.id : null,
    segments: segmentsOf(principal),
  };
}

function applies(candidate: PriceCandidate, context: PricingContext): boolean {
  if (candidate.listCustomerId) return candidate.listCustomerId === context.customerId;
  if (candidate.listSegment) return context.segments.includes(candidate.listSegment);
  return true;
}

/**
 * The price lines a caller pays: per product and price type, the most specific list that applies
 * (account > segment > storefront list price). Input order breaks ties (callers sort by list age).
 */
export function selectPrices<T extends PriceCandidate>(candidates: T[], context: PricingContext): Map<string, T[]> {
  const best = new Map<string, T>();
  for (const candidate of candidates) {
    if (!applies(candidate, context)) continue;
    const key = `${candidate.productId}:${candidate.type}`;
    const current = best.get(key);
    if (!current || RANK[scopeOf(candidate)] > RANK[scopeOf(current)]) best.set(key, candidate);
  }
  const byProduct = new Map<string, T[]>();
  for (const price of best.values()) {
    const list = byProduct.get(price.productId) ?? [];
    list.push(price);
    byProduct.set(price.productId, list);
  }
  for (const list of byProduct.values()) list.sort((a, b) => (a.type === b.type ? 0 : a.type === 'RECURRING' ? -1 : 1));
  return byProduct;
}

/** The headline price: recurring when a product has one, otherwise one-off. */
export function headline<T extends PriceCandidate>(prices: T[]): T | null {
  return prices.find((p) => p.type === 'RECURRING') ?? prices[0] ?? null;
}

export const PRICE_BANDS = [
  { band: 'UNDER_10', min: 0, max: 10 },
  { band: 'FROM_10_TO_25', min: 10, max: 25 },
  { band: 'FROM_25_TO_50', min: 25, max: 50 },
  { band: 'FROM_50_TO_100', min: 50, max: 100 },
  { band: 'OVER_100', min: 100, max: null },
] as const;
export type PriceBand = (typeof PRICE_BANDS)[number]['band'];

/** SQL `case` mapping an amount expression to its band (same bounds as PRICE_BANDS). */
export function priceBandSql(amount: string): string {
  const arms = PRICE_BANDS.filter((b) => b.max !== null).map((b) => `when ${amount} < ${b.max} then '${b.band}'`);
  return `case when ${amount} is null then null ${arms.join(' ')} else 'OVER_100' end`;
}
