import { fromMinor, periodBounds, type SpendPeriod, type TotalsData, toMinor } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ISpendBudget } from '../entities/index.js';

/**
 * Spend control's arithmetic, in one place. What an order spends is what its first bill charges,
 * tax-inclusive: `dueNow` (one-off charges after discounts, their tax, the deposit) plus `monthly`
 * (the first period of every recurring charge, after discounts, with tax). A budget's period spends
 * the account's orders placed in it (by `placedAt`, in the budget's currency) that are PLACED,
 * PROVISIONING, ACTIVE or PENDING_APPROVAL: a held order holds its share until it is rejected.
 */
export const COUNTED_STATUSES = ['PLACED', 'PROVISIONING', 'ACTIVE', 'PENDING_APPROVAL'] as const;

/** An order's spend in minor units (see above). */
export const orderSpend = (totals: TotalsData): number => toMinor(totals.dueNow) + toMinor(totals.monthly);

const SPENT = `select coalesce(sum((totals->>'dueNow')::numeric + (totals->>'monthly')::numeric), 0)::text as spent
  from "cart"."customer_order" where storefront_id = ? and customer_id = ? and currency_code = ?
  and status in (${COUNTED_STATUSES.map((s) => `'${s}'`).join(', ')}) and placed_at >= ? and placed_at < ?`;

export type BudgetUse = { budget: ISpendBudget; start: Date; end: Date; spent: number; remaining: number };

type BudgetFacts = Pick<ISpendBudget, 'storefrontId' | 'customerId' | 'currencyCode' | 'period' | 'timeZone' | 'amount'>;

/** A budget's current period at `now` and what the account spent in it (minor units). */
export async function budgetUse<B extends BudgetFacts>(em: EntityManager, budget: B, now: Date) {
  const { start, end } = periodBounds(budget.period as SpendPeriod, budget.timeZone, now);
  const [row] = await em.execute(SPENT, [budget.storefrontId, budget.customerId, budget.currencyCode, start, end]);
  const spent = toMinor(Number(row?.spent ?? 0).toFixed(2));
  return { budget, start, end, spent, remaining: toMinor(budget.amount) - spent };
}

/** Why an order is held for approval; null: within every budget. */
export type HoldReason = { code: 'OVER_BUDGET' | 'OVER_ORDER_LIMIT'; message: string };

const LOCKED = `select id, storefront_id as "storefrontId", customer_id as "customerId", currency_code as "currencyCode",
  period, time_zone as "timeZone", amount::text as amount, per_order_limit::text as "perOrderLimit"
  from "cart"."spend_budget" where storefront_id = ? and customer_id = ? order by id for update`;

/**
 * Inside the checkout's transaction: the buyer's budgets locked (in id order, so checkouts queue rather
 * than deadlock), then each period's spend re-counted — a concurrent checkout that got the lock first
 * has committed its order, which this count now sees. So two checkouts can never both spend the last
 * of a budget: the second one is held.
 */
export async function holdReason(
  tx: EntityManager,
  order: { storefrontId: string; customerId: string; currencyCode: string; totals: TotalsData },
  now: Date,
): Promise<HoldReason | null> {
  const budgets = (await tx.execute(LOCKED, [order.storefrontId, order.customerId])) as (BudgetFacts & { perOrderLimit: string | null })[];
  const spend = orderSpend(order.totals);
  for (const budget of budgets.filter((b) => b.currencyCode === order.currencyCode)) {
    if (budget.perOrderLimit !== null && spend > toMinor(budget.perOrderLimit))
      return { code: 'OVER_ORDER_LIMIT', message: `Over the per-order limit of ${budget.perOrderLimit} ${budget.currencyCode}` };
    const use = await budgetUse(tx, budget, now);
    if (spend > use.remaining)
      return {
        code: 'OVER_BUDGET',
        message: `Over the ${budget.period.toLowerCase()} budget: ${fromMinor(Math.max(use.remaining, 0))} ${budget.currencyCode} left`,
      };
  }
  return null;
}
