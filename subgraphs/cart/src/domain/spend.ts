import { fromMinor, periodBounds, type SpendPeriod, type TotalsData, toMinor } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ISpendBudget } from '../entities/index.js';

/**
 * Spend control's arithmetic and its hold rule, in one place.
 *
 * - What an order spends is what its first bill charges, tax-inclusive: `dueNow` (one-off charges after
 *   discounts, their tax, the deposit) plus `monthly` (the first period of every recurring charge, after
 *   discounts, with tax).
 * - A budget rolls up its account's tree: its period spends the orders placed in it (by `placedAt`, in the
 *   budget's currency) by the account itself or any account below it — as the tree stood when each order
 *   was placed (`Order.accountPath`) — that are PLACED, PROVISIONING, ACTIVE or PENDING_APPROVAL: a held
 *   order holds its share until it is rejected.
 * - An order must fit every budget on its way up the tree (the buyer's own and each account's above it)
 *   and each one's per-order limit; otherwise it is held. A breach is decided by the holder directly above
 *   the budget's account (who set it), or — a top account's budget, set by staff — by that account's own
 *   holder. Breaching several, the order goes to the highest of those holders: the one whose approval
 *   covers every breach below it. A top account's own order over its own budget has nobody above to ask
 *   and is not held; nor is an order that the deciding holder (or one above it) placed itself.
 */
export const COUNTED_STATUSES = ['PLACED', 'PROVISIONING', 'ACTIVE', 'PENDING_APPROVAL'] as const;

/** An order's spend in minor units (see above). */
export const orderSpend = (totals: TotalsData): number => toMinor(totals.dueNow) + toMinor(totals.monthly);

// One statement for any number of budgets: each budget's period, over the orders whose path holds its account.
const SPENT = `select b.i, round(coalesce(sum((o.totals->>'dueNow')::numeric + (o.totals->>'monthly')::numeric), 0) * 100)::bigint as spent
  from jsonb_to_recordset(?::jsonb) as b(i int, storefront_id uuid, customer_id uuid, currency_code text, start_at timestamptz, end_at timestamptz)
  left join "cart"."customer_order" o on o.storefront_id = b.storefront_id and o.account_path @> array[b.customer_id]
    and o.currency_code = b.currency_code and o.placed_at >= b.start_at and o.placed_at < b.end_at
    and o.status in (${COUNTED_STATUSES.map((s) => `'${s}'`).join(', ')})
  group by b.i`;

type BudgetFacts = Pick<ISpendBudget, 'storefrontId' | 'customerId' | 'currencyCode' | 'period' | 'timeZone' | 'amount'>;

export type BudgetUse<B extends BudgetFacts = ISpendBudget> = { budget: B; start: Date; end: Date; spent: number; remaining: number };

/** Each budget's current period at `now` and what its account's tree spent in it (minor units). */
export async function budgetUses<B extends BudgetFacts>(em: EntityManager, budgets: B[], now: Date): Promise<BudgetUse<B>[]> {
  if (budgets.length === 0) return [];
  const periods = budgets.map((b) => periodBounds(b.period as SpendPeriod, b.timeZone, now));
  const rows = budgets.map((b, i) => ({
    i,
    storefront_id: b.storefrontId,
    customer_id: b.customerId,
    currency_code: b.currencyCode,
    start_at: periods[i]?.start.toISOString(),
    end_at: periods[i]?.end.toISOString(),
  }));
  const spentRows = await em.execute(SPENT, [JSON.stringify(rows)]);
  const spentOf = new Map(spentRows.map((r) => [Number(r.i), Number(r.spent)]));
  return budgets.map((budget, i) => {
    const spent = spentOf.get(i) ?? 0;
    const { start, end } = periods[i] as { start: Date; end: Date };
    return { budget, start, end, spent, remaining: toMinor(budget.amount) - spent };
  });
}

export const budgetUse = async <B extends BudgetFacts>(em: EntityManager, budget: B, now: Date): Promise<BudgetUse<B>> =>
  (await budgetUses(em, [budget], now))[0] as BudgetUse<B>;

/** Why an order is held for approval and whose holder decides; null: within every budget. */
export type HoldReason = { code: 'OVER_BUDGET' | 'OVER_ORDER_LIMIT'; message: string; approverId: string };

/** An order about to be written: its buyer's path up the tree (the buyer first) and who placed it, when not the buyer. */
export type Placing = {
  storefrontId: string;
  path: string[];
  currencyCode: string;
  totals: TotalsData;
  /** A sale's placer (staff, partner user or a holder accepting for the account); absent for a checkout. */
  actedBy?: string | null;
};

const LOCKED = `select id, storefront_id as "storefrontId", customer_id as "customerId", currency_code as "currencyCode",
  period, time_zone as "timeZone", amount::text as amount, per_order_limit::text as "perOrderLimit"
  from "cart"."spend_budget" where storefront_id = ? and customer_id in (?) order by id for update`;

type Locked = BudgetFacts & { perOrderLimit: string | null };

/** What a breach of one budget says: its amounts only to its own account (a sub-account does not read the budgets above it). */
function breach(use: BudgetUse<Locked>, spend: number, own: boolean): Omit<HoldReason, 'approverId'> | null {
  const { budget } = use;
  const of = own ? '' : ' of an account above';
  if (budget.perOrderLimit !== null && spend > toMinor(budget.perOrderLimit))
    return {
      code: 'OVER_ORDER_LIMIT',
      message: `Over the per-order limit${of}${own ? ` of ${budget.perOrderLimit} ${budget.currencyCode}` : ''}`,
    };
  if (spend <= use.remaining) return null;
  const left = own ? `: ${fromMinor(Math.max(use.remaining, 0))} ${budget.currencyCode} left` : '';
  return { code: 'OVER_BUDGET', message: `Over the ${budget.period.toLowerCase()} budget${of}${left}` };
}

/**
 * Inside the order's transaction: the budgets on the buyer's way up the tree locked (in id order, so
 * orders queue rather than deadlock), then each period's spend re-counted — a concurrent order that got
 * a lock first has committed, and this count sees it. So two orders, of one account or of two accounts
 * under one budget, can never both spend the last of it: the second is held. See the header for the rule.
 */
export async function holdReason(tx: EntityManager, order: Placing, now: Date): Promise<HoldReason | null> {
  const locked = (await tx.execute(LOCKED, [order.storefrontId, order.path])) as Locked[];
  const budgets = locked.filter((b) => b.currencyCode === order.currencyCode);
  const spend = orderSpend(order.totals);
  let held: (HoldReason & { level: number }) | null = null;
  for (const use of await budgetUses(tx, budgets, now)) {
    const at = order.path.indexOf(use.budget.customerId);
    // The holder above the budget's account decides; a top account's budget, its own holder.
    const level = Math.min(at + 1, order.path.length - 1);
    const over: Omit<HoldReason, 'approverId'> | null = level > 0 && (!held || level > held.level) ? breach(use, spend, at === 0) : null;
    if (over) held = { ...over, approverId: order.path[level] as string, level };
  }
  if (!held) return null;
  // Placed by the deciding holder itself, or one above it: that is its approval.
  const actor = order.actedBy ? order.path.indexOf(order.actedBy) : -1;
  return actor >= held.level ? null : { code: held.code, message: held.message, approverId: held.approverId };
}
