import { computeTotals, fromMinor, type SaleAgreedPrice, type SaleOrderRequest, type TotalsData, toMinor } from '@dcrm/kit';
import type { IQuoteLine } from '../entities/index.js';

/**
 * What an accepted quote orders and contracts, from its lines as priced when it was last written
 * (pure; money in minor units). The quote's prices are honoured: they are the offer the customer
 * accepted, within its validity, and its discounts are the ones its approvers approved — re-pricing at
 * today's catalog prices would order something other than what was accepted. The catalog is still
 * asked whether every product is sold (the cart refuses one that is not).
 */
type Line = Pick<
  IQuoteLine,
  | 'id'
  | 'productId'
  | 'parentLineId'
  | 'name'
  | 'quantity'
  | 'recurringPrice'
  | 'oneOffPrice'
  | 'deposit'
  | 'taxCategory'
  | 'discountOneOff'
  | 'discountRecurring'
  | 'promotionOneOff'
  | 'promotionRecurring'
>;

const sum = (a: string | null | undefined, b: string | null | undefined) => toMinor(a ?? '0') + toMinor(b ?? '0');

/** A line's agreed unit prices and what every discount (line, quote, promotions) takes off it. */
export const agreedPrice = (l: Line): SaleAgreedPrice => ({
  recurring: l.recurringPrice ?? null,
  oneOff: l.oneOffPrice ?? null,
  deposit: l.deposit ?? null,
  discountOneOff: fromMinor(sum(l.discountOneOff, l.promotionOneOff)),
  discountRecurring: fromMinor(sum(l.discountRecurring, l.promotionRecurring)),
});

/** The order's lines, in the quote's order (plans before their add-ons), add-ons pointing at their plan's index. */
export function saleLines(lines: Line[]): SaleOrderRequest['lines'] {
  const index = new Map(lines.map((l, i) => [l.id, i]));
  return lines.map((l, i) => {
    const parent = l.parentLineId ? index.get(l.parentLineId) : undefined;
    return {
      productId: l.productId,
      quantity: l.quantity,
      parentIndex: parent !== undefined && parent < i ? parent : null,
      agreed: agreedPrice(l),
    };
  });
}

/** True when the agreed lines add up to the quote's stored totals (due now and monthly), as the cart will compute them. */
export function matchesTotals(lines: Line[], totals: TotalsData, currencyCode: string): boolean {
  const again = computeTotals(
    lines.map((l) => {
      const agreed = agreedPrice(l);
      return {
        ...agreed,
        recurring: agreed.recurring ?? null,
        oneOff: agreed.oneOff ?? null,
        deposit: agreed.deposit ?? null,
        quantity: l.quantity,
        taxCategory: l.taxCategory,
      };
    }),
    currencyCode,
  );
  return again.dueNow === totals.dueNow && again.monthly === totals.monthly;
}

export type ContractLineDraft = { productId: string; name: string; quantity: number; monthlyFeeMinor: number };

/**
 * The contract's lines: every line with a monthly price, its unit fee net of its discounts (rounded
 * half-up to the minor unit), and the contract's monthly fee — exactly what the quote charges monthly,
 * tax-exclusive (so an early-termination charge is computed on what was agreed). Null when no line is monthly.
 */
export function contractLines(lines: Line[]): { lines: ContractLineDraft[]; monthlyFeeMinor: number } | null {
  const monthly = lines.filter((l) => toMinor(l.recurringPrice ?? '0') > 0);
  if (!monthly.length) return null;
  const net = monthly.map((l) =>
    Math.max(toMinor(l.recurringPrice as string) * l.quantity - sum(l.discountRecurring, l.promotionRecurring), 0),
  );
  return {
    lines: monthly.map((l, i) => ({
      productId: l.productId,
      name: l.name,
      quantity: l.quantity,
      monthlyFeeMinor: Math.round((net[i] as number) / l.quantity),
    })),
    monthlyFeeMinor: net.reduce((a, b) => a + b, 0),
  };
}
