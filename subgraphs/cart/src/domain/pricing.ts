import { computeTotals, type PricedLine, type TotalsData, withDiscounts } from '@dcrm/kit';
import type { CatalogProduct } from '../clients/catalog.js';
import type { CartDiscount } from '../clients/promotions.js';
import type { ICartLine } from '../entities/index.js';

/** Still sold to this caller: the catalog returned it and it is ACTIVE (anything else counts for nothing in totals). */
export const sold = (p: CatalogProduct | null | undefined): p is CatalogProduct => !!p && p.status === 'ACTIVE';

/**
 * A cart line as the catalog sells it to this caller now: the line's quantity with the product's unit
 * prices (tax-exclusive) and what promotions and the order need to know of the product. Totals,
 * promotion evaluation and the order's lines all read this one shape.
 */
export type PricedCartLine = PricedLine & {
  lineId: string;
  productId: string;
  parentLineId: string | null;
  name: string;
  kind: CatalogProduct['kind'];
  categoryId: string | null;
};

/** The cart's lines with their products (same order, as the catalog loader answers); lines no longer sold are left out. */
export function priceLines(
  lines: Pick<ICartLine, 'id' | 'productId' | 'quantity' | 'parentLineId'>[],
  products: (CatalogProduct | null | undefined)[],
): PricedCartLine[] {
  return lines.flatMap((line, i) => {
    const product = products[i];
    if (!sold(product)) return [];
    return [
      {
        lineId: line.id,
        productId: line.productId,
        parentLineId: line.parentLineId ?? null,
        quantity: line.quantity,
        name: product.name,
        kind: product.kind,
        categoryId: product.categoryId,
        recurring: product.recurring,
        oneOff: product.oneOff,
        deposit: product.deposit,
        taxCategory: product.taxCategory,
      },
    ];
  });
}

/** What the buyer pays for these lines with these promotions (each line's share of every discount). */
export const cartTotals = (lines: PricedCartLine[], discounts: CartDiscount[], currencyCode: string): TotalsData =>
  computeTotals(withDiscounts(lines, discounts), currencyCode);

/**
 * The order's totals: the cart's, plus the promotions as they were applied, kept on the order and
 * pointing at the order's own lines (`orderLineIds`: cart line id → order line id).
 */
export function priceOrder(
  lines: PricedCartLine[],
  discounts: CartDiscount[],
  currencyCode: string,
  orderLineIds: ReadonlyMap<string, string>,
): TotalsData {
  return {
    ...cartTotals(lines, discounts, currencyCode),
    appliedDiscounts: discounts.map(({ lines: _lines, ...d }) => ({
      ...d,
      lineIds: d.lineIds.map((id) => orderLineIds.get(id) ?? id),
    })),
  };
}
